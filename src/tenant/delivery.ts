/**
 * The validated form of one tenant-table item (DESIGN 1.3), and the registry
 * of delivery types: adding a type means one spec file beside this one
 * (validation, description, customer-stack parameters), one entry here, and
 * its sink and probe in `src/delivery/destinations.ts`.
 *
 * @module
 */
import { CLOUDWATCH_DELIVERY, type CloudWatchDelivery } from "./cloudwatch_delivery.ts";
import type { DeliveryTypeSpec } from "./delivery_type.ts";
import { S3_DELIVERY, type S3Delivery } from "./s3_delivery.ts";

export type { CloudWatchDelivery, S3Delivery };
export type { DeliveryBase } from "./delivery_type.ts";

/** A valid delivery of any type. */
export type Delivery = CloudWatchDelivery | S3Delivery;
/** The `type` attribute of a delivery. */
export type DeliveryType = Delivery["type"];
/** The delivery of type `T`. */
export type DeliveryOf<T extends DeliveryType> = Extract<Delivery, { readonly type: T }>;

/** Every delivery type, by its `type` attribute. */
const DELIVERY_TYPE_SPECS: { readonly [T in DeliveryType]: DeliveryTypeSpec<DeliveryOf<T>> } = {
  cloudwatch: CLOUDWATCH_DELIVERY,
  s3: S3_DELIVERY,
};
/** The `type` values a tenant item may have, in the order they are listed. */
export const DELIVERY_TYPES: readonly DeliveryType[] = Object.values(DELIVERY_TYPE_SPECS).map((s) => s.type);

/** The spec of `type`, or undefined when no delivery type has that name. */
export function deliveryTypeSpec(type: string): DeliveryTypeSpec<Delivery> | undefined {
  if (!Object.hasOwn(DELIVERY_TYPE_SPECS, type)) return undefined;
  // Each spec handles its own type only; callers pass deliveries of that type.
  return DELIVERY_TYPE_SPECS[type as DeliveryType] as DeliveryTypeSpec<Delivery>;
}

/** An item that failed validation: that delivery is disabled, its siblings are not. */
export interface InvalidDelivery {
  readonly tenantId: string;
  readonly deliveryId: string;
  readonly problems: readonly string[];
}

/** Everything the table holds for one tenant. */
export interface TenantConfig {
  readonly tenantId: string;
  readonly deliveries: readonly Delivery[];
  readonly invalid: readonly InvalidDelivery[];
}

/** Human-readable destination of a delivery, for results and logs. */
export function describeDestination(d: Delivery): string {
  return deliveryTypeSpec(d.type)!.describe(d);
}
