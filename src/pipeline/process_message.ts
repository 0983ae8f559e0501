/**
 * Processes one SQS message body: every object it announces, one outcome for
 * the message (DESIGN 1.5).
 *
 * @module
 */
import { mergeOutcomes, type Outcome } from "../delivery/outcome.ts";
import { parseNotification } from "../notification/parse_notification.ts";
import {
  type MessageContext,
  newResult,
  type ObjectResult,
  type PipelineDeps,
  processObject,
} from "./process_object.ts";

export type { MessageContext };

/** The outcome of a message and the results of its objects. */
export interface MessageResult {
  readonly outcome: Outcome;
  readonly objects: ObjectResult[];
}

/** Processes the objects of one message body in order. */
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
    const result = newResult(item.bucket, item.key);
    result.reason = item.reason;
    if (item.kind === "invalid") {
      result.outcome = "permanent";
      result.code = "InvalidNotification";
      deps.logger.error("invalid notification", { reason: item.reason });
    }
    objects.push(result);
  }
  return { outcome: mergeOutcomes(objects.map((o) => o.outcome)), objects };
}
