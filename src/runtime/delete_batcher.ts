/**
 * Collects messages to delete and sends them in DeleteMessageBatch calls of
 * up to ten: a call goes out when ten are waiting or shortly after the first
 * one arrived. Failed calls are retried with backoff; entries SQS refuses are
 * logged (the message comes back and is delivered again: never lost).
 *
 * @module
 */
import { type RetryPolicy, withRetry } from "../aws/retry.ts";
import { errorMessage } from "../errors.ts";
import { METRICS, type Metrics } from "../telemetry/metrics.ts";
import type { Logger } from "../telemetry/logger.ts";
import { type QueueClient, type QueueEntry, SQS_BATCH_LIMIT } from "./sqs_queue.ts";

/** How long the first waiting entry waits for others to share its call. */
export const DELETE_LINGER_MS = 20;

interface Waiting {
  readonly entry: QueueEntry;
  readonly done: () => void;
}

/** Batches deletes of one queue. */
export class DeleteBatcher {
  #waiting: Waiting[] = [];
  #timer?: ReturnType<typeof setTimeout>;
  readonly #sending = new Set<Promise<void>>();

  readonly #queue: QueueClient;
  readonly #retry: RetryPolicy;
  readonly #metrics: Metrics;
  readonly #logger: Logger;
  readonly #lingerMs: number;

  constructor(
    queue: QueueClient,
    retry: RetryPolicy,
    metrics: Metrics,
    logger: Logger,
    lingerMs = DELETE_LINGER_MS,
  ) {
    this.#queue = queue;
    this.#retry = retry;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#lingerMs = lingerMs;
  }

  /** Queues `entry` for deletion; resolves once its call has completed (or failed for good). */
  delete(entry: QueueEntry): Promise<void> {
    return new Promise((done) => {
      this.#waiting.push({ entry, done });
      if (this.#waiting.length >= SQS_BATCH_LIMIT) this.#send();
      else this.#timer ??= setTimeout(() => this.#send(), this.#lingerMs);
    });
  }

  /** Sends everything waiting now and waits for every call in progress. */
  async flush(): Promise<void> {
    this.#send();
    while (this.#sending.size > 0) await Promise.all(this.#sending);
  }

  #send(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, SQS_BATCH_LIMIT);
      const call = this.#call(batch.map((w) => w.entry)).finally(() => {
        this.#sending.delete(call);
        for (const w of batch) w.done();
      });
      this.#sending.add(call);
    }
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
        this.#logger.warn("SQS did not delete a delivered message; it will be delivered again", {
          messageId: f.messageId,
          code: f.code,
          error: f.message,
        });
      }
    } catch (err) {
      this.#metrics.inc(METRICS.queueErrors, { operation: "DeleteMessageBatch" });
      this.#logger.error("cannot delete delivered messages; they will be delivered again", {
        messageIds: entries.map((e) => e.messageId),
        error: err,
      });
    }
  }
}
