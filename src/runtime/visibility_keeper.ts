/**
 * Visibility changes of one queue: the heartbeat that keeps messages in
 * progress hidden, changes made at once (release at shutdown), and changes
 * that may wait a little to share a call (retry backoff, fairness deferral;
 * each entry keeps its own timeout). A change waits for a heartbeat in
 * flight, so a late heartbeat never undoes a shorter visibility. Failures
 * are logged and counted, never thrown.
 *
 * @module
 */
import { errorMessage } from "../errors.ts";
import type { Logger } from "../telemetry/logger.ts";
import { METRICS, type Metrics } from "../telemetry/metrics.ts";
import { LingerBatch } from "./linger_batch.ts";
import { type QueueClient, type QueueEntry, SQS_BATCH_LIMIT, type VisibilityEntry } from "./sqs_queue.ts";

/**
 * The longest a retried or deferred message waits for others to share its
 * ChangeMessageVisibilityBatch call. It stays hidden meanwhile (by the
 * visibility it already has), so at worst its retry comes this much later.
 */
export const VISIBILITY_LINGER_MS = 1_000;

/** A visibility to set: the timeout, and why (for the log line of a failure). */
export interface VisibilityChange {
  readonly seconds: number;
  readonly why: string;
}

interface Change extends VisibilityChange {
  readonly entry: QueueEntry;
}

/** What {@link VisibilityKeeper} needs besides its queue. */
export interface VisibilityKeeperOptions {
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** How long a {@link VisibilityKeeper.later} change waits for others (default {@link VISIBILITY_LINGER_MS}). */
  readonly lingerMs?: number;
}

/** Changes visibility timeouts for the worker. */
export class VisibilityKeeper {
  #beat?: Promise<void>;
  readonly #later: LingerBatch<Change>;
  readonly #queue: QueueClient;
  readonly #metrics: Metrics;
  readonly #logger: Logger;

  constructor(queue: QueueClient, options: VisibilityKeeperOptions) {
    this.#queue = queue;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#later = new LingerBatch((changes) => this.#sendLater(changes), {
      max: SQS_BATCH_LIMIT,
      lingerMs: options.lingerMs ?? VISIBILITY_LINGER_MS,
    });
  }

  /**
   * Extends `entries()` to `seconds` unless a heartbeat is still in flight.
   * Failures for entries no longer in `entries()` are expected (finished meanwhile).
   */
  heartbeat(entries: () => QueueEntry[], seconds: number): void {
    const now = entries();
    if (this.#beat || now.length === 0) return;
    this.#beat = this.#send(now, seconds, "heartbeat", (id) => entries().some((e) => e.messageId === id))
      .finally(() => this.#beat = undefined);
  }

  /** Sets the visibility of `entries` to `change.seconds` now (after any heartbeat in flight). */
  async set(entries: readonly QueueEntry[], change: VisibilityChange): Promise<void> {
    if (entries.length === 0) return;
    await this.#beat;
    await this.#send(entries, change.seconds, change.why, () => true);
  }

  /** Sets the visibility of `entry` to `change.seconds` within {@link VISIBILITY_LINGER_MS}, sharing a call. */
  later(entry: QueueEntry, change: VisibilityChange): Promise<void> {
    return this.#later.add({ entry, ...change });
  }

  /** Sends every waiting {@link later} change now and waits for them. */
  flush(): Promise<void> {
    return this.#later.flush();
  }

  async #sendLater(changes: Change[]): Promise<void> {
    await this.#beat;
    const entries: VisibilityEntry[] = changes.map((c) => ({
      messageId: c.entry.messageId,
      receiptHandle: c.entry.receiptHandle,
      visibilityTimeoutSeconds: c.seconds,
    }));
    const why = [...new Set(changes.map((c) => c.why))].join(", ");
    await this.#send(entries, changes[0]?.seconds ?? 0, why, () => true);
  }

  async #send(
    entries: readonly VisibilityEntry[],
    seconds: number,
    why: string,
    stillMatters: (messageId: string) => boolean,
  ): Promise<void> {
    try {
      this.#metrics.inc(
        METRICS.apiCalls,
        { operation: "ChangeMessageVisibilityBatch" },
        Math.ceil(entries.length / SQS_BATCH_LIMIT),
      );
      for (const f of await this.#queue.changeVisibilityBatch(entries, seconds)) {
        if (!stillMatters(f.messageId)) continue;
        this.#metrics.inc(METRICS.queueErrors, { operation: "ChangeMessageVisibility" });
        this.#logger.warn(`cannot change message visibility (${why})`, { messageId: f.messageId, code: f.code });
      }
    } catch (err) {
      this.#metrics.inc(METRICS.queueErrors, { operation: "ChangeMessageVisibilityBatch" });
      this.#logger.warn(`cannot change message visibility (${why})`, {
        count: entries.length,
        error: errorMessage(err),
      });
    }
  }
}
