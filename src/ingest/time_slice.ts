/**
 * Time slicing for CPU-heavy reading: gunzip, line splitting and parsing are
 * synchronous work chained by promises, which never return to the event loop
 * on their own (a microtask chain starves timers and sockets). The reader
 * asks {@link TimeSlicer.pause} once per chunk; after a slice of work it
 * waits for one macrotask turn, so `/livez`, `/healthz`, the visibility
 * heartbeat and other messages keep going while one object burns CPU.
 *
 * @module
 */

/**
 * Longest run of work between two turns of the event loop. A turn costs about
 * 2 ms (a `setTimeout(0)`, the cheapest wait that lets Deno poll its sockets
 * and timers), so 50 ms keeps the overhead near 4 % while a probe is answered
 * within tens of milliseconds.
 */
export const DEFAULT_SLICE_MS = 50;

/** Decides when a long computation gives the event loop a turn. */
export class TimeSlicer {
  #last: number;
  readonly #sliceMs: number;
  readonly #now: () => number;

  constructor(options: { readonly sliceMs?: number; readonly now?: () => number } = {}) {
    this.#sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.#now = options.now ?? (() => performance.now());
    this.#last = this.#now();
  }

  /**
   * Undefined while the slice lasts (cheap: one clock read, nothing to
   * await); once it is used up, a promise resolved after one macrotask turn.
   */
  pause(): Promise<void> | undefined {
    if (this.#now() - this.#last < this.#sliceMs) return undefined;
    return new Promise((resolve) =>
      setTimeout(() => {
        this.#last = this.#now();
        resolve();
      }, 0)
    );
  }
}

/**
 * The process-wide slicer: every reader shares it, so a turn given by one
 * object counts for all and concurrent objects do not multiply the waits.
 */
export const SHARED_SLICER: TimeSlicer = new TimeSlicer();
