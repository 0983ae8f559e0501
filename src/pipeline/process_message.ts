/**
 * Processes one SQS message body: every object it announces, one outcome for
 * the message (DESIGN 1.5).
 *
 * @module
 */
import { parseNotification } from "../notification/parse_notification.ts";
import { isDone, type MessageResult, messageResult, type ObjectResult, objectResult } from "../results.ts";
import type { ObjectMemory } from "./delivery_memory.ts";
import type { MessageContext, PipelineDeps } from "./pipeline_deps.ts";
import { processObjectTracked } from "./process_object.ts";

/** When one object's processing started and ended (epoch ms), and the S3 event time of its notification. */
export interface ObjectTiming {
  readonly startedMs: number;
  readonly endedMs: number;
  readonly eventTime?: string;
}

/**
 * `result` with its processing time (`duration_ms`) and, when the event time
 * parses, its age at the end of processing (`age_ms`, from the S3 event:
 * the object's creation). Clocks that step back give 0, never a negative time.
 */
function withTiming(result: ObjectResult, timing: ObjectTiming): ObjectResult {
  const eventMs = timing.eventTime === undefined ? Number.NaN : Date.parse(timing.eventTime);
  const duration_ms = Math.max(0, timing.endedMs - timing.startedMs);
  return Number.isFinite(eventMs)
    ? { ...result, duration_ms, age_ms: Math.max(0, timing.endedMs - eventMs) }
    : { ...result, duration_ms };
}

/**
 * Processes the objects of one message body in order, timing each; the message's outcome
 * is the merge of theirs (DESIGN 1.5). When the message will come back (some
 * object failed), the objects that were delivered are remembered as such, so
 * its next receive does not deliver them again. Never throws: a body that
 * cannot be understood is a permanent `InvalidNotification` result.
 *
 * @example
 * ```ts
 * const { outcome, objects } = await processMessage(body, deps, { receiveCount: 2, signal });
 * if (isDone(outcome)) await deleteMessage();
 * ```
 */
export async function processMessage(
  body: string,
  deps: PipelineDeps,
  context: MessageContext = {},
): Promise<MessageResult> {
  const objects: ObjectResult[] = [];
  const memories: { readonly result: ObjectResult; readonly memory: ObjectMemory }[] = [];
  const now = deps.now ?? Date.now;
  for (const item of parseNotification(body)) {
    if (item.kind === "object") {
      const startedMs = now();
      const tracked = await processObjectTracked(item.ref, deps, context);
      const result = withTiming(tracked.result, { startedMs, endedMs: now(), eventTime: item.ref.eventTime });
      objects.push(result);
      if (tracked.memory && result.outcome === "delivered") memories.push({ result, memory: tracked.memory });
      continue;
    }
    const { bucket, key, reason } = item;
    if (item.kind === "invalid") {
      deps.logger.error("invalid notification", { reason });
      objects.push(objectResult({ bucket, key, outcome: "permanent", code: "InvalidNotification", reason }));
    } else objects.push(objectResult({ bucket, key, outcome: "skipped", reason }));
  }
  const message = messageResult(objects);
  if (!isDone(message.outcome)) {
    for (const { result, memory } of memories) await memory.completed(result.deliveries.map((d) => d.delivery_id));
  }
  return message;
}
