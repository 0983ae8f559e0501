/**
 * The ids of messages the worker delivered (or skipped) lately, so that a
 * copy SQS hands out again — its delete was late or failed, or SQS's
 * at-least-once delivery repeated it — is deleted rather than delivered a
 * second time. Bounded in age and number, the oldest forgotten first. Pure;
 * the clock is passed in.
 *
 * @module
 */

/** How long a delivered message's id is remembered (far beyond a visibility timeout and a delete's retries). */
export const DELIVERED_MEMORY_MS = 15 * 60_000;
/** How many delivered messages' ids are remembered at most (about 1 MB). */
export const DELIVERED_MEMORY_MAX = 10_000;

/** Limits of {@link DeliveredIds}. */
export interface DeliveredIdsOptions {
  readonly maxAgeMs?: number;
  readonly maxSize?: number;
}

/** Message ids remembered for {@link DELIVERED_MEMORY_MS}, at most {@link DELIVERED_MEMORY_MAX}. */
export class DeliveredIds {
  /** Id → when it was delivered, oldest first. */
  readonly #at = new Map<string, number>();
  readonly #maxAgeMs: number;
  readonly #maxSize: number;

  constructor(options: DeliveredIdsOptions = {}) {
    this.#maxAgeMs = options.maxAgeMs ?? DELIVERED_MEMORY_MS;
    this.#maxSize = options.maxSize ?? DELIVERED_MEMORY_MAX;
  }

  /** `id` was delivered at `now`. */
  add(id: string, now: number): void {
    this.#at.delete(id);
    this.#at.set(id, now);
    this.#forget(now);
  }

  /** Whether `id` was delivered within the memory's age (and is among the newest it keeps). */
  has(id: string, now: number): boolean {
    this.#forget(now);
    return this.#at.has(id);
  }

  /** How many ids are remembered. */
  get size(): number {
    return this.#at.size;
  }

  #forget(now: number): void {
    for (const [id, at] of this.#at) {
      if (this.#at.size <= this.#maxSize && at > now - this.#maxAgeMs) return;
      this.#at.delete(id);
    }
  }
}
