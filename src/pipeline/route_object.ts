/**
 * Where an object would go now, without reading it: its key's tenant, whether
 * the cluster registry lets its writer write it (when a registry is given),
 * that tenant's deliveries that admit its application, or why it goes nowhere.
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
import type { ObjectRef } from "../notification/parse_notification.ts";
import type { RefusalReason } from "../tenant/check_writer.ts";
import type { ClusterStore } from "../tenant/cluster_store.ts";
import { writerRefusal } from "./check_object_writer.ts";

/** Where an object would go (snake_case fields: it is printed). */
export interface Route {
  readonly tenant?: string;
  /**
   * deliver: to `deliveries`; skip: nothing to deliver (`reason`); invalid: a permanent error (`code`,
   * `reason`); refuse: the registry refuses the writer (`code` WriterNotAllowed, `refused`, `reason`).
   */
  readonly action: "deliver" | "skip" | "invalid" | "refuse";
  /** The selected deliveries, described (`cloudwatch:/group`, `s3://bucket/prefix`). */
  readonly deliveries?: string[];
  /** The selected deliveries' ids, for matching the delivery-state table. */
  readonly delivery_ids?: string[];
  readonly reason?: string;
  /** For `invalid`: `InvalidKey`, `InvalidConfig`, or the tenant lookup's error code. */
  readonly code?: string;
  /** For `refuse`: why, as the processor's `refused` field. */
  readonly refused?: RefusalReason;
}

/** The cluster registry check of {@link routeObject}. */
export interface RouteRegistry {
  readonly clusters: ClusterStore;
  /** The writer the notification names (`principalId`, `requester`); a listing names none. */
  readonly ref?: ObjectRef;
  readonly requireWriterIdentity?: boolean;
}

/**
 * Routes the object `key` with the tenant configuration `tenants` holds now,
 * and, with `options.registry`, the cluster registry's verdict on its writer.
 */
export async function routeObject(
  key: string,
  tenants: TenantStore,
  options: { readonly registry?: RouteRegistry } = {},
): Promise<Route> {
  let path;
  try {
    path = parseObjectKey(key);
  } catch (err) {
    return { action: "invalid", code: classifyAwsError(err).code, reason: errorMessage(err) };
  }
  const tenant = path.customerId;
  try {
    const registry = options.registry;
    if (registry) {
      const refusal = await writerRefusal({ ref: registry.ref ?? { bucket: "", key }, path }, registry);
      if (refusal) {
        return { tenant, action: "refuse", code: "WriterNotAllowed", refused: refusal.reason, reason: refusal.message };
      }
    }
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
