/**
 * What processing reports (DESIGN 1.5): outcomes and how several merge into
 * one, the per-delivery report, the per-object result line and the result of
 * a message, with their constructors. A leaf: it imports nothing, so
 * telemetry, the run modes and the pipeline all speak it without depending
 * on each other. Fields in snake_case are output (result lines, logs).
 *
 * @module
 */

/** What happened to an object, a delivery or a message. */
export type Outcome = "delivered" | "skipped" | "retryable" | "permanent";
/** Every outcome, in the order reports list them. */
export const OUTCOMES: readonly Outcome[] = ["delivered", "skipped", "retryable", "permanent"];

const RANK: Record<Outcome, number> = { skipped: 0, delivered: 1, permanent: 2, retryable: 3 };

/**
 * The outcome of a whole made of parts: retryable wins (a retry may fix it),
 * then permanent, then delivered; no parts means skipped.
 *
 * @example
 * ```ts
 * mergeOutcomes(["delivered", "permanent", "retryable"]); // "retryable"
 * ```
 */
export function mergeOutcomes(outcomes: Iterable<Outcome>): Outcome {
  let merged: Outcome = "skipped";
  for (const o of outcomes) if (RANK[o] > RANK[merged]) merged = o;
  return merged;
}

/** Delivered and skipped messages are deleted from SQS; the others stay. */
export function isDone(outcome: Outcome): boolean {
  return outcome === "delivered" || outcome === "skipped";
}

/** Per-delivery counts printed in result lines. A sink fills in its own while it delivers. */
export interface DeliveryReport {
  delivery_id: string;
  /** The delivery's `type` (DESIGN 1.3), e.g. `cloudwatch` or `s3`. */
  type: string;
  destination: string;
  outcome: Outcome;
  reason?: string;
  code?: string;
  events_delivered: number;
  /** Events not delivered and never retried, by reason (too_old, too_new, empty_message, expired). */
  rejected: Record<string, number>;
  /** Events cut to the per-event size limit (delivered with a marker). */
  truncated: number;
  /** Bytes accepted by the destination (UTF-8 message bytes). */
  bytes_delivered: number;
  /** AWS API calls made for this delivery, by operation. */
  api_calls: Record<string, number>;
  /**
   * Set when this attempt resumed: the events of the object before this
   * ordinal were handled by an earlier attempt and not sent again (the
   * counts above are this attempt's).
   */
  resumed_from?: number;
}

/** Which delivery a report is about. */
export type ReportHeading = Pick<DeliveryReport, "delivery_id" | "type" | "destination">;

/** A delivered report with zero counts, for a sink to fill in. */
export function emptyReport(heading: ReportHeading): DeliveryReport {
  return {
    delivery_id: heading.delivery_id,
    type: heading.type,
    destination: heading.destination,
    outcome: "delivered",
    events_delivered: 0,
    rejected: {},
    truncated: 0,
    bytes_delivered: 0,
    api_calls: {},
  };
}

/** A tenant-table item that failed validation, as a result line shows it. */
export interface InvalidDeliveryReport {
  readonly delivery_id: string;
  readonly problems: readonly string[];
}

/** Why a write is refused (DESIGN 1.6): the `refused` field of a result and the label of `refused_writes_total`. */
export type RefusalReason =
  | "unregistered_cluster"
  | "invalid_cluster"
  | "cluster_disabled"
  | "tenant_not_on_cluster"
  | "writer_mismatch"
  | "writer_not_a_role"
  | "requester_mismatch"
  | "writer_unknown";

/** Every refusal reason. */
export const REFUSAL_REASONS: readonly RefusalReason[] = [
  "unregistered_cluster",
  "invalid_cluster",
  "cluster_disabled",
  "tenant_not_on_cluster",
  "writer_mismatch",
  "writer_not_a_role",
  "requester_mismatch",
  "writer_unknown",
];

/** One result line: what happened to one object. Built once, by {@link objectResult}. */
export interface ObjectResult {
  readonly bucket?: string;
  readonly key?: string;
  readonly tenant?: string;
  readonly outcome: Outcome;
  readonly reason?: string;
  readonly code?: string;
  readonly lines_read: number;
  readonly events_read: number;
  readonly unparsable_lines: number;
  readonly bytes_read: number;
  readonly deliveries: readonly DeliveryReport[];
  readonly invalid_deliveries?: readonly InvalidDeliveryReport[];
  /** Set when the writer may not write the object (code `WriterNotAllowed`): why. */
  readonly refused?: RefusalReason;
  /** Wall-clock processing time of the object, milliseconds (set by processMessage). */
  readonly duration_ms?: number;
  /** Milliseconds from the S3 event time to the end of processing, when the notification carried one. */
  readonly age_ms?: number;
}

/** What {@link objectResult} needs: the outcome; everything else defaults to "nothing happened". */
export type ObjectResultFields = Partial<ObjectResult> & Pick<ObjectResult, "outcome">;

/**
 * An object result. Counts default to 0 and deliveries to none; `reason`,
 * `code`, `invalid_deliveries` and `refused` appear only when given.
 */
export function objectResult(fields: ObjectResultFields): ObjectResult {
  return {
    bucket: fields.bucket,
    key: fields.key,
    tenant: fields.tenant,
    outcome: fields.outcome,
    ...(fields.reason !== undefined ? { reason: fields.reason } : {}),
    ...(fields.code !== undefined ? { code: fields.code } : {}),
    lines_read: fields.lines_read ?? 0,
    events_read: fields.events_read ?? 0,
    unparsable_lines: fields.unparsable_lines ?? 0,
    bytes_read: fields.bytes_read ?? 0,
    deliveries: fields.deliveries ?? [],
    ...(fields.invalid_deliveries !== undefined ? { invalid_deliveries: fields.invalid_deliveries } : {}),
    ...(fields.refused !== undefined ? { refused: fields.refused } : {}),
  };
}

/** The outcome of a message and the results of its objects. */
export interface MessageResult {
  readonly outcome: Outcome;
  readonly objects: readonly ObjectResult[];
}

/** A message result: its outcome is the merge of its objects' outcomes. */
export function messageResult(objects: readonly ObjectResult[]): MessageResult {
  return { outcome: mergeOutcomes(objects.map((o) => o.outcome)), objects };
}
