/**
 * Processes one SQS message body: every object it announces, one outcome for
 * the message (DESIGN 1.5).
 *
 * @module
 */
import { parseNotification } from "../notification/parse_notification.ts";
import { type MessageResult, messageResult, type ObjectResult, objectResult } from "../results.ts";
import type { MessageContext, PipelineDeps } from "./pipeline_deps.ts";
import { processObject } from "./process_object.ts";

/**
 * Processes the objects of one message body in order; the message's outcome
 * is the merge of theirs (DESIGN 1.5). Never throws: a body that cannot be
 * understood is a permanent `InvalidNotification` result.
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
  for (const item of parseNotification(body)) {
    if (item.kind === "object") {
      objects.push(await processObject(item.ref, deps, context));
      continue;
    }
    const { bucket, key, reason } = item;
    if (item.kind === "invalid") {
      deps.logger.error("invalid notification", { reason });
      objects.push(objectResult({ bucket, key, outcome: "permanent", code: "InvalidNotification", reason }));
    } else objects.push(objectResult({ bucket, key, outcome: "skipped", reason }));
  }
  return messageResult(objects);
}
