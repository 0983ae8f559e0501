/**
 * An in-memory {@link QueueAdmin} for unit tests of the DLQ tools: queues
 * with visibility (a fake clock), receive counts, and failures to inject per
 * call. Every call is recorded.
 *
 * @module
 */
import type { DlqMessage, EntryFailure, MoveTask, QueueAdmin, QueueEntry } from "../../src/dlq/queue_admin.ts";

interface Stored {
  id: string;
  body: string;
  receives: number;
  visibleAt: number;
  handle: string;
  sentAt: number;
}

/** A recorded call: the method and its queue (or argument). */
export type AdminCall = [method: string, target: string, detail?: unknown];

/** Fake SQS: `queues` by URL. `fail` makes the next call of a method throw, or refuses entries. */
export class FakeQueueAdmin implements QueueAdmin {
  readonly queues = new Map<string, Stored[]>();
  readonly calls: AdminCall[] = [];
  now = 1_000_000;
  /** Throw on the next call of these methods (deleted once thrown). */
  readonly throwOnce = new Set<string>();
  /** Message ids whose send is refused (per-entry failure), for every send. */
  readonly refuseSend = new Set<string>();
  /** Message ids whose delete is refused. */
  readonly refuseDelete = new Set<string>();
  #next = 0;

  /** Adds messages with these bodies to `url`. */
  add(url: string, ...bodies: string[]): string[] {
    const q = this.#queue(url);
    return bodies.map((body) => {
      const id = `m${++this.#next}`;
      q.push({ id, body, receives: 0, visibleAt: 0, handle: "", sentAt: this.now });
      return id;
    });
  }

  /** Bodies of `url`, visible or not. */
  bodies(url: string): string[] {
    return this.#queue(url).map((m) => m.body);
  }

  /** How many messages of `url` are visible now. */
  visible(url: string): number {
    return this.#queue(url).filter((m) => m.visibleAt <= this.now).length;
  }

  #queue(url: string): Stored[] {
    if (!this.queues.has(url)) this.queues.set(url, []);
    return this.queues.get(url)!;
  }

  #maybeThrow(method: string): void {
    if (this.throwOnce.delete(method)) {
      throw Object.assign(new Error(`${method} failed`), { name: "ServiceUnavailable" });
    }
  }

  attributes(url: string): Promise<Record<string, string>> {
    this.calls.push(["attributes", url]);
    return Promise.resolve({ ApproximateNumberOfMessages: String(this.visible(url)) });
  }

  urlOf(arn: string): Promise<string> {
    return Promise.resolve(arn);
  }

  deadLetterSources(): Promise<string[]> {
    return Promise.resolve([]);
  }

  receive(url: string, o: { maxMessages: number; visibilityTimeoutSeconds: number }): Promise<DlqMessage[]> {
    this.calls.push(["receive", url, o.maxMessages]);
    this.#maybeThrow("receive");
    const out: DlqMessage[] = [];
    for (const m of this.#queue(url)) {
      if (out.length >= Math.min(10, o.maxMessages)) break;
      if (m.visibleAt > this.now) continue;
      m.receives++;
      m.visibleAt = this.now + o.visibilityTimeoutSeconds * 1000;
      m.handle = `${m.id}#${m.receives}`;
      out.push({
        messageId: m.id,
        receiptHandle: m.handle,
        body: m.body,
        receiveCount: m.receives,
        sentAt: m.sentAt,
        attributes: {},
      });
    }
    return Promise.resolve(out);
  }

  #byHandle(url: string, e: QueueEntry): Stored | undefined {
    return this.#queue(url).find((m) => m.handle === e.receiptHandle);
  }

  changeVisibility(url: string, entries: readonly QueueEntry[], seconds: number): Promise<EntryFailure[]> {
    this.calls.push(["changeVisibility", url, entries.map((e) => e.messageId)]);
    this.#maybeThrow("changeVisibility");
    for (const e of entries) {
      const m = this.#byHandle(url, e);
      if (m) m.visibleAt = this.now + seconds * 1000;
    }
    return Promise.resolve([]);
  }

  send(url: string, messages: readonly DlqMessage[]): Promise<{ sent: string[]; failed: EntryFailure[] }> {
    this.calls.push(["send", url, messages.map((m) => m.messageId)]);
    this.#maybeThrow("send");
    const sent: string[] = [];
    const failed: EntryFailure[] = [];
    for (const m of messages) {
      if (this.refuseSend.has(m.messageId)) {
        failed.push({ messageId: m.messageId, code: "KMS.AccessDenied", message: "no kms:GenerateDataKey" });
        continue;
      }
      this.add(url, m.body);
      sent.push(m.messageId);
    }
    return Promise.resolve({ sent, failed });
  }

  delete(url: string, entries: readonly QueueEntry[]): Promise<EntryFailure[]> {
    this.calls.push(["delete", url, entries.map((e) => e.messageId)]);
    this.#maybeThrow("delete");
    const failed: EntryFailure[] = [];
    const q = this.#queue(url);
    for (const e of entries) {
      if (this.refuseDelete.has(e.messageId)) {
        failed.push({ messageId: e.messageId, code: "ReceiptHandleIsInvalid", message: "stale" });
        continue;
      }
      const i = q.findIndex((m) => m.handle === e.receiptHandle);
      if (i >= 0) q.splice(i, 1);
    }
    return Promise.resolve(failed);
  }

  startMoveTask(): Promise<string> {
    return Promise.reject(new Error("not in the fake"));
  }

  listMoveTasks(): Promise<MoveTask[]> {
    return Promise.resolve([]);
  }

  cancelMoveTask(): Promise<number> {
    return Promise.resolve(0);
  }
}
