/**
 * Collects messages to delete and sends them in DeleteMessageBatch calls of
 * up to ten ({@link LingerBatch}): a call goes out when ten are waiting or
 * {@link DELETE_LINGER_MS} after the first one arrived, so deletes are
 * batched across receives. Failed calls are retried with backoff; entries SQS
 * refuses are logged (the message comes back and is delivered again: never
 * lost).
 *
 * @module
 */
import { type RetryPolicy, withRetry } from "../aws/retry.ts";
import { errorMessage } from "../errors.ts";
import { METRICS, type Metrics } from "../telemetry/metrics.ts";
import type { Logger } from "../telemetry/logger.ts";
import { LingerBatch } from "./linger_batch.ts";
import { type QueueClient, type QueueEntry, SQS_BATCH_LIMIT } from "./sqs_queue.ts";

/**
 * The longest a delivered message waits for others to share its delete call.
 * Meanwhile the heartbeat keeps it hidden; a crash within this window means it
 * is delivered again (at least once). Long enough to fill calls of ten with a
 * backlog, short next to the visibility timeout.
 */
export const DELETE_LINGER_MS = 1_000;

/** What {@link DeleteBatcher} needs besides its queue. */
export interface DeleteBatcherOptions {
  /** Backoff and retries of a failed DeleteMessageBatch call. */
  readonly retry: RetryPolicy;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** How long a delete waits for others to share its call (default {@link DELETE_LINGER_MS}). */
  readonly lingerMs?: number;
}

/** Batches deletes of one queue. */
export class DeleteBatcher {
  readonly #batcher: LingerBatch<QueueEntry>;
  readonly #queue: QueueClient;
  readonly #retry: RetryPolicy;
  readonly #metrics: Metrics;
  readonly #logger: Logger;

  constructor(queue: QueueClient, options: DeleteBatcherOptions) {
    this.#queue = queue;
    this.#retry = options.retry;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#batcher = new LingerBatch((entries) => this.#call(entries), {
      max: SQS_BATCH_LIMIT,
      lingerMs: options.lingerMs ?? DELETE_LINGER_MS,
    });
  }

  /** Queues `entry` for deletion; resolves once its call has completed (or failed for good). */
  delete(entry: QueueEntry): Promise<void> {
    return this.#batcher.add(entry);
  }

  /** Sends everything waiting now and waits for every call in progress. */
  flush(): Promise<void> {
    return this.#batcher.flush();
  }

  async #call(entries: QueueEntry[]): Promise<void> {
    try {
      const failed = await withRetry(
        () => {
          this.#metrics.inc(METRICS.apiCalls, { operation: "DeleteMessageBatch" });
          return this.#queue.deleteBatch(entries);
        },
        this.#retry,
        {
          what: "DeleteMessageBatch",
          onRetry: (attempt, delayMs, err) => {
            this.#metrics.inc(METRICS.queueErrors, { operation: "DeleteMessageBatch" });
            this.#logger.warn("retrying DeleteMessageBatch", { attempt, delayMs, error: errorMessage(err) });
          },
        },
      );
      for (const f of failed) {
        this.#metrics.inc(METRICS.queueErrors, { operation: "DeleteMessage" });
        this.#logger.warn("SQS did not delete a delivered message; deleted when it comes back, or delivered again", {
          messageId: f.messageId,
          code: f.code,
          error: f.message,
        });
      }
    } catch (err) {
      this.#metrics.inc(METRICS.queueErrors, { operation: "DeleteMessageBatch" });
      this.#logger.error("cannot delete delivered messages; deleted when they come back, or delivered again", {
        messageIds: entries.map((e) => e.messageId),
        error: err,
      });
    }
  }
}
