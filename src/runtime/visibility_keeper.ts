/**
 * Visibility changes of one queue: the heartbeat that keeps messages in
 * progress hidden, and single changes (retry backoff, release). A change
 * waits for a heartbeat in flight, so a late heartbeat never undoes a
 * shorter visibility. Failures are logged and counted, never thrown.
 *
 * @module
 */
import { errorMessage } from "../errors.ts";
import type { Logger } from "../telemetry/logger.ts";
import { METRICS, type Metrics } from "../telemetry/metrics.ts";
import { type QueueClient, type QueueEntry, SQS_BATCH_LIMIT } from "./sqs_queue.ts";

/** Changes visibility timeouts for the worker. */
export class VisibilityKeeper {
  #beat?: Promise<void>;

  readonly #queue: QueueClient;
  readonly #metrics: Metrics;
  readonly #logger: Logger;

  constructor(
    queue: QueueClient,
    metrics: Metrics,
    logger: Logger,
  ) {
    this.#queue = queue;
    this.#metrics = metrics;
    this.#logger = logger;
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

  /** Sets the visibility of `entries` to `seconds` (after any heartbeat in flight). */
  async set(entries: readonly QueueEntry[], seconds: number, why: string): Promise<void> {
    if (entries.length === 0) return;
    await this.#beat;
    await this.#send(entries, seconds, why, () => true);
  }

  async #send(
    entries: readonly QueueEntry[],
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
