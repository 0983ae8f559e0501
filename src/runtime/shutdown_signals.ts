/**
 * SIGTERM/SIGINT handling for long-running modes: the first signal asks for
 * a graceful stop, a second one asks to hurry.
 *
 * @module
 */

/** The signals that stop the worker. */
export const SHUTDOWN_SIGNALS: readonly Deno.Signal[] = ["SIGTERM", "SIGINT"];

/** Calls `onSignal(hurry, signal)` on each shutdown signal; returns a function removing the listeners. */
export function onShutdownSignal(onSignal: (hurry: boolean, signal: Deno.Signal) => void): () => void {
  let seen = 0;
  const listeners = SHUTDOWN_SIGNALS.map((signal) => {
    const listener = () => onSignal(seen++ > 0, signal);
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  };
}

/** Exit status of a process ended by `signal` (as the shell reports it: 128 + its number). */
export function signalExitStatus(signal: Deno.Signal): number {
  return 128 + (signal === "SIGINT" ? 2 : 15);
}

/** Shutdown signals caught from the start of the process, before anything can handle them. */
export interface EarlySignals {
  /**
   * Hands the signals over to `onSignal` (see {@link onShutdownSignal}): the
   * ones caught so far at once, in order, then every later one. Returns a
   * function removing the listeners.
   */
  handOver(onSignal: (hurry: boolean, signal: Deno.Signal) => void): () => void;
  /** Removes the listeners (the default action is back); returns the first signal caught meanwhile, if any. */
  release(): Deno.Signal | undefined;
}

/**
 * Listens for SIGTERM/SIGINT right away (the entry point calls it first
 * thing, before loading the modes), so a signal that arrives while the
 * process is still starting is not its death by the default action (exit 143)
 * but a graceful stop once the worker runs.
 */
export function catchEarlySignals(): EarlySignals {
  const caught: Deno.Signal[] = [];
  let forward: ((signal: Deno.Signal) => void) | undefined;
  const listeners = SHUTDOWN_SIGNALS.map((signal) => {
    const listener = () => forward ? forward(signal) : void caught.push(signal);
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  const remove = () => {
    for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  };
  return {
    handOver(onSignal) {
      let seen = 0;
      forward = (signal) => onSignal(seen++ > 0, signal);
      for (const signal of caught.splice(0)) forward(signal);
      return remove;
    },
    release() {
      remove();
      return caught[0];
    },
  };
}
