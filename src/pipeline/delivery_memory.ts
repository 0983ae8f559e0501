/**
 * The pipeline's use of the delivery state: recall completed deliveries only
 * when the message was received before, remember them only when something
 * failed. A state-table problem never changes an outcome: it is logged and
 * the object is simply delivered again to every destination (at least once).
 *
 * @module
 */
import { classifyAwsError } from "../aws/classify_error.ts";
import type { DeliveryReport } from "../results.ts";
import { completedToRemember } from "../delivery/state/delivery_state.ts";
import type { DeliveryStateStore } from "../delivery/state/delivery_state_store.ts";
import type { Logger } from "../telemetry/logger.ts";

const NOTHING: ReadonlySet<string> = new Set();

/** Deliveries completed on an earlier receive; reads the table only when `receiveCount` > 1. */
export async function recallCompleted(
  store: DeliveryStateStore | undefined,
  pk: string | undefined,
  receiveCount: number | undefined,
  logger: Logger,
): Promise<ReadonlySet<string>> {
  if (!store || !pk || (receiveCount ?? 1) <= 1) return NOTHING;
  try {
    return await store.completed(pk);
  } catch (err) {
    logger.warn("cannot read delivery state; delivering to every destination", {
      pk,
      code: classifyAwsError(err).code,
      error: err,
    });
    return NOTHING;
  }
}

/** Writes what completed when some delivery failed; costs nothing when all succeeded. */
export async function rememberCompleted(
  store: DeliveryStateStore | undefined,
  pk: string | undefined,
  reports: readonly DeliveryReport[],
  previously: ReadonlySet<string>,
  logger: Logger,
  nowMs: number,
): Promise<void> {
  if (!store || !pk) return;
  const ids = completedToRemember(reports, previously);
  if (!ids) return;
  try {
    await store.remember(pk, ids, nowMs);
  } catch (err) {
    logger.warn("cannot write delivery state; a retry will deliver to every destination again", {
      pk,
      code: classifyAwsError(err).code,
      error: err,
    });
  }
}
