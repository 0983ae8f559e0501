/**
 * The age of the oldest message in a queue, as AWS/SQS'
 * ApproximateAgeOfOldestMessage reports it and moto does not: from what the
 * render run saw. A message is in the queue from its object's put (not yet
 * received) or from its SentTimestamp (received, not yet deleted) until it
 * is deleted or dead-lettered. What the tracking may miss is bounded by
 * what the queue itself says: no visible message means none is waiting to be
 * received, an empty queue holds none at all, and a received message not
 * seen again within `expireAfterMs` (visibility timeout and a poll) has left.
 * Pure.
 *
 * @module
 */

/** What the queue holds now, by its attributes. */
export interface QueueDepth {
  readonly visible: number;
  readonly inFlight: number;
}

/** Tracks puts, receives and deletes; answers the oldest message's age. */
export class OldestMessageTracker {
  readonly #expireAfterMs: number;
  /** Object key → when it was put, until a message naming it is received. */
  readonly #unseen = new Map<string, number>();
  /** Message id → when it was sent and last received. */
  readonly #received = new Map<string, { sentMs: number; seenMs: number }>();

  constructor(expireAfterMs: number) {
    this.#expireAfterMs = expireAfterMs;
  }

  /** An object was put at `atMs`: its message is on the way. */
  put(key: string, atMs: number): void {
    this.#unseen.set(key, atMs);
  }

  /** A message naming `keys`, sent at `sentMs`, was received at `atMs`. */
  received(messageId: string, m: { readonly keys: readonly string[]; readonly sentMs: number; readonly atMs: number }) {
    for (const k of m.keys) this.#unseen.delete(k);
    this.#received.set(messageId, { sentMs: m.sentMs, seenMs: m.atMs });
  }

  /** The message was deleted, or failed its last receive (the DLQ takes it). */
  gone(messageId: string): void {
    this.#received.delete(messageId);
  }

  /** Seconds since the oldest message still in the queue was sent (0 when none). */
  ageSeconds(nowMs: number, depth: QueueDepth): number {
    if (depth.visible + depth.inFlight === 0) this.#received.clear();
    if (depth.visible === 0) this.#unseen.clear();
    for (const [id, r] of this.#received) if (nowMs - r.seenMs > this.#expireAfterMs) this.#received.delete(id);
    const oldest = Math.min(nowMs, ...this.#unseen.values(), ...[...this.#received.values()].map((r) => r.sentMs));
    return Math.max(0, Math.round((nowMs - oldest) / 1000));
  }
}
