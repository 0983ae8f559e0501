/**
 * Keeps a loop at most `perSecond` items per second: `take(n)` waits until
 * `n` more items fit the rate. Clock and sleep are passed in. Pure apart from
 * them.
 *
 * @module
 */

/** Paces work to a rate; unlimited when `perSecond` is undefined. */
export class Pacer {
  readonly #perSecond?: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #nextAt = -Infinity;

  constructor(options: { perSecond?: number; now: () => number; sleep: (ms: number) => Promise<void> }) {
    this.#perSecond = options.perSecond;
    this.#now = options.now;
    this.#sleep = options.sleep;
  }

  /** Waits until `n` items may start; they then count against the rate. */
  async take(n: number): Promise<void> {
    if (!this.#perSecond || n <= 0) return;
    const now = this.#now();
    if (this.#nextAt > now) await this.#sleep(this.#nextAt - now);
    this.#nextAt = Math.max(now, this.#nextAt) + (n * 1000) / this.#perSecond;
  }
}
