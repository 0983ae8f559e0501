/**
 * Processes one announced object end to end, as a short sequence of named
 * steps (see {@link processObject}): route → writer → tenant → select →
 * deliver.
 * Each step either hands what it learnt to the next or ends with the
 * object's result, built once by {@link objectResult}. Never throws: every
 * failure becomes a classified result.
 *
 * @module
 */
import { permanent } from "../errors.ts";
import { parseObjectKey, type TenantPath } from "../notification/parse_key.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import type { ObjectResult } from "../results.ts";
import type { Delivery, TenantConfig } from "../tenant/delivery.ts";
import { selectDeliveries } from "../tenant/select_deliveries.ts";
import { cannotDeliver, endedResult, failedResult, type Known } from "./cannot_deliver.ts";
import { writerRefusal } from "./check_object_writer.ts";
import { type Delivered, deliverObject } from "./deliver_object.ts";
import type { MessageContext, PipelineDeps } from "./pipeline_deps.ts";

/** Step 1, route: the object is in the central bucket and its key is a tenant path (else permanent). */
function route(ref: ObjectRef, deps: PipelineDeps): TenantPath {
  if (deps.centralBucket !== undefined && ref.bucket !== deps.centralBucket) {
    throw permanent("UnexpectedBucket", `bucket "${ref.bucket}" is not the central bucket "${deps.centralBucket}"`);
  }
  return parseObjectKey(ref.key);
}

/**
 * Step 2, writer: may the writer the notification names write this key (DESIGN 1.6)? The cluster registry
 * decides; a refusal ends the object permanent (`WriterNotAllowed`), before any tenant lookup or read.
 */
async function checkWriterOf(
  object: { readonly ref: ObjectRef; readonly path: TenantPath },
  known: Known,
  deps: PipelineDeps,
): Promise<ObjectResult | undefined> {
  const refusal = await writerRefusal(object, deps);
  if (!refusal) return undefined;
  return endedResult(known, {
    outcome: "permanent",
    code: "WriterNotAllowed",
    refused: refusal.reason,
    reason: cannotDeliver(known, refusal.message),
  });
}

/** Step 3, tenant: the tenant's invalid items are logged and reported with the object (their siblings still deliver). */
function noteInvalidItems(tenant: TenantConfig, known: Known, deps: PipelineDeps): Known {
  if (tenant.invalid.length === 0) return known;
  const invalid = tenant.invalid.map((i) => ({ delivery_id: i.deliveryId, problems: i.problems }));
  deps.logger.warn("tenant has invalid delivery items; they are disabled", { tenant: tenant.tenantId, invalid });
  return { ...known, invalid_deliveries: invalid };
}

/** Step 4, select: the deliveries that admit the object's application, or the result when there are none. */
function select(
  tenant: TenantConfig,
  path: TenantPath,
  known: Known,
): { readonly deliveries: readonly Delivery[] } | { readonly ended: ObjectResult } {
  const selection = selectDeliveries(tenant, path.application);
  switch (selection.kind) {
    case "deliver":
      return { deliveries: selection.deliveries };
    case "skip":
      return { ended: endedResult(known, { outcome: "skipped", reason: selection.reason }) };
    case "invalid":
      return {
        ended: endedResult(known, {
          outcome: "permanent",
          code: "InvalidConfig",
          reason: cannotDeliver(known, selection.reason),
        }),
      };
  }
}

/**
 * Processes one object and reports its outcome (see {@link processObjectTracked}).
 */
export async function processObject(
  ref: ObjectRef,
  deps: PipelineDeps,
  context: MessageContext = {},
): Promise<ObjectResult> {
  return (await processObjectTracked(ref, deps, context)).result;
}

/**
 * Processes one object; resolves to its result and, once it was opened, its
 * delivery memory (the message uses it to remember an object that completed
 * when a sibling failed). The steps, in order:
 * 1. route: bucket and key → tenant path (a foreign bucket or a bad key is permanent);
 * 2. writer: the cluster registry lets this writer write this key (else permanent `WriterNotAllowed`);
 * 3. tenant: look the tenant up (a failed lookup keeps its error's class);
 * 4. select: the deliveries admitting the application (none: skipped; only invalid items: permanent);
 * 5. deliver: open the object and stream it once into every delivery ({@link deliverObject}).
 */
export async function processObjectTracked(
  ref: ObjectRef,
  deps: PipelineDeps,
  context: MessageContext = {},
): Promise<Delivered> {
  let known: Known = { bucket: ref.bucket, key: ref.key };
  try {
    const path = route(ref, deps);
    known = { ...known, tenant: path.customerId };
    const refused = await checkWriterOf({ ref, path }, known, deps);
    if (refused) return { result: refused };
    const tenant = await deps.tenants.get(path.customerId);
    known = noteInvalidItems(tenant, known, deps);
    const selected = select(tenant, path, known);
    if ("ended" in selected) return { result: selected.ended };
    return await deliverObject({ ref, path, deliveries: selected.deliveries, known }, deps, context);
  } catch (err) {
    return { result: failedResult(known, err) };
  }
}
