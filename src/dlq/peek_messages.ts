/**
 * Reads the first messages of a queue without consuming them: each receive
 * hides what it returned for a short hold (so the next receive returns other
 * messages), and every message is made visible again (visibility 0) as soon
 * as the reading is done, errors included. Nothing is deleted. If the process
 * dies in between, the messages reappear when the hold runs out.
 *
 * @module
 */
import type { DlqMessage, EntryFailure, QueueAdmin } from "./queue_admin.ts";

/** Seconds the messages read stay hidden at most (normally: until the read ends). */
export const PEEK_HOLD_SECONDS = 30;
/** Long-poll wait of each receive: long enough to ask every SQS server, short enough to end quickly. */
export const PEEK_WAIT_SECONDS = 1;

/** What a peek saw. */
export interface Peek {
  /** Distinct messages, in the order received. */
  readonly messages: DlqMessage[];
  /** Messages that could not be made visible again (they reappear after the hold). */
  readonly restoreFailures: EntryFailure[];
}

/** Reads up to `limit` distinct messages of `queueUrl` and makes them all visible again. */
export async function peekMessages(
  admin: QueueAdmin,
  queueUrl: string,
  options: { limit: number; holdSeconds?: number },
): Promise<Peek> {
  const seen = new Map<string, DlqMessage>();
  const received: DlqMessage[] = [];
  const maxReceives = Math.ceil(options.limit / 10) + 2;
  let failure: unknown;
  try {
    for (let i = 0; i < maxReceives && seen.size < options.limit; i++) {
      const batch = await admin.receive(queueUrl, {
        maxMessages: options.limit - seen.size,
        visibilityTimeoutSeconds: options.holdSeconds ?? PEEK_HOLD_SECONDS,
        waitTimeSeconds: PEEK_WAIT_SECONDS,
      });
      if (batch.length === 0) break;
      received.push(...batch);
      for (const m of batch) if (!seen.has(m.messageId)) seen.set(m.messageId, m);
    }
  } catch (err) {
    failure = err;
  }
  let restoreFailures: EntryFailure[] = [];
  if (received.length > 0) {
    try {
      restoreFailures = await admin.changeVisibility(queueUrl, received, 0);
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
  return { messages: [...seen.values()].slice(0, options.limit), restoreFailures };
}
