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
