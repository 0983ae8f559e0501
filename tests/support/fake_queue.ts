/**
 * An in-memory SQS queue recording every call the SQS worker makes, and a
 * worker on it whose messages' bodies name their outcome, for the unit tests
 * of `src/runtime/sqs_worker.ts`.
 *
 * @module
 */
import type { Outcome } from "../../src/results.ts";
import { silentLogger } from "../../src/telemetry/logger.ts";
import { Metrics } from "../../src/telemetry/metrics.ts";
import type {
  EntryFailure,
  QueueClient,
  QueueEntry,
  QueueMessage,
  VisibilityEntry,
} from "../../src/runtime/sqs_queue.ts";
import { SqsWorker, type SqsWorkerOptions } from "../../src/runtime/sqs_worker.ts";
import { awsError } from "./fakes.ts";
import { messageResult } from "./results.ts";

/** An in-memory queue recording every call the worker makes. */
export class FakeQueue implements QueueClient {
  readonly pending: QueueMessage[] = [];
  readonly receives: number[] = [];
  readonly deletes: string[][] = [];
  /** The receipt handle of every entry deleted, in order. */
  readonly deletedHandles: string[] = [];
  /** The receipt handle of every entry whose visibility was changed, in order. */
  readonly visibilityHandles: string[] = [];
  readonly visibility: { ids: string[]; seconds: number }[] = [];
  failReceives = 0;
  failDeletes = 0;

  add(...bodies: string[]): this {
    for (const body of bodies) {
      const id = `m${this.pending.length + this.deletes.flat().length + 1}`;
      this.pending.push({ messageId: id, receiptHandle: `rh-${id}`, body, receiveCount: 1 });
    }
    return this;
  }

  /** SQS hands `m` out again: same id and body, a new receipt handle, one more receive. */
  again(m: QueueMessage): QueueMessage {
    const copy = { ...m, receiptHandle: `${m.receiptHandle}+`, receiveCount: m.receiveCount + 1 };
    this.pending.push(copy);
    return copy;
  }

  receive(options: { maxMessages: number }): Promise<QueueMessage[]> {
    this.receives.push(options.maxMessages);
    if (this.failReceives > 0) {
      this.failReceives--;
      return Promise.reject(awsError("ServiceUnavailable", 503));
    }
    const batch = this.pending.splice(0, options.maxMessages);
    if (batch.length > 0) return Promise.resolve(batch);
    return new Promise((resolve) => setTimeout(() => resolve([]), 2));
  }

  deleteBatch(entries: readonly QueueEntry[]): Promise<EntryFailure[]> {
    if (this.failDeletes > 0) {
      this.failDeletes--;
      return Promise.reject(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    }
    this.deletes.push(entries.map((e) => e.messageId));
    this.deletedHandles.push(...entries.map((e) => e.receiptHandle));
    return Promise.resolve([]);
  }

  /** Records one `{ ids, seconds }` per timeout in the call (entries may carry their own). */
  changeVisibilityBatch(entries: readonly VisibilityEntry[], seconds: number): Promise<EntryFailure[]> {
    this.visibilityHandles.push(...entries.map((e) => e.receiptHandle));
    const byTimeout = Map.groupBy(entries, (e) => e.visibilityTimeoutSeconds ?? seconds);
    for (const [t, group] of byTimeout) this.visibility.push({ ids: group.map((e) => e.messageId), seconds: t });
    return Promise.resolve([]);
  }

  deleted(): string[] {
    return this.deletes.flat().sort();
  }
}

/** A message's body names its outcome (`"delivered"`, `"retryable"` …). */
export const outcomeOf = (body: string) => body as Outcome;

/** A worker on `queue` (concurrency 4, fast retries, no heartbeat unless set) and its metrics. */
export function worker(queue: FakeQueue, extra: Partial<SqsWorkerOptions> = {}) {
  const metrics = new Metrics();
  const w = new SqsWorker({
    queue,
    processBody: (body) => Promise.resolve(messageResult(outcomeOf(body))),
    concurrency: 4,
    waitTimeSeconds: 0,
    visibilityTimeoutSeconds: 30,
    heartbeatIntervalMs: 60_000,
    retryVisibility: { baseSeconds: 1, maxSeconds: 60 },
    graceMs: 5_000,
    queueRetry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 },
    metrics,
    logger: silentLogger,
    random: () => 1,
    ...extra,
  });
  return { w, metrics };
}

/** Resolves when `cond()` holds (checked every few ms). */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
}

/** A promise and the function that resolves it. */
export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => resolve = r);
  return { promise, resolve };
}
