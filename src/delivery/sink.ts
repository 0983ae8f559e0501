/**
 * The interface every destination implements: it receives an object's
 * events chunk by chunk and reports what it delivered. A sink never throws
 * from `write`; a failure is remembered and reported by `finish`.
 *
 * @module
 */
import type { RecordChunk } from "../ingest/read_records.ts";
import type { TenantPath } from "../notification/parse_key.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import { type Delivery, describeDestination } from "../tenant/delivery.ts";
import { classifyAwsError } from "../aws/classify_error.ts";
import { errorMessage } from "../errors.ts";
import { type DeliveryReport, emptyReport } from "../results.ts";

/** One destination of one object. */
export interface DeliverySink {
  write(chunk: RecordChunk): Promise<void>;
  /**
   * Sends what is buffered and reports. Called once, after the last write.
   * Never rejects: a failure is the report's `outcome` (retryable or
   * permanent), `code` and `reason`, so one delivery's failure never costs
   * its siblings.
   */
  finish(): Promise<DeliveryReport>;
  /** Stops after a read failure; buffered events are discarded. */
  abort(reason: string): Promise<DeliveryReport>;
  /**
   * Only sinks that deliver events one batch after another (CloudWatch):
   * how many of the events written so far need no resend, counted from the
   * first written: accepted by the destination, or refused for good (too
   * old, too new, empty). Always a prefix, since batches go out in order and
   * the first failure stops the sink. A sink without it (S3, which rewrites
   * its key whole; Vector) is completed or not. The pipeline remembers this
   * number so a later attempt skips exactly those events.
   */
  handledEvents?(): number;
  /**
   * Whether the sink failed for good and takes no more events (CloudWatch
   * after a batch it could not send). Once every sink of an object has, the
   * pipeline stops reading it: the rest of the object would be read for
   * nothing, and the next attempt reads it again anyway.
   */
  failed?(): boolean;
}

/** Everything a sink knows about the object it delivers. */
export interface ObjectContext {
  readonly ref: ObjectRef;
  readonly path: TenantPath;
}

/** Builds the sink of one delivery for one object. */
export type SinkFactory = (delivery: Delivery, object: ObjectContext) => DeliverySink;

/** The empty report of `delivery` (its destination described as usual unless given). */
export function deliveryReport(
  delivery: Delivery,
  destination: string = describeDestination(delivery),
): DeliveryReport {
  return emptyReport({ delivery_id: delivery.deliveryId, type: delivery.type, destination });
}

/** Adds `n` to `counts[key]`. */
export function bump(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

/** Marks `report` with the class, code and message of `failure` (when there is one); returns it. */
export function reportFailure(report: DeliveryReport, failure: unknown): DeliveryReport {
  if (failure === undefined) return report;
  const { failureClass, code } = classifyAwsError(failure);
  report.outcome = failureClass;
  report.code = code;
  report.reason = errorMessage(failure);
  return report;
}
