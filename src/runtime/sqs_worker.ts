/**
 * The SQS worker (`--mode sqs`): long-polls the queue, processes messages
 * with bounded concurrency, deletes exactly the delivered and skipped ones
 * (in batches), makes retryable ones visible again soon (backoff by receive
 * count), leaves permanent ones for the redrive policy, and keeps the
 * visibility of messages in progress extended (heartbeat). `stop()` ends
 * receiving: a long poll in progress is allowed to finish (aborting it could
 * leave SQS handing its messages to a caller that is gone, hidden for a whole
 * visibility timeout) and whatever it returns is released at once. In-flight
 * work gets the grace period, counted from `stop()`; what is unfinished then
 * is released for another worker. Never throws for a message or a queue error.
 *
 * @module
 */
import { backoffDelay, type RetryPolicy, sleep } from "../aws/retry.ts";
import { isDone } from "../delivery/outcome.ts";
import type { MessageResult } from "../pipeline/process_message.ts";
import type { MessageContext } from "../pipeline/process_object.ts";
import type { Logger } from "../telemetry/logger.ts";
import { METRICS, type Metrics } from "../telemetry/metrics.ts";
import { DeleteBatcher } from "./delete_batcher.ts";
import { logResult } from "./log_result.ts";
import type { QueueClient, QueueMessage } from "./sqs_queue.ts";
import { retryVisibilitySeconds, type VisibilityBackoff } from "./visibility_backoff.ts";
import { VisibilityKeeper } from "./visibility_keeper.ts";

/** What the worker needs. */
export interface SqsWorkerOptions {
  readonly queue: QueueClient;
  processBody(body: string, context?: MessageContext): Promise<MessageResult>;
  readonly concurrency: number;
  readonly waitTimeSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  /** Default: a third of the visibility timeout. */
  readonly heartbeatIntervalMs?: number;
  readonly retryVisibility: VisibilityBackoff;
  readonly graceMs: number;
  /** Backoff and retries of failed SQS calls. */
  readonly queueRetry: RetryPolicy;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly random?: () => number;
}

/** What `/healthz` reports. */
export interface WorkerHealth {
  readonly ok: boolean;
  readonly stopping: boolean;
  readonly inFlight: number;
  readonly consecutiveReceiveErrors: number;
}

/** Receive errors in a row after which the worker reports itself unhealthy. */
export const UNHEALTHY_AFTER_RECEIVE_ERRORS = 3;

/** Long-polls one queue until stopped. */
export class SqsWorker {
  /** Messages being processed (they count against the concurrency). */
  readonly #processing = new Map<string, QueueMessage>();
  /** Messages the heartbeat keeps hidden: processing, or waiting for their delete. */
  readonly #held = new Map<string, QueueMessage>();
  /** Each held message's task: processing, then its delete or visibility call. */
  readonly #tasks = new Map<string, Promise<void>>();
  readonly #deletes: DeleteBatcher;
  readonly #visibility: VisibilityKeeper;
  #wake: () => void = () => {};
  #stopping = false;
  #closed = false;
  #hurry: () => void = () => {};
  #hurried = false;
  #graceEndsAt = Number.POSITIVE_INFINITY;
  readonly #stopped: Promise<void>;
  #resolveStopped: () => void = () => {};
  #receiveErrors = 0;
  /** Aborted when the grace period is over, so released messages stop being worked on. */
  readonly #cancel = new AbortController();

  constructor(private readonly o: SqsWorkerOptions) {
    this.#deletes = new DeleteBatcher(o.queue, o.queueRetry, o.metrics, o.logger);
    this.#visibility = new VisibilityKeeper(o.queue, o.metrics, o.logger);
    this.#stopped = new Promise((resolve) => this.#resolveStopped = resolve);
  }

  /** Stops receiving; a second call (`hurry`) also cuts the grace period short. */
  stop(hurry = false): void {
    if (this.#stopping && hurry) {
      this.#hurried = true;
      this.#hurry();
    }
    if (this.#stopping) return;
    this.#stopping = true;
    this.#graceEndsAt = Date.now() + this.o.graceMs;
    this.o.logger.info("stopping: no new messages; finishing in-flight work", {
      inFlight: this.#processing.size,
      graceMs: this.o.graceMs,
    });
    this.#resolveStopped();
    this.#wake();
  }

  health(): WorkerHealth {
    return {
      ok: !this.#stopping && this.#receiveErrors < UNHEALTHY_AFTER_RECEIVE_ERRORS,
      stopping: this.#stopping,
      inFlight: this.#processing.size,
      consecutiveReceiveErrors: this.#receiveErrors,
    };
  }

  /** Runs until {@link stop} and the shutdown that follows are done. */
  async run(): Promise<void> {
    const o = this.o;
    const interval = o.heartbeatIntervalMs ?? Math.max(200, (o.visibilityTimeoutSeconds * 1000) / 3);
    const heartbeat = setInterval(() => this.#heartbeat(), interval);
    o.logger.info("sqs worker started", { concurrency: o.concurrency, waitTimeSeconds: o.waitTimeSeconds });
    try {
      while (!this.#stopping) {
        const free = o.concurrency - this.#processing.size;
        if (free <= 0) {
          await new Promise<void>((resolve) => this.#wake = resolve);
          continue;
        }
        const messages = await this.#receive(free);
        if (this.#stopping) {
          await this.#release(messages, "received while stopping");
          break;
        }
        for (const m of messages) this.#start(m);
      }
      await this.#drain();
    } finally {
      clearInterval(heartbeat);
      this.#closed = true;
    }
    o.logger.info("sqs worker stopped");
  }

  async #receive(max: number): Promise<QueueMessage[]> {
    const o = this.o;
    try {
      o.metrics.inc(METRICS.apiCalls, { operation: "ReceiveMessage" });
      const messages = await o.queue.receive({
        maxMessages: max,
        waitTimeSeconds: o.waitTimeSeconds,
        visibilityTimeoutSeconds: o.visibilityTimeoutSeconds,
      });
      this.#receiveErrors = 0;
      return messages;
    } catch (err) {
      if (this.#stopping) return [];
      this.#receiveErrors++;
      o.metrics.inc(METRICS.queueErrors, { operation: "ReceiveMessage" });
      const delayMs = backoffDelay(this.#receiveErrors, o.queueRetry, o.random);
      o.logger.error("ReceiveMessage failed; retrying", { attempt: this.#receiveErrors, delayMs, error: err });
      await Promise.race([sleep(delayMs), this.#stopped]);
      return [];
    }
  }

  #start(m: QueueMessage): void {
    this.#processing.set(m.messageId, m);
    this.#held.set(m.messageId, m);
    this.#tasks.set(
      m.messageId,
      this.#handle(m).finally(() => {
        this.#tasks.delete(m.messageId);
        this.#held.delete(m.messageId);
      }),
    );
  }

  async #handle(m: QueueMessage): Promise<void> {
    const o = this.o;
    const log = o.logger.child({ messageId: m.messageId, receiveCount: m.receiveCount });
    let result: MessageResult;
    try {
      result = await o.processBody(m.body, { receiveCount: m.receiveCount, signal: this.#cancel.signal });
    } catch (err) {
      // processBody never throws for expected failures; anything else is a bug worth a retry.
      log.error("unexpected error processing a message; it will be retried", { error: err });
      result = { outcome: "retryable", objects: [] };
    }
    this.#processing.delete(m.messageId);
    this.#wake();
    o.metrics.recordMessage(result);
    logResult(log, result);
    if (this.#closed) {
      log.warn("message finished after shutdown; left in the queue to be delivered again", { outcome: result.outcome });
      return;
    }
    if (isDone(result.outcome)) {
      await this.#deletes.delete(m);
      return;
    }
    this.#held.delete(m.messageId); // no more heartbeats
    if (result.outcome === "retryable") {
      const seconds = retryVisibilitySeconds(m.receiveCount, o.retryVisibility, o.random);
      await this.#visibility.set([m], seconds, "retry");
    }
    // Permanent: left alone; the redrive policy moves it to the DLQ after maxReceiveCount receives.
  }

  /** Extends the visibility of every held message. */
  #heartbeat(): void {
    if (this.#closed) return;
    this.#visibility.heartbeat(() => [...this.#held.values()], this.o.visibilityTimeoutSeconds);
  }

  /** Makes `messages` visible again now, for another worker. */
  async #release(messages: QueueMessage[], why: string): Promise<void> {
    if (messages.length === 0) return;
    this.o.logger.info("releasing messages", { why, messageIds: messages.map((m) => m.messageId) });
    await this.#visibility.set(messages, 0, "release");
  }

  /** After stop: waits for in-flight work up to the grace period, releases the rest, flushes deletes. */
  async #drain(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const graceOver = new Promise<void>((resolve) => {
      this.#hurry = resolve;
      timer = setTimeout(resolve, this.#hurried ? 0 : Math.max(0, this.#graceEndsAt - Date.now()));
    });
    while (this.#tasks.size > 0) {
      const allDone = Promise.all(this.#tasks.values()).then(() => true);
      if (!(await Promise.race([allDone, graceOver.then(() => false)]))) break;
    }
    clearTimeout(timer);
    // From here on a message that finishes late leaves the queue alone, and stops reading.
    this.#closed = true;
    this.#cancel.abort();
    const unfinished = [...this.#processing.values()];
    if (unfinished.length > 0) {
      this.o.logger.warn("grace period over; releasing unfinished messages", { count: unfinished.length });
      await this.#release(unfinished, "grace period over");
    }
    // Finished messages complete their delete or visibility call before the worker reports stopped.
    const settling = [...this.#tasks.entries()].filter(([id]) => !this.#processing.has(id)).map(([, t]) => t);
    await this.#deletes.flush();
    await Promise.all(settling);
  }
}
