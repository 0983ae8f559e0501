/**
 * Where an object would go now, without reading it: its key's tenant, that
 * tenant's deliveries that admit its application, or why it goes nowhere.
 * The same decisions {@link processObject} makes before it opens the object;
 * for dry runs (`replay --dry-run`) and for telling why a dead-lettered
 * message failed (`dlq peek`).
 *
 * @module
 */
import { classifyAwsError } from "../aws/classify_error.ts";
import { errorMessage } from "../errors.ts";
import { parseObjectKey } from "../notification/parse_key.ts";
import { describeDestination } from "../tenant/delivery.ts";
import { selectDeliveries } from "../tenant/select_deliveries.ts";
import type { TenantStore } from "../tenant/tenant_store.ts";

/** Where an object would go (snake_case fields: it is printed). */
export interface Route {
  readonly tenant?: string;
  /** deliver: to `deliveries`; skip: nothing to deliver (`reason`); invalid: a permanent error (`code`, `reason`). */
  readonly action: "deliver" | "skip" | "invalid";
  /** The selected deliveries, described (`cloudwatch:/group`, `s3://bucket/prefix`). */
  readonly deliveries?: string[];
  /** The selected deliveries' ids, for matching the delivery-state table. */
  readonly delivery_ids?: string[];
  readonly reason?: string;
  /** For `invalid`: `InvalidKey`, `InvalidConfig`, or the tenant lookup's error code. */
  readonly code?: string;
}

/** Routes the object `key` with the tenant configuration `tenants` holds now. */
export async function routeObject(key: string, tenants: TenantStore): Promise<Route> {
  let path;
  try {
    path = parseObjectKey(key);
  } catch (err) {
    return { action: "invalid", code: classifyAwsError(err).code, reason: errorMessage(err) };
  }
  const tenant = path.customerId;
  try {
    const selection = selectDeliveries(await tenants.get(tenant), path.application);
    switch (selection.kind) {
      case "deliver":
        return {
          tenant,
          action: "deliver",
          deliveries: selection.deliveries.map(describeDestination),
          delivery_ids: selection.deliveries.map((d) => d.deliveryId),
        };
      case "skip":
        return { tenant, action: "skip", reason: selection.reason };
      case "invalid":
        return { tenant, action: "invalid", code: "InvalidConfig", reason: selection.reason };
    }
  } catch (err) {
    return { tenant, action: "invalid", code: classifyAwsError(err).code, reason: errorMessage(err) };
  }
}
