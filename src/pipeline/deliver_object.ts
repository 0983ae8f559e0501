/**
 * Step 4 of processing an object: deliver it. Its own steps, in order:
 * open → recall → stream → remember → summarize. The object is read once,
 * chunk by chunk, into one sink per delivery still to do, each resuming
 * where earlier attempts left it; the result is built once at the end.
 *
 * @module
 */
import type { ObjectBody } from "../ingest/object_source.ts";
import { emptyReadStats, type ReadStats } from "../ingest/read_records.ts";
import type { TenantPath } from "../notification/parse_key.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import { deliveryReport, type DeliverySink, reportFailure } from "../delivery/sink.ts";
import { alreadyDeliveredReport, planDeliveries } from "../delivery/state/delivery_state.ts";
import { type DeliveryReport, mergeOutcomes, type ObjectResult, type ObjectResultFields } from "../results.ts";
import type { Delivery } from "../tenant/delivery.ts";
import { cannotDeliver, endedResult, failedResult, type Known } from "./cannot_deliver.ts";
import { NO_CHECKPOINTS, ObjectMemory } from "./delivery_memory.ts";
import type { MessageContext, PipelineDeps } from "./pipeline_deps.ts";
import { checkCancelled, lane, laneProgress, streamObject } from "./stream_object.ts";

/** An object on its way to its deliveries. */
export interface Delivering {
  readonly ref: ObjectRef;
  readonly path: TenantPath;
  /** The selected deliveries (each enabled and admitting the object's application). */
  readonly deliveries: readonly Delivery[];
  readonly known: Known;
}

/** The result of delivering an object, and its memory (to remember it completed when its message fails). */
export interface Delivered {
  readonly result: ObjectResult;
  readonly memory?: ObjectMemory;
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

/** Step 4.2, recall: what earlier attempts left (see delivery_memory.ts). */
function recall(job: Delivering, body: ObjectBody, deps: PipelineDeps, context: MessageContext) {
  const memoryDeps = {
    store: deps.deliveryState,
    tagger: deps.progressTagger,
    checkpoint: deps.checkpoint ?? NO_CHECKPOINTS,
    logger: deps.logger,
    now: deps.now ?? Date.now,
  };
  return ObjectMemory.open(memoryDeps, { ref: job.ref, body }, context);
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
 * 2. recall: deliveries completed on an earlier attempt are not sent again,
 *    the others skip the events an earlier attempt had handled (delivery state);
 * 3. stream: read it once into a sink per delivery still to do, checkpointing
 *    a long object's progress, then finish them;
 * 4. remember: how far each delivery got, when it did not complete (delivery state);
 * 5. summarize: one outcome, and the failing delivery's reason.
 */
export async function deliverObject(
  job: Delivering,
  deps: PipelineDeps,
  context: MessageContext = {},
): Promise<Delivered> {
  let body: ObjectBody;
  try {
    body = await open(job, deps, context);
  } catch (err) {
    return { result: failedResult(job.known, err) };
  }
  const memory = await recall(job, body, deps, context);
  const { todo, done } = planDeliveries(job.deliveries, memory.recalled);
  const skipped = done.map(alreadyDeliveredReport);
  if (todo.length === 0) {
    body.discard?.();
    return { result: endedResult(job.known, { outcome: "delivered", deliveries: skipped }), memory };
  }
  const { ref, path } = job;
  const lanes = todo.map(({ delivery, skip }) => {
    let sink: DeliverySink;
    try {
      sink = deps.sinkFor(delivery, { ref, path });
    } catch (err) {
      sink = brokenSink(delivery, err);
    }
    return lane(delivery.deliveryId, sink, skip);
  });
  const stats = emptyReadStats();
  const read = { fallbackMs: body.lastModified?.getTime() ?? (deps.now ?? Date.now)(), stats, limits: deps.readLimits };
  const streamed = await streamObject(body, lanes, {
    read,
    signal: context.signal,
    checkpoint: () => memory.checkpoint(() => lanes.map((l) => laneProgress(l))),
  });
  const completedNow = (i: number) => streamed.failure === undefined && streamed.reports[i]?.outcome === "delivered";
  await memory.settle([
    ...done.map((d) => ({ deliveryId: d.deliveryId, completed: true, handled: 0 })),
    ...lanes.map((l, i) => laneProgress(l, completedNow(i))),
  ]);
  lanes.forEach((l, i) => {
    const report = streamed.reports[i];
    if (report && l.skip > 0) report.resumed_from = l.skip;
  });
  const deliveries = [...skipped, ...streamed.reports];
  if (streamed.failure !== undefined) {
    return { result: failedResult(job.known, streamed.failure, { ...counts(stats), deliveries }), memory };
  }
  return { result: summarize(job, stats, deliveries), memory };
}
