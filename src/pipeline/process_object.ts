/**
 * Processes one announced object end to end: key → tenant → deliveries →
 * stream the object once into every delivery's sink → one outcome.
 * Never throws: every failure becomes a classified result.
 *
 * @module
 */
import { classifyAwsError } from "../aws/classify_error.ts";
import { errorMessage, permanent, retryable } from "../errors.ts";
import type { ObjectSource } from "../ingest/object_source.ts";
import { emptyReadStats, readRecords } from "../ingest/read_records.ts";
import { parseObjectKey, type TenantPath } from "../notification/parse_key.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import { mergeOutcomes, type ObjectResult, objectResult } from "../results.ts";
import { deliveryReport, type DeliverySink, reportFailure, type SinkFactory } from "../delivery/sink.ts";
import { alreadyDeliveredReport, pendingDeliveries, stateKey } from "../delivery/state/delivery_state.ts";
import type { DeliveryStateStore } from "../delivery/state/delivery_state_store.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { Delivery } from "../tenant/delivery.ts";
import { selectDeliveries } from "../tenant/select_deliveries.ts";
import type { TenantStore } from "../tenant/tenant_store.ts";
import { recallCompleted, rememberCompleted } from "./delivery_memory.ts";

/** The result while it is being filled in (until the processing steps build it once). */
type Draft = { -readonly [K in keyof ObjectResult]: ObjectResult[K] };

/** What processing needs from the outside world. */
export interface PipelineDeps {
  readonly tenants: TenantStore;
  readonly source: ObjectSource;
  readonly sinkFor: SinkFactory;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Remembers completed deliveries of failed objects (`DELIVERY_STATE_TABLE`); absent = off. */
  readonly deliveryState?: DeliveryStateStore;
  /** `CENTRAL_BUCKET`: when set, objects of any other bucket are refused. */
  readonly centralBucket?: string;
}

/** What the caller knows about the message being processed. */
export interface MessageContext {
  /**
   * SQS `ApproximateReceiveCount`; above 1 the delivery state is consulted so
   * deliveries that succeeded before are not repeated. Unknown = first receive.
   */
  readonly receiveCount?: number;
  /**
   * Aborted when the caller gives up (Lambda deadline, worker grace period
   * over): reading stops at the next chunk and the object ends retryable, so
   * a message already handed back is not delivered a second time meanwhile.
   */
  readonly signal?: AbortSignal;
}

/** Throws a retryable `Cancelled` error once `signal` is aborted. */
function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw retryable("Cancelled", "processing was cancelled (deadline or shutdown); the message will be retried");
  }
}

/** A result with nothing read yet. */
function newResult(bucket?: string, key?: string): Draft {
  return objectResult({ bucket, key, outcome: "skipped" });
}

function fail(result: Draft, err: unknown): ObjectResult {
  const { failureClass, code } = classifyAwsError(err);
  result.outcome = failureClass;
  result.code = code;
  const who = result.tenant ? ` to tenant "${result.tenant}"` : "";
  result.reason = `Cannot deliver ${JSON.stringify(result.key)}${who}: ${errorMessage(err)}`;
  return result;
}

/** A sink that only reports a failure to build the real one. */
function brokenSink(delivery: Delivery, err: unknown): DeliverySink {
  const report = reportFailure(deliveryReport(delivery), err);
  return { write: async () => {}, finish: () => Promise.resolve(report), abort: () => Promise.resolve(report) };
}

async function streamInto(
  ref: ObjectRef,
  path: TenantPath,
  deliveries: readonly Delivery[],
  deps: PipelineDeps,
  result: Draft,
  context: MessageContext,
): Promise<ObjectResult> {
  let body;
  try {
    checkCancelled(context.signal);
    body = await deps.source.open(ref.bucket, ref.key, ref.versionId);
  } catch (err) {
    return fail(result, err);
  }
  const pk = deps.deliveryState ? stateKey(ref.bucket, ref.key, body.eTag ?? ref.eTag) : undefined;
  const completed = await recallCompleted(deps.deliveryState, pk, context.receiveCount, deps.logger);
  const { todo, done } = pendingDeliveries(deliveries, completed);
  const skipped = done.map(alreadyDeliveredReport);
  const sinks = todo.map((d) => {
    try {
      return deps.sinkFor(d, { ref, path });
    } catch (err) {
      return brokenSink(d, err);
    }
  });
  const stats = emptyReadStats();
  const fallback = body.lastModified?.getTime() ?? (deps.now ?? Date.now)();
  const copyStats = () => {
    result.lines_read = stats.lines;
    result.events_read = stats.events;
    result.unparsable_lines = stats.unparsable;
    result.bytes_read = stats.bytes;
  };
  try {
    for await (const chunk of readRecords(body.chunks, fallback, stats)) {
      checkCancelled(context.signal);
      await Promise.all(sinks.map((s) => s.write(chunk)));
    }
  } catch (err) {
    copyStats();
    result.deliveries = [...skipped, ...await Promise.all(sinks.map((s) => s.abort(errorMessage(err))))];
    return fail(result, err);
  }
  result.deliveries = [...skipped, ...await Promise.all(sinks.map((s) => s.finish()))];
  copyStats();
  if (stats.events === 0) {
    result.outcome = "skipped";
    result.reason = stats.unparsable > 0
      ? `object has no parsable events (${stats.unparsable} unparsable lines)`
      : "object has no events";
    return result;
  }
  result.outcome = mergeOutcomes(result.deliveries.map((d) => d.outcome));
  const now = (deps.now ?? Date.now)();
  await rememberCompleted(deps.deliveryState, pk, result.deliveries, completed, deps.logger, now);
  const failed = result.deliveries.find((d) => d.outcome === result.outcome && d.outcome !== "delivered" && d.reason);
  if (failed) {
    result.code = failed.code;
    result.reason = `Cannot deliver ${JSON.stringify(ref.key)} to tenant "${path.customerId}" ` +
      `(delivery ${failed.delivery_id}): ${failed.reason}`;
  }
  return result;
}

/** Processes one object and reports its outcome. */
export async function processObject(
  ref: ObjectRef,
  deps: PipelineDeps,
  context: MessageContext = {},
): Promise<ObjectResult> {
  const result = newResult(ref.bucket, ref.key);
  let path: TenantPath;
  try {
    if (deps.centralBucket !== undefined && ref.bucket !== deps.centralBucket) {
      throw permanent("UnexpectedBucket", `bucket "${ref.bucket}" is not the central bucket "${deps.centralBucket}"`);
    }
    path = parseObjectKey(ref.key);
    result.tenant = path.customerId;
  } catch (err) {
    return fail(result, err);
  }
  let tenant;
  try {
    tenant = await deps.tenants.get(path.customerId);
  } catch (err) {
    return fail(result, err);
  }
  if (tenant.invalid.length > 0) {
    result.invalid_deliveries = tenant.invalid.map((i) => ({ delivery_id: i.deliveryId, problems: i.problems }));
    deps.logger.warn("tenant has invalid delivery items; they are disabled", {
      tenant: tenant.tenantId,
      invalid: result.invalid_deliveries,
    });
  }
  const selection = selectDeliveries(tenant, path.application);
  if (selection.kind === "skip") {
    result.reason = selection.reason;
    return result;
  }
  if (selection.kind === "invalid") {
    result.outcome = "permanent";
    result.code = "InvalidConfig";
    result.reason = `Cannot deliver ${JSON.stringify(ref.key)} to tenant "${path.customerId}": ${selection.reason}`;
    return result;
  }
  return await streamInto(ref, path, selection.deliveries, deps, result, context);
}
