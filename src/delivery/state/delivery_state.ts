/**
 * How far each delivery of an object version got on earlier attempts, so a
 * later attempt resumes instead of resending. Pure: the key and item shape,
 * what each delivery still has to do, and how an attempt's progress merges
 * into what was known.
 *
 * An object version is immutable (its ETag names its bytes), so the sequence
 * of events read from it is always the same: the n-th event (its ordinal) is
 * the same event on every attempt. A delivery's progress is a prefix of that
 * sequence, "the first N events need no resend" (see
 * `DeliverySink.handledEvents`).
 *
 * Table (`DELIVERY_STATE_TABLE`): partition key `pk` (S) =
 * `<bucket>/<key>#<etag>`, one item per object version; `completed` (SS) the
 * delivery ids that completed; `progress` (M of N) for deliveries not
 * completed, the events they have had handled; `ttl` (N, epoch seconds) for
 * DynamoDB TTL; `updated_at` (S).
 *
 * @module
 */
import type { DeliveryReport } from "../../results.ts";
import type { Delivery } from "../../tenant/delivery.ts";
import { deliveryReport } from "../sink.ts";

/** Name of the TTL attribute (enable TTL on it in the table). */
export const TTL_ATTRIBUTE = "ttl";

/** What is known of one object version's deliveries. */
export interface DeliveryState {
  /** Delivery ids that completed. */
  readonly completed: ReadonlySet<string>;
  /** Delivery id → events of the object (from the first) it has had handled; only deliveries not completed. */
  readonly progress: ReadonlyMap<string, number>;
}

/** Nothing known. */
export const NO_STATE: DeliveryState = Object.freeze({ completed: new Set<string>(), progress: new Map() });

/** Whether `state` says nothing. */
export function isEmptyState(state: DeliveryState): boolean {
  return state.completed.size === 0 && state.progress.size === 0;
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

/** A delivery still to do, and how many of the object's first events it skips. */
export interface PendingDelivery {
  readonly delivery: Delivery;
  readonly skip: number;
}

/** Splits deliveries into those still to do (with what they skip) and those already completed. */
export function planDeliveries(
  deliveries: readonly Delivery[],
  state: DeliveryState,
): { todo: PendingDelivery[]; done: Delivery[] } {
  const todo: PendingDelivery[] = [];
  const done: Delivery[] = [];
  for (const d of deliveries) {
    if (state.completed.has(d.deliveryId)) done.push(d);
    else todo.push({ delivery: d, skip: state.progress.get(d.deliveryId) ?? 0 });
  }
  return { todo, done };
}

/** The report of a delivery skipped because it completed on an earlier attempt. */
export function alreadyDeliveredReport(delivery: Delivery): DeliveryReport {
  return {
    ...deliveryReport(delivery),
    code: "AlreadyDelivered",
    reason: "delivered on an earlier attempt at this object; not sent again",
  };
}

/** Where one delivery stands in an attempt. */
export interface DeliveryProgress {
  readonly deliveryId: string;
  readonly completed: boolean;
  /** Events of the object (from the first) handled so far, earlier attempts included. */
  readonly handled: number;
}

/**
 * `previous` with an attempt's progress merged in: completions add up; a
 * delivery's progress only grows (a lower count from a concurrent copy never
 * undoes a higher one known here) and is dropped once it completed.
 */
export function mergeProgress(previous: DeliveryState, attempt: readonly DeliveryProgress[]): DeliveryState {
  const completed = new Set(previous.completed);
  const progress = new Map(previous.progress);
  for (const p of attempt) {
    if (p.completed) completed.add(p.deliveryId);
    else if (p.handled > (progress.get(p.deliveryId) ?? 0)) progress.set(p.deliveryId, p.handled);
  }
  for (const id of completed) progress.delete(id);
  return { completed, progress };
}

/** Whether `next` says more than `previous` (something worth writing). */
export function stateGrew(previous: DeliveryState, next: DeliveryState): boolean {
  for (const id of next.completed) if (!previous.completed.has(id)) return true;
  for (const [id, n] of next.progress) if (n > (previous.progress.get(id) ?? 0)) return true;
  return false;
}
