/**
 * The label sets the worker's `/metrics` starts with at zero. Prometheus'
 * instrumentation practice ("avoid missing metrics"): a series that appears
 * only with its first increment hides that increment from `rate()` and
 * `increase()`, and an absent family reads as "no data" rather than 0. So
 * every unlabelled family starts at 0 and every labelled one with each label
 * set known in advance: outcomes, delivery types, rejection reasons, refusal
 * reasons, the worker's SQS operations, and the failure codes the processor raises itself
 * (AWS error codes it passes through appear with their first occurrence).
 * Label names never vary within a family.
 *
 * @module
 */
import { OUTCOMES, REFUSAL_REASONS } from "../results.ts";
import { HISTOGRAMS } from "../telemetry/histogram.ts";
import { type Labels, METRICS, type Metrics } from "../telemetry/metrics.ts";
import { DELIVERY_TYPES } from "../tenant/delivery.ts";

/** Why an event is never delivered: CloudWatch's time window, an empty message, CloudWatch's own "expired". */
export const REJECTION_REASONS: readonly string[] = ["too_old", "too_new", "empty_message", "expired"];

/** The SQS calls the worker makes (and counts, with their failures). */
export const WORKER_QUEUE_OPERATIONS: readonly string[] = [
  "ReceiveMessage",
  "DeleteMessageBatch",
  "DeleteMessage",
  "ChangeMessageVisibilityBatch",
  "ChangeMessageVisibility",
];

/** The destination calls every delivered object makes (one per type). */
export const DELIVERY_OPERATIONS: readonly string[] = ["PutLogEvents", "PutObject"];

/** Failure codes the processor raises itself, by class (DESIGN 1.5, 1.6). */
export const KNOWN_FAILURES: Readonly<Record<"retryable" | "permanent", readonly string[]>> = {
  retryable: ["ThrottlingException", "Cancelled"],
  permanent: [
    "AccessDenied",
    "InvalidKey",
    "InvalidNotification",
    "InvalidConfig",
    "NoSuchKey",
    "CorruptGzip",
    "ObjectTooLarge",
    "UnexpectedBucket",
    "WriterNotAllowed",
  ],
};

const each = (label: string, values: readonly string[]): Labels[] => values.map((v) => ({ [label]: v }));

/** Starts every family of the worker at zero, with the label sets above. */
export function seedWorkerMetrics(metrics: Metrics): Metrics {
  const outcomes = each("outcome", OUTCOMES);
  metrics
    .seed(METRICS.messages, outcomes)
    .seed(METRICS.objects, outcomes)
    .seed(METRICS.eventsDelivered, each("type", DELIVERY_TYPES))
    .seed(METRICS.eventsRejected, each("reason", REJECTION_REASONS))
    .seed(METRICS.eventsTruncated)
    .seed(METRICS.unparsableLines)
    .seed(METRICS.bytesRead)
    .seed(METRICS.bytesDelivered)
    .seed(
      METRICS.failures,
      Object.entries(KNOWN_FAILURES).flatMap(([cls, codes]) => codes.map((code) => ({ class: cls, code }))),
    )
    .seed(METRICS.refusedWrites, each("reason", REFUSAL_REASONS))
    .seed(METRICS.apiCalls, each("operation", [...WORKER_QUEUE_OPERATIONS, ...DELIVERY_OPERATIONS]))
    .seed(METRICS.queueErrors, each("operation", WORKER_QUEUE_OPERATIONS))
    .seed(METRICS.messagesDeferred)
    .seed(METRICS.redeliveries, each("action", ["held", "deleted"]))
    .seed(METRICS.deadlineFailures)
    .seed(HISTOGRAMS.deliveryAge)
    .seed(HISTOGRAMS.objectDuration, outcomes)
    .seed(HISTOGRAMS.eventLoopLag);
  return metrics;
}
