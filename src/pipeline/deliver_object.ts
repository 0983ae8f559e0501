/**
 * Step 4 of processing an object: deliver it. Its own steps, in order:
 * open → recall → stream → remember → summarize. The object is read once,
 * chunk by chunk, into one sink per delivery still to do; the result is
 * built once at the end.
 *
 * @module
 */
import { errorMessage, retryable } from "../errors.ts";
import type { ObjectBody } from "../ingest/object_source.ts";
import { emptyReadStats, readRecords, type ReadStats } from "../ingest/read_records.ts";
import type { TenantPath } from "../notification/parse_key.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import { deliveryReport, type DeliverySink, reportFailure } from "../delivery/sink.ts";
import { alreadyDeliveredReport, pendingDeliveries, stateKey } from "../delivery/state/delivery_state.ts";
import { type DeliveryReport, mergeOutcomes, type ObjectResult, type ObjectResultFields } from "../results.ts";
import type { Delivery } from "../tenant/delivery.ts";
import { cannotDeliver, endedResult, failedResult, type Known } from "./cannot_deliver.ts";
import { recallCompleted, rememberCompleted } from "./delivery_memory.ts";
import type { MessageContext, PipelineDeps } from "./pipeline_deps.ts";

/** An object on its way to its deliveries. */
export interface Delivering {
  readonly ref: ObjectRef;
  readonly path: TenantPath;
  /** The selected deliveries (each enabled and admitting the object's application). */
  readonly deliveries: readonly Delivery[];
  readonly known: Known;
}

/** Throws a retryable `Cancelled` error once `signal` is aborted. */
function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw retryable("Cancelled", "processing was cancelled (deadline or shutdown); the message will be retried");
  }
}

/** A sink that only reports a failure to build the real one. */
function brokenSink(delivery: Delivery, err: unknown): DeliverySink {
  const report = reportFailure(deliveryReport(delivery), err);
  return { write: async () => {}, finish: () => Promise.resolve(report), abort: () => Promise.resolve(report) };
}

/** The read counts of a result. */
function counts(
  stats: ReadStats,
): Pick<ObjectResultFields, "lines_read" | "events_read" | "unparsable_lines" | "bytes_read"> {
  return {
    lines_read: stats.lines,
    events_read: stats.events,
    unparsable_lines: stats.unparsable,
    bytes_read: stats.bytes,
  };
}

/** Step 4.1, open: the object's stream (a failure ends the object with nothing delivered). */
async function open(job: Delivering, deps: PipelineDeps, context: MessageContext): Promise<ObjectBody> {
  checkCancelled(context.signal);
  return await deps.source.open(job.ref.bucket, job.ref.key, job.ref.versionId);
}

/** Step 4.3, stream: reads the object once into every sink, then finishes them (or aborts them on a read failure). */
async function stream(
  body: ObjectBody,
  sinks: readonly DeliverySink[],
  options: { readonly stats: ReadStats; readonly fallbackMs: number; readonly signal?: AbortSignal },
): Promise<{ reports: DeliveryReport[]; failure?: unknown }> {
  try {
    for await (const chunk of readRecords(body.chunks, { fallbackMs: options.fallbackMs, stats: options.stats })) {
      checkCancelled(options.signal);
      await Promise.all(sinks.map((s) => s.write(chunk)));
    }
  } catch (err) {
    return { reports: await Promise.all(sinks.map((s) => s.abort(errorMessage(err)))), failure: err };
  }
  return { reports: await Promise.all(sinks.map((s) => s.finish())) };
}

/** Step 4.5, summarize: one outcome for the object and, when it failed, the failing delivery's reason. */
function summarize(job: Delivering, stats: ReadStats, deliveries: readonly DeliveryReport[]): ObjectResult {
  const read = { ...counts(stats), deliveries };
  if (stats.events === 0) {
    const reason = stats.unparsable > 0
      ? `object has no parsable events (${stats.unparsable} unparsable lines)`
      : "object has no events";
    return endedResult(job.known, { ...read, outcome: "skipped", reason });
  }
  const outcome = mergeOutcomes(deliveries.map((d) => d.outcome));
  const failed = deliveries.find((d) => d.outcome === outcome && d.outcome !== "delivered" && d.reason);
  if (!failed?.reason) return endedResult(job.known, { ...read, outcome });
  const reason = cannotDeliver(job.known, failed.reason, failed.delivery_id);
  return endedResult(job.known, { ...read, outcome, code: failed.code, reason });
}

/**
 * Delivers an object to its selected deliveries:
 * 1. open the object;
 * 2. recall: deliveries completed on an earlier receive are not sent again (delivery state);
 * 3. stream: read it once into a sink per delivery still to do, then finish them;
 * 4. remember: when some delivery failed, what completed (delivery state);
 * 5. summarize: one outcome, and the failing delivery's reason.
 */
export async function deliverObject(
  job: Delivering,
  deps: PipelineDeps,
  context: MessageContext = {},
): Promise<ObjectResult> {
  let body: ObjectBody;
  try {
    body = await open(job, deps, context);
  } catch (err) {
    return failedResult(job.known, err);
  }
  const { ref, path } = job;
  const memory = {
    pk: deps.deliveryState ? stateKey(ref.bucket, ref.key, body.eTag ?? ref.eTag) : undefined,
    logger: deps.logger,
  };
  const previously = await recallCompleted(deps.deliveryState, { ...memory, receiveCount: context.receiveCount });
  const { todo, done } = pendingDeliveries(job.deliveries, previously);
  const skipped = done.map(alreadyDeliveredReport);
  const sinks = todo.map((d) => {
    try {
      return deps.sinkFor(d, { ref, path });
    } catch (err) {
      return brokenSink(d, err);
    }
  });
  const now = deps.now ?? Date.now;
  const stats = emptyReadStats();
  const fallbackMs = body.lastModified?.getTime() ?? now();
  const streamed = await stream(body, sinks, { stats, fallbackMs, signal: context.signal });
  const deliveries = [...skipped, ...streamed.reports];
  if (streamed.failure !== undefined) {
    return failedResult(job.known, streamed.failure, { ...counts(stats), deliveries });
  }
  if (stats.events > 0) {
    await rememberCompleted(deps.deliveryState, { ...memory, reports: deliveries, previously, nowMs: now() });
  }
  return summarize(job, stats, deliveries);
}
