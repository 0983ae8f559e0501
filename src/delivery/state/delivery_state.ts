/**
 * Which deliveries of an object already succeeded on an earlier receive of
 * its message, so a retry sends only to the others. Pure: the key and item
 * shape, which deliveries to skip, and what to remember after an attempt.
 *
 * Table (`DELIVERY_STATE_TABLE`): partition key `pk` (S) =
 * `<bucket>/<key>#<etag>`, one item per object version; `completed` (SS) the
 * delivery ids that succeeded; `ttl` (N, epoch seconds) for DynamoDB TTL.
 *
 * @module
 */
import type { DeliveryReport } from "../../results.ts";
import type { Delivery } from "../../tenant/delivery.ts";
import { deliveryReport } from "../sink.ts";

/** Name of the TTL attribute (enable TTL on it in the table). */
export const TTL_ATTRIBUTE = "ttl";

/** A delivery-state item as stored (unmarshalled). */
export interface DeliveryStateItem {
  readonly pk: string;
  readonly completed: ReadonlySet<string>;
  /** Epoch seconds after which DynamoDB may delete the item. */
  readonly ttl: number;
}

/** The state key of one object version; undefined without an ETag (protection off for it). */
export function stateKey(bucket: string, key: string, eTag: string | undefined): string | undefined {
  const tag = eTag?.replace(/^"|"$/g, "");
  return tag ? `${bucket}/${key}#${tag}` : undefined;
}

/** Epoch seconds an item written at `nowMs` expires. */
export function expiryOf(nowMs: number, ttlSeconds: number): number {
  return Math.floor(nowMs / 1000) + ttlSeconds;
}

/** Splits deliveries into those still to do and those already completed. */
export function pendingDeliveries(
  deliveries: readonly Delivery[],
  completed: ReadonlySet<string>,
): { todo: Delivery[]; done: Delivery[] } {
  const todo: Delivery[] = [];
  const done: Delivery[] = [];
  for (const d of deliveries) (completed.has(d.deliveryId) ? done : todo).push(d);
  return { todo, done };
}

/** The report of a delivery skipped because it succeeded on an earlier receive. */
export function alreadyDeliveredReport(delivery: Delivery): DeliveryReport {
  return {
    ...deliveryReport(delivery),
    code: "AlreadyDelivered",
    reason: "delivered on an earlier receive of this message; not sent again",
  };
}

/**
 * The delivery ids to remember after an attempt, or undefined when nothing
 * needs remembering: every delivery succeeded (the message will be deleted),
 * or none has succeeded so far.
 */
export function completedToRemember(
  reports: readonly DeliveryReport[],
  previouslyCompleted: ReadonlySet<string> = new Set(),
): string[] | undefined {
  if (reports.every((r) => r.outcome === "delivered")) return undefined;
  const ids = new Set(previouslyCompleted);
  for (const r of reports) if (r.outcome === "delivered") ids.add(r.delivery_id);
  return ids.size > 0 ? [...ids].sort() : undefined;
}
