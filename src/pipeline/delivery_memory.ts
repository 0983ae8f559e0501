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

/** Where one object's delivery state is kept, and who hears of table problems. */
export interface MemoryOptions {
  /** The object version's key in the table (`stateKey`); undefined: protection off for it. */
  readonly pk: string | undefined;
  readonly logger: Logger;
}

/** Deliveries completed on an earlier receive; reads the table only when `receiveCount` > 1. */
export async function recallCompleted(
  store: DeliveryStateStore | undefined,
  options: MemoryOptions & { readonly receiveCount: number | undefined },
): Promise<ReadonlySet<string>> {
  const { pk, logger } = options;
  if (!store || !pk || (options.receiveCount ?? 1) <= 1) return NOTHING;
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

/** What one attempt at an object did, for {@link rememberCompleted}. */
export interface Attempt {
  readonly reports: readonly DeliveryReport[];
  /** What was completed before this attempt. */
  readonly previously: ReadonlySet<string>;
  readonly nowMs: number;
}

/** Writes what completed when some delivery failed; costs nothing when all succeeded. */
export async function rememberCompleted(
  store: DeliveryStateStore | undefined,
  options: MemoryOptions & Attempt,
): Promise<void> {
  const { pk, logger } = options;
  if (!store || !pk) return;
  const ids = completedToRemember(options.reports, options.previously);
  if (!ids) return;
  try {
    await store.remember(pk, ids, options.nowMs);
  } catch (err) {
    logger.warn("cannot write delivery state; a retry will deliver to every destination again", {
      pk,
      code: classifyAwsError(err).code,
      error: err,
    });
  }
}
