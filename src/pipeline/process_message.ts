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

/**
 * Processes the objects of one message body in order; the message's outcome
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
  for (const item of parseNotification(body)) {
    if (item.kind === "object") {
      const { result, memory } = await processObjectTracked(item.ref, deps, context);
      objects.push(result);
      if (memory && result.outcome === "delivered") memories.push({ result, memory });
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
