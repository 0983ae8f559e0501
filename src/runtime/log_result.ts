/**
 * One log line per processed object (the same fields as manual mode's result
 * lines), at a level that matches its outcome. Per-tenant detail lives here,
 * not in metric labels.
 *
 * @module
 */
import type { MessageResult } from "../results.ts";
import type { Logger } from "../telemetry/logger.ts";

/** Logs every object of `result`: info when done, warn when retryable, error when permanent. */
export function logResult(logger: Logger, result: MessageResult): void {
  if (result.objects.length === 0) {
    logger.warn("message processed without objects", { outcome: result.outcome });
    return;
  }
  for (const object of result.objects) {
    const fields = { ...object } as Record<string, unknown>;
    switch (object.outcome) {
      case "permanent":
        logger.error("object not delivered (permanent)", fields);
        break;
      case "retryable":
        logger.warn("object not delivered (will retry)", fields);
        break;
      default:
        logger.info(`object ${object.outcome}`, fields);
    }
  }
}
