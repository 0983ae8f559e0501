/**
 * Redrive without StartMessageMoveTask: receive a batch from the DLQ (hidden
 * for a hold), send copies (body and message attributes) to the destination,
 * and delete from the DLQ only the messages whose send succeeded. A refused
 * send leaves its message in the DLQ (made visible again at the end); a
 * failed delete leaves a message that was also sent, so it may be delivered
 * twice (at least once, never lost). Stops at `limit` messages, when the DLQ
 * has nothing visible, or at the first error.
 *
 * @module
 */
import { errorMessage } from "../errors.ts";
import { SQS_BATCH_LIMIT } from "../runtime/sqs_queue.ts";
import { Pacer } from "./pacer.ts";
import type { QueueAdmin, QueueEntry } from "./queue_admin.ts";

/** Seconds a received batch stays hidden in the DLQ while it is copied. */
export const COPY_HOLD_SECONDS = 60;

/** Counts of a copy redrive (snake_case fields: it is printed). */
export interface CopyResult {
  /** Sent to the destination and deleted from the DLQ. */
  readonly moved: number;
  /** Refused by SendMessageBatch: still in the DLQ. */
  readonly send_failed: number;
  /** Sent, but the DLQ delete failed: they come back in the DLQ while a copy is in the queue. */
  readonly delete_failed: number;
  /** The first entry errors, and what stopped the run early. */
  readonly errors: string[];
  readonly stopped_early: boolean;
}

/** What one copy redrive needs. */
export interface CopyOptions {
  readonly from: string;
  readonly to: string;
  /** Most messages to move (e.g. the DLQ's visible count when the run started). */
  readonly limit: number;
  readonly perSecond?: number;
  readonly holdSeconds?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly progress?: (counts: { moved: number; failed: number; limit: number }) => void;
}

const MAX_ERRORS = 10;

/** Moves up to `limit` messages from `from` to `to` by receive → send → delete. */
export async function copyRedrive(admin: QueueAdmin, options: CopyOptions): Promise<CopyResult> {
  const pacer = new Pacer({
    perSecond: options.perSecond,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  });
  const errors: string[] = [];
  const note = (text: string) => errors.length < MAX_ERRORS && errors.push(text);
  const refused: QueueEntry[] = [];
  let moved = 0, sendFailed = 0, deleteFailed = 0, done = 0, stoppedEarly = false;
  try {
    while (done < options.limit) {
      const want = Math.min(SQS_BATCH_LIMIT, options.limit - done, options.perSecond ?? SQS_BATCH_LIMIT);
      await pacer.take(want);
      const batch = await admin.receive(options.from, {
        maxMessages: want,
        visibilityTimeoutSeconds: options.holdSeconds ?? COPY_HOLD_SECONDS,
        waitTimeSeconds: 1,
      });
      if (batch.length === 0) break;
      done += batch.length;
      let sentIds: Set<string>;
      try {
        const result = await admin.send(options.to, batch);
        sentIds = new Set(result.sent);
        for (const f of result.failed) note(`send ${f.messageId}: ${f.code} ${f.message}`.trim());
      } catch (err) {
        refused.push(...batch);
        sendFailed += batch.length;
        throw err;
      }
      const sent = batch.filter((m) => sentIds.has(m.messageId));
      const notSent = batch.filter((m) => !sentIds.has(m.messageId));
      refused.push(...notSent);
      sendFailed += notSent.length;
      try {
        const failed = sent.length > 0 ? await admin.delete(options.from, sent) : [];
        for (const f of failed) note(`delete ${f.messageId}: ${f.code} ${f.message}`.trim());
        deleteFailed += failed.length;
        moved += sent.length - failed.length;
      } catch (err) {
        deleteFailed += sent.length;
        throw err;
      }
      options.progress?.({ moved, failed: sendFailed + deleteFailed, limit: options.limit });
      if (sent.length === 0) {
        stoppedEarly = true;
        note("stopped: the destination refused a whole batch");
        break;
      }
    }
  } catch (err) {
    stoppedEarly = true;
    note(`stopped: ${errorMessage(err)}`);
  } finally {
    if (refused.length > 0) {
      await admin.changeVisibility(options.from, refused, 0).catch((err) =>
        note(`could not make refused messages visible again (they reappear after the hold): ${errorMessage(err)}`)
      );
    }
  }
  return { moved, send_failed: sendFailed, delete_failed: deleteFailed, errors, stopped_early: stoppedEarly };
}
