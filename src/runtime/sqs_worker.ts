/**
 * The SQS worker (`--mode sqs`): long-polls the queue up to ten messages at
 * a time into a small local buffer, processes messages with bounded
 * concurrency, deletes exactly the delivered and skipped ones (in batches,
 * across receives), makes retryable ones visible again soon (backoff by
 * receive count), makes permanent ones visible at once (the redrive policy
 * moves them to the DLQ after `maxReceiveCount` quick receives) — these
 * visibility changes batched too — and keeps the visibility of received
 * messages extended (heartbeat). `stop()` ends receiving and releases the
 * buffered messages at once; a long poll in progress is allowed to finish
 * (aborting it could leave SQS handing its messages to a caller that is gone,
 * hidden for a whole visibility timeout) and whatever it returns is released
 * at once too. In-flight work gets the grace period, counted from `stop()`;
 * what is unfinished then is released for another worker. Never throws for a
 * message or a queue error.
 *
 * The states and their rules are {@link WorkerLifecycle}'s; this class makes
 * the SQS calls its transitions ask for. A copy SQS hands out again of a
 * message this worker holds or deleted lately is folded by the
 * {@link RedeliveryGuard}: never delivered twice by one worker.
 *
 * @module
 */
import { backoffDelay, type RetryPolicy } from "../aws/retry.ts";
import type { MessageResult } from "../results.ts";
import type { MessageContext } from "../pipeline/pipeline_deps.ts";
import type { Logger } from "../telemetry/logger.ts";
import { METRICS, type Metrics } from "../telemetry/metrics.ts";
import { DEFAULT_RECEIVE_BUFFER } from "../config.ts";
import { DeleteBatcher } from "./delete_batcher.ts";
import { logResult } from "./log_result.ts";
import type { QueueClient, QueueMessage } from "./sqs_queue.ts";
import { deferVisibilitySeconds, retryVisibilitySeconds, type VisibilityBackoff } from "./visibility_backoff.ts";
import { VisibilityKeeper } from "./visibility_keeper.ts";
import { messageTenants } from "./message_tenants.ts";
import { RedeliveryGuard, type SortedReceive } from "./redelivery_guard.ts";
import { TenantScheduler } from "./tenant_scheduler.ts";
import type { WorkerHealth } from "./phase_machine.ts";
import { WorkerLifecycle } from "./worker_lifecycle.ts";

/** What the worker needs. */
export interface SqsWorkerOptions {
  readonly queue: QueueClient;
  processBody(body: string, context?: MessageContext): Promise<MessageResult>;
  readonly concurrency: number;
  /** Received messages that may wait for a slot (default {@link DEFAULT_RECEIVE_BUFFER}). */
  readonly receiveBuffer?: number;
  /** Messages of one tenant processed at once (default: `concurrency`, no cap). */
  readonly tenantMaxInFlight?: number;
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
  /** The clock the grace period is counted on. Default: `Date.now`. */
  readonly now?: () => number;
}

/** Long-polls one queue until stopped. */
export class SqsWorker {
  readonly #o: SqsWorkerOptions;
  readonly #lifecycle: WorkerLifecycle<QueueMessage>;
  readonly #scheduler: TenantScheduler;
  readonly #deletes: DeleteBatcher;
  readonly #visibility: VisibilityKeeper;
  readonly #guard: RedeliveryGuard<QueueMessage>;
  /** Resolves at the next transition of the lifecycle. */
  #change = Promise.withResolvers<void>();
  /** Aborted when the grace period is over, so released messages stop being worked on. */
  readonly #cancel = new AbortController();
  /** The release of buffered messages at stop. */
  #releasing: Promise<void> = Promise.resolve();
  /** Schedules again when a tenant held back by its backoff may start. */
  #wake?: ReturnType<typeof setTimeout>;

  constructor(options: SqsWorkerOptions) {
    const o = this.#o = options;
    const now = o.now ?? Date.now;
    this.#scheduler = new TenantScheduler({
      concurrency: o.concurrency,
      receiveBuffer: o.receiveBuffer ?? DEFAULT_RECEIVE_BUFFER,
      tenantMaxInFlight: o.tenantMaxInFlight,
      now,
    });
    this.#lifecycle = new WorkerLifecycle({
      concurrency: o.concurrency,
      policy: this.#scheduler,
      tenantsOf: (m) => messageTenants(m.body),
      graceMs: o.graceMs,
      now,
      onChange: () => {
        this.#change.resolve();
        this.#change = Promise.withResolvers();
      },
    });
    this.#deletes = new DeleteBatcher(o.queue, { retry: o.queueRetry, metrics: o.metrics, logger: o.logger });
    this.#visibility = new VisibilityKeeper(o.queue, { metrics: o.metrics, logger: o.logger });
    this.#guard = new RedeliveryGuard({ now });
  }

  /** Stops receiving and releases what waits; a second call (`hurry`) also cuts the grace period short. */
  stop(hurry = false): void {
    const lifecycle = this.#lifecycle;
    if (lifecycle.worker.phase === "stopping" && hurry) lifecycle.worker.hurry();
    if (lifecycle.worker.phase !== "running") return;
    lifecycle.worker.stop();
    this.#o.logger.info("stopping: no new messages; finishing in-flight work", {
      inFlight: lifecycle.messages.inFlight(),
      graceMs: this.#o.graceMs,
    });
    this.#releasing = this.#release(lifecycle.releaseUnstarted(), "received, not started before stop");
  }

  health(): WorkerHealth {
    return this.#lifecycle.health();
  }

  /** Runs until {@link stop} and the shutdown that follows are done. */
  async run(): Promise<void> {
    const o = this.#o;
    const lifecycle = this.#lifecycle;
    const interval = o.heartbeatIntervalMs ?? Math.max(200, (o.visibilityTimeoutSeconds * 1000) / 3);
    const heartbeat = setInterval(
      () =>
        this.#visibility.heartbeat(
          () => lifecycle.held().map((m) => this.#guard.newest(m)),
          o.visibilityTimeoutSeconds,
        ),
      interval,
    );
    o.logger.info("sqs worker started", {
      concurrency: o.concurrency,
      receiveBuffer: o.receiveBuffer ?? DEFAULT_RECEIVE_BUFFER,
      tenantMaxInFlight: o.tenantMaxInFlight ?? o.concurrency,
      waitTimeSeconds: o.waitTimeSeconds,
    });
    try {
      while (lifecycle.worker.phase === "running") {
        const size = lifecycle.receiveSize();
        if (size === 0) {
          const paced = this.#scheduler.receiveDelayMs();
          await this.#until(
            () => lifecycle.receiveSize() > 0 || lifecycle.worker.phase !== "running",
            paced > 0 ? paced : Number.POSITIVE_INFINITY,
          );
          continue;
        }
        const messages = await this.#receive(size);
        if (messages === undefined) continue;
        const sorted = this.#guard.sort(messages);
        this.#fold(sorted);
        this.#defer(lifecycle.received(sorted.fresh));
        this.#startScheduled();
      }
      await this.#release(lifecycle.releaseUnstarted(), "received while stopping");
      await this.#releasing;
      await this.#drain();
    } finally {
      clearInterval(heartbeat);
    }
    o.logger.info("sqs worker stopped");
  }

  /** One ReceiveMessage call; undefined if it failed (after the backoff, cut short by a stop). */
  async #receive(max: number): Promise<QueueMessage[] | undefined> {
    const o = this.#o;
    try {
      o.metrics.inc(METRICS.apiCalls, { operation: "ReceiveMessage" });
      const messages = await o.queue.receive({
        maxMessages: max,
        waitTimeSeconds: o.waitTimeSeconds,
        visibilityTimeoutSeconds: o.visibilityTimeoutSeconds,
      });
      o.logger.debug("received messages", { asked: max, received: messages.length });
      return messages;
    } catch (err) {
      if (this.#lifecycle.worker.phase !== "running") return undefined;
      const attempt = this.#lifecycle.worker.receiveFailed();
      o.metrics.inc(METRICS.queueErrors, { operation: "ReceiveMessage" });
      const delayMs = backoffDelay(attempt, o.queueRetry, o.random);
      o.logger.error("ReceiveMessage failed; retrying", { attempt, delayMs, error: err });
      await this.#until(() => this.#lifecycle.worker.phase !== "running", delayMs);
      return undefined;
    }
  }

  /** Counts the copies of held or lately deleted messages; deletes the latter again. */
  #fold({ held, delivered }: SortedReceive<QueueMessage>): void {
    if (held.length + delivered.length === 0) return;
    const o = this.#o;
    o.metrics.inc(METRICS.redeliveries, { action: "held" }, held.length);
    o.metrics.inc(METRICS.redeliveries, { action: "deleted" }, delivered.length);
    o.logger.info("SQS handed out messages again; not delivering them twice", {
      held: held.map((m) => m.messageId),
      deleted: delivered.map((m) => m.messageId),
    });
    for (const m of delivered) void this.#deletes.delete(m);
  }

  /** The receive count `m`'s backoff is computed from: its own, plus its tenants' run of failures. */
  #backoffReceives(m: QueueMessage): number {
    return m.receiveCount + this.#scheduler.backoff(this.#lifecycle.messages.tenantsOf(m));
  }

  /** Makes `messages` visible again after their deferral backoff, in shared calls. */
  #defer(messages: QueueMessage[]): void {
    if (messages.length === 0) return;
    const o = this.#o;
    o.metrics.inc(METRICS.messagesDeferred, {}, messages.length);
    o.logger.debug("deferring messages of tenants at their share", {
      messageIds: messages.map((m) => m.messageId),
      tenants: [...new Set(messages.flatMap((m) => messageTenants(m.body)))],
    });
    for (const m of messages) {
      const receives = this.#backoffReceives(m);
      const seconds = deferVisibilitySeconds(receives, o.retryVisibility, o);
      void this.#settle(m, (copy) => this.#visibility.later(copy, { seconds, why: "deferred" }));
    }
  }

  /** Starts what the lifecycle schedules; wakes again when a tenant's backoff ends. */
  #startScheduled(): void {
    for (const m of this.#lifecycle.schedule()) void this.#process(m);
    clearTimeout(this.#wake);
    const ms = this.#lifecycle.nextStartInMs();
    this.#wake = Number.isFinite(ms) ? setTimeout(() => this.#startScheduled(), ms) : undefined;
  }

  /** Processes `m`, then makes the SQS call its settlement asks for. */
  async #process(m: QueueMessage): Promise<void> {
    const o = this.#o;
    const log = o.logger.child({ messageId: m.messageId, receiveCount: m.receiveCount });
    let result: MessageResult;
    try {
      result = await o.processBody(m.body, { receiveCount: m.receiveCount, signal: this.#cancel.signal });
    } catch (err) {
      // processBody never throws for expected failures; anything else is a bug worth a retry.
      log.error("unexpected error processing a message; it will be retried", { error: err });
      result = { outcome: "retryable", objects: [] };
    }
    const settlement = this.#lifecycle.finish(m, result.outcome);
    o.metrics.recordMessage(result);
    logResult(log, result);
    this.#startScheduled();
    switch (settlement) {
      case "late":
        log.warn("message finished after shutdown; left in the queue to be delivered again", {
          outcome: result.outcome,
        });
        this.#guard.release(m, { used: m, deleted: false });
        return;
      case "expose": // Permanent: received again at once, the redrive policy moves it to the DLQ.
        return this.#settle(m, (copy) => this.#visibility.later(copy, { seconds: 0, why: "permanent" }));
      case "delete":
        return this.#settle(m, (copy) => this.#deletes.delete(copy), { deleted: true });
      case "retry": {
        const receives = this.#backoffReceives(m);
        const seconds = retryVisibilitySeconds(receives, o.retryVisibility, o);
        return this.#settle(m, (copy) => this.#visibility.later(copy, { seconds, why: "retry" }));
      }
    }
  }

  /**
   * Makes `m`'s delete or visibility call with its newest copy and waits for
   * it. A copy received meanwhile is deleted too once `m` is (SQS deletes by
   * the newest receipt handle).
   */
  async #settle(
    m: QueueMessage,
    call: (copy: QueueMessage) => Promise<void>,
    { deleted = false }: { readonly deleted?: boolean } = {},
  ): Promise<void> {
    const used = this.#guard.newest(m);
    try {
      await call(used);
    } finally {
      this.#lifecycle.settled(m);
      const newer = this.#guard.release(m, { used, deleted });
      if (deleted && newer) void this.#deletes.delete(newer);
    }
  }

  /** Makes `messages` visible again now, for another worker. */
  async #release(messages: QueueMessage[], why: string): Promise<void> {
    if (messages.length === 0) return;
    this.#o.logger.info("releasing messages", { why, messageIds: messages.map((m) => m.messageId) });
    const copies = messages.map((m) => this.#guard.newest(m));
    messages.forEach((m, i) => this.#guard.release(m, { used: copies[i]!, deleted: false }));
    await this.#visibility.set(copies, { seconds: 0, why: "release" });
  }

  /** After stop: waits for in-flight work up to the grace period, releases the rest, flushes deletes. */
  async #drain(): Promise<void> {
    const lifecycle = this.#lifecycle;
    await this.#until(
      () => lifecycle.messages.size === 0 || lifecycle.worker.graceOver(),
      lifecycle.worker.graceRemainingMs(),
    );
    // From here on a message that finishes late leaves the queue alone, and stops reading.
    const unfinished = lifecycle.close();
    clearTimeout(this.#wake);
    this.#cancel.abort();
    if (unfinished.length > 0) {
      this.#o.logger.warn("grace period over; releasing unfinished messages", { count: unfinished.length });
      await this.#release(unfinished, "grace period over");
    }
    // Finished messages complete their delete or visibility call before the worker reports stopped.
    await Promise.all([this.#deletes.flush(), this.#visibility.flush()]);
    await this.#until(() => lifecycle.messages.settling() === 0);
  }

  /** Resolves once `done()` holds (checked after every transition) or after `ms`. */
  async #until(done: () => boolean, ms = Number.POSITIVE_INFINITY): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      if (Number.isFinite(ms)) timer = setTimeout(() => resolve("timeout"), ms);
    });
    try {
      while (!done()) if (await Promise.race([this.#change.promise, timeout]) === "timeout") return;
    } finally {
      clearTimeout(timer);
    }
  }
}
