/**
 * Counters of what the processor did, derived from the results it already
 * produces ({@link MessageResult}, {@link ObjectResult}, per-delivery
 * reports). Pure and in memory: the SQS worker serves them as Prometheus
 * text, the Lambda runtime writes them as EMF lines. Labels are
 * low-cardinality only (outcome, reason, class, code, operation, type):
 * never a tenant, key or stream.
 *
 * @module
 */
import { type MessageResult, type ObjectResult, OUTCOMES } from "../results.ts";

/** A counter family: its Prometheus name, help text and EMF metric name. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly emfName: string;
  readonly unit: "Count" | "Bytes";
}

const family = (name: string, emfName: string, help: string, unit: "Count" | "Bytes" = "Count"): MetricFamily => ({
  name: `log_processor_${name}`,
  help,
  emfName,
  unit,
});

/** Every counter the processor keeps. */
export const METRICS = {
  messages: family("messages_total", "Messages", "SQS messages processed, by outcome."),
  objects: family("objects_total", "Objects", "Objects processed, by outcome."),
  eventsDelivered: family("events_delivered_total", "EventsDelivered", "Events accepted by a destination, by type."),
  eventsRejected: family(
    "events_rejected_total",
    "EventsRejected",
    "Events not delivered and never retried, by reason.",
  ),
  eventsTruncated: family("events_truncated_total", "EventsTruncated", "Events cut to the per-event size limit."),
  unparsableLines: family("unparsable_lines_total", "UnparsableLines", "Object lines that were not JSON records."),
  bytesRead: family("bytes_read_total", "BytesRead", "Uncompressed object bytes read.", "Bytes"),
  bytesDelivered: family("bytes_delivered_total", "BytesDelivered", "Message bytes accepted by destinations.", "Bytes"),
  failures: family("failures_total", "Failures", "Objects not delivered, by failure class and code."),
  refusedWrites: family(
    "refused_writes_total",
    "RefusedWrites",
    "Objects refused because their cluster or writer may not write them (WriterNotAllowed), by reason.",
  ),
  apiCalls: family("api_calls_total", "ApiCalls", "AWS API calls made for deliveries and the queue, by operation."),
  queueErrors: family("queue_errors_total", "QueueErrors", "Failed SQS calls (retried), by operation."),
  deadlineFailures: family(
    "deadline_failures_total",
    "DeadlineFailures",
    "Lambda records reported as failures because the invocation deadline was near.",
  ),
} as const satisfies Record<string, MetricFamily>;

/** Label name → value. */
export type Labels = Readonly<Record<string, string>>;

/** One counter value. */
export interface Sample {
  readonly family: MetricFamily;
  readonly labels: Labels;
  readonly value: number;
}

const seriesKey = (f: MetricFamily, labels: Labels) =>
  `${f.name}\u0000${Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join("\u0000")}`;

/** An in-memory set of counters. */
export class Metrics {
  readonly #series = new Map<string, { family: MetricFamily; labels: Labels; value: number }>();

  /** Adds `n` (default 1) to the counter `family{labels}`. */
  inc(family: MetricFamily, labels: Labels = {}, n = 1): void {
    const key = seriesKey(family, labels);
    const hit = this.#series.get(key);
    if (hit) hit.value += n;
    else this.#series.set(key, { family, labels: { ...labels }, value: n });
  }

  /** The current value of `family{labels}` (0 when never counted). */
  value(family: MetricFamily, labels: Labels = {}): number {
    return this.#series.get(seriesKey(family, labels))?.value ?? 0;
  }

  /** Every counter, grouped by family in declaration order, then by labels. */
  samples(): Sample[] {
    const order = new Map(Object.values(METRICS).map((f, i) => [f.name, i]));
    return [...this.#series.entries()]
      .sort(([ka, a], [kb, b]) =>
        (order.get(a.family.name) ?? 99) - (order.get(b.family.name) ?? 99) || (ka < kb ? -1 : ka > kb ? 1 : 0)
      )
      .map(([, s]) => ({ family: s.family, labels: s.labels, value: s.value }));
  }

  /** Counts one processed message and everything its objects report. */
  recordMessage(result: MessageResult): void {
    this.inc(METRICS.messages, { outcome: result.outcome });
    for (const object of result.objects) this.recordObject(object);
  }

  /** Counts one processed object. */
  recordObject(o: ObjectResult): void {
    this.inc(METRICS.objects, { outcome: o.outcome });
    if (o.outcome === "retryable" || o.outcome === "permanent") {
      this.inc(METRICS.failures, { class: o.outcome, code: o.code ?? "Unknown" });
    }
    if (o.refused) this.inc(METRICS.refusedWrites, { reason: o.refused });
    if (o.unparsable_lines) this.inc(METRICS.unparsableLines, {}, o.unparsable_lines);
    if (o.bytes_read) this.inc(METRICS.bytesRead, {}, o.bytes_read);
    for (const d of o.deliveries) {
      if (d.events_delivered) this.inc(METRICS.eventsDelivered, { type: d.type }, d.events_delivered);
      for (const [reason, n] of Object.entries(d.rejected)) if (n) this.inc(METRICS.eventsRejected, { reason }, n);
      if (d.truncated) this.inc(METRICS.eventsTruncated, {}, d.truncated);
      if (d.bytes_delivered) this.inc(METRICS.bytesDelivered, {}, d.bytes_delivered);
      for (const [operation, n] of Object.entries(d.api_calls)) if (n) this.inc(METRICS.apiCalls, { operation }, n);
    }
  }

  /** Starts the message and object counters of every outcome at zero, so rates exist from the start. */
  seedOutcomes(): this {
    for (const outcome of OUTCOMES) {
      this.inc(METRICS.messages, { outcome }, 0);
      this.inc(METRICS.objects, { outcome }, 0);
    }
    return this;
  }
}
