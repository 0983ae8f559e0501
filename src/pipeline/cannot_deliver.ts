/**
 * How an object's processing ends when it does not deliver: the one form of
 * its reason ({@link cannotDeliver}) and the result of a failure
 * ({@link failedResult}). Pure.
 *
 * @module
 */
import { classifyAwsError } from "../aws/classify_error.ts";
import { errorMessage } from "../errors.ts";
import { type InvalidDeliveryReport, type ObjectResult, objectResult, type ObjectResultFields } from "../results.ts";

/** What the processing steps have learnt about an object so far: the fields every result of it carries. */
export interface Known {
  readonly bucket: string;
  readonly key: string;
  /** Set once the key has named the tenant. */
  readonly tenant?: string;
  /** The tenant's items that failed validation (reported with the object). */
  readonly invalid_deliveries?: readonly InvalidDeliveryReport[];
}

/**
 * The reason of an object that was not delivered (DESIGN 2):
 * `Cannot deliver "<key>" to tenant "<tenant>" (delivery <id>): <detail>`;
 * the tenant and delivery parts appear once known.
 *
 * @example
 * ```ts
 * cannotDeliver({ bucket: "b", key: "acme/c/app/pod/f.json.gz", tenant: "acme" }, "role refused", "audit");
 * // 'Cannot deliver "acme/c/app/pod/f.json.gz" to tenant "acme" (delivery audit): role refused'
 * ```
 */
export function cannotDeliver(known: Known, detail: string, deliveryId?: string): string {
  const who = known.tenant ? ` to tenant "${known.tenant}"` : "";
  const which = deliveryId ? ` (delivery ${deliveryId})` : "";
  return `Cannot deliver ${JSON.stringify(known.key)}${who}${which}: ${detail}`;
}

/**
 * The result of an object whose processing failed with `err`: its class and
 * code decide the outcome; `progress` holds what was read and reported until then.
 */
export function failedResult(known: Known, err: unknown, progress: Partial<ObjectResult> = {}): ObjectResult {
  const { failureClass, code } = classifyAwsError(err);
  const reason = cannotDeliver(known, errorMessage(err));
  return objectResult({ ...known, ...progress, outcome: failureClass, code, reason });
}

/** The result of an object that ends with `fields` (skipped, invalid, or delivered with its counts). */
export function endedResult(known: Known, fields: ObjectResultFields): ObjectResult {
  return objectResult({ ...known, ...fields });
}
