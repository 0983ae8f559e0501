/**
 * Step 4.3 of delivering an object, stream: reads the object once and writes
 * every chunk into each delivery still to do, skipping for each the events an
 * earlier attempt had handled, and checkpointing between chunks. Then
 * finishes the sinks, or, when reading failed, stops them: on a cancel
 * (shutdown, deadline) every sink is aborted; on any other read failure
 * (corrupt gzip, a cap, a broken connection) the sinks that resume
 * (`handledEvents`) send what was read first, since those events are the
 * object's all the same and a later attempt skips them. Once every sink has
 * failed for good (`failed`), reading stops and the object's stream is
 * released: the rest would be read for nothing.
 *
 * @module
 */
import { errorMessage, ProcessingError, retryable } from "../errors.ts";
import type { ObjectBody } from "../ingest/object_source.ts";
import { type ReadOptions, readRecords, type RecordChunk } from "../ingest/read_records.ts";
import { type DeliverySink, reportFailure } from "../delivery/sink.ts";
import type { DeliveryProgress } from "../delivery/state/delivery_state.ts";
import type { DeliveryReport } from "../results.ts";

/** One delivery's sink, and the events of the object it skips (honoured only by sinks that resume). */
export interface Lane {
  readonly deliveryId: string;
  readonly sink: DeliverySink;
  readonly skip: number;
}

/** A lane for `sink`; a sink that does not resume always starts from the first event. */
export function lane(deliveryId: string, sink: DeliverySink, skip: number): Lane {
  return { deliveryId, sink, skip: sink.handledEvents ? skip : 0 };
}

/** Where `lane` stands: events of the object it has had handled, earlier attempts included. */
export function laneProgress(lane: Lane, completed = false): DeliveryProgress {
  const handled = lane.sink.handledEvents ? lane.skip + lane.sink.handledEvents() : 0;
  return { deliveryId: lane.deliveryId, completed, handled };
}

/** Throws a retryable `Cancelled` error once `signal` is aborted. */
export function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw retryable("Cancelled", "processing was cancelled (deadline or shutdown); the message will be retried");
  }
}

const isCancel = (err: unknown) => err instanceof ProcessingError && err.code === "Cancelled";

/** `chunk` without its first `n` events. */
function dropFirst(chunk: RecordChunk, n: number): RecordChunk {
  return { events: chunk.events.slice(n), lines: chunk.lines.slice(n) };
}

/** Writes `chunk`, whose first event has `ordinal`, into `lane`, minus what the lane skips. */
function write(lane: Lane, chunk: RecordChunk, ordinal: number): Promise<void> | undefined {
  const n = chunk.events.length;
  if (lane.skip >= ordinal + n) return undefined;
  return lane.sink.write(lane.skip > ordinal ? dropFirst(chunk, lane.skip - ordinal) : chunk);
}

/** What streaming did: a report per lane, and the read failure if reading failed. */
export interface Streamed {
  readonly reports: DeliveryReport[];
  readonly failure?: unknown;
}

/** How to stream one object. */
export interface StreamOptions {
  readonly read: ReadOptions;
  readonly signal?: AbortSignal;
  /** Called between chunks (the memory decides whether it is time to write). */
  readonly checkpoint?: () => Promise<void>;
}

/** Streams `body` into `lanes`; see the module doc. */
export async function streamObject(
  body: ObjectBody,
  lanes: readonly Lane[],
  options: StreamOptions,
): Promise<Streamed> {
  let ordinal = 0;
  try {
    for await (const chunk of readRecords(body.chunks, options.read)) {
      checkCancelled(options.signal);
      await Promise.all(lanes.map((l) => write(l, chunk, ordinal)));
      ordinal += chunk.events.length;
      await options.checkpoint?.();
      if (lanes.length > 0 && lanes.every((l) => l.sink.failed?.() === true)) {
        body.discard?.();
        break;
      }
    }
  } catch (err) {
    const cancelled = isCancel(err) || options.signal?.aborted === true;
    const reports = await Promise.all(lanes.map(async (l) => {
      if (cancelled || !l.sink.handledEvents) return await l.sink.abort(errorMessage(err));
      // The sink's own failure, if any, stays its report's; else the read failure is.
      const report = await l.sink.finish();
      return report.outcome === "delivered" ? reportFailure(report, err) : report;
    }));
    return { reports, failure: err };
  }
  return { reports: await Promise.all(lanes.map((l) => l.sink.finish())) };
}
