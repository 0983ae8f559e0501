/**
 * Counters and histograms of what the processor did, derived from the
 * results it already produces ({@link MessageResult}, {@link ObjectResult},
 * per-delivery reports). Pure and in memory: the SQS worker serves them as
 * Prometheus text, the Lambda runtime writes them as EMF lines. Labels are
 * low-cardinality only (outcome, reason, class, code, operation, type):
 * never a tenant, key or stream.
 *
 * @module
 */
import type { MessageResult, ObjectResult } from "../results.ts";
import { Histogram, type HistogramFamily, HISTOGRAMS, type HistogramSnapshot } from "./histogram.ts";

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

/** Every counter the processor keeps (Prometheus names: unit, then `_total`). */
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
  bytesRead: family("read_bytes_total", "BytesRead", "Uncompressed object bytes read.", "Bytes"),
  bytesDelivered: family("delivered_bytes_total", "BytesDelivered", "Message bytes accepted by destinations.", "Bytes"),
  failures: family("failures_total", "Failures", "Objects not delivered, by failure class and code."),
  refusedWrites: family(
    "refused_writes_total",
    "RefusedWrites",
    "Objects refused because their cluster or writer may not write them (WriterNotAllowed), by reason.",
  ),
  apiCalls: family("api_calls_total", "ApiCalls", "AWS API calls made for deliveries and the queue, by operation."),
  queueErrors: family("queue_errors_total", "QueueErrors", "Failed SQS calls (retried), by operation."),
  messagesDeferred: family(
    "messages_deferred_total",
    "MessagesDeferred",
    "SQS messages made visible again unstarted, later, because their tenant held its share of the worker.",
  ),
  redeliveries: family(
    "redeliveries_total",
    "Redeliveries",
    "Copies of an SQS message received again while the worker held it (held) or soon after it deleted it (deleted); neither is delivered twice.",
  ),
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

/** One histogram series. */
export interface HistogramSample extends HistogramSnapshot {
  readonly family: HistogramFamily;
  readonly labels: Labels;
}

const seriesKey = (f: { readonly name: string }, labels: Labels) =>
  `${f.name}\u0000${Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join("\u0000")}`;

const byKey = <T>([a]: [string, T], [b]: [string, T]) => a < b ? -1 : a > b ? 1 : 0;
const isHistogram = (f: MetricFamily | HistogramFamily): f is HistogramFamily => "buckets" in f;

/** An in-memory set of counters and histograms. */
export class Metrics {
  readonly #series = new Map<string, { family: MetricFamily; labels: Labels; value: number }>();
  readonly #histograms = new Map<string, { labels: Labels; histogram: Histogram }>();

  /** Adds `n` (default 1) to the counter `family{labels}`. */
  inc(family: MetricFamily, labels: Labels = {}, n = 1): void {
    const key = seriesKey(family, labels);
    const hit = this.#series.get(key);
    if (hit) hit.value += n;
    else this.#series.set(key, { family, labels: { ...labels }, value: n });
  }

  /** Records `value` (seconds) in the histogram `family{labels}`. */
  observe(family: HistogramFamily, labels: Labels, value: number): void {
    this.#histogram(family, labels).observe(value);
  }

  #histogram(family: HistogramFamily, labels: Labels): Histogram {
    const key = seriesKey(family, labels);
    let hit = this.#histograms.get(key);
    if (!hit) {
      hit = { labels: { ...labels }, histogram: new Histogram(family) };
      this.#histograms.set(key, hit);
    }
    return hit.histogram;
  }

  /**
   * Starts `family` at zero for each of `labelSets` (default: the one
   * unlabelled series), so the series exist, and rates see their first
   * increment, from the start.
   */
  seed(family: MetricFamily | HistogramFamily, labelSets: readonly Labels[] = [{}]): this {
    for (const labels of labelSets) {
      if (isHistogram(family)) this.#histogram(family, labels);
      else this.inc(family, labels, 0);
    }
    return this;
  }

  /** The current value of `family{labels}` (0 when never counted). */
  value(family: MetricFamily, labels: Labels = {}): number {
    return this.#series.get(seriesKey(family, labels))?.value ?? 0;
  }

  /** Every counter, grouped by family in declaration order, then by labels. */
  samples(): Sample[] {
    const order = new Map(Object.values(METRICS).map((f, i) => [f.name, i]));
    return [...this.#series.entries()]
      .sort((a, b) => (order.get(a[1].family.name) ?? 99) - (order.get(b[1].family.name) ?? 99) || byKey(a, b))
      .map(([, s]) => ({ family: s.family, labels: s.labels, value: s.value }));
  }

  /** Every histogram series, grouped by family in declaration order, then by labels. */
  histograms(): HistogramSample[] {
    const order = new Map(Object.values(HISTOGRAMS).map((f, i) => [f.name, i]));
    return [...this.#histograms.entries()]
      .sort((a, b) =>
        (order.get(a[1].histogram.family.name) ?? 99) - (order.get(b[1].histogram.family.name) ?? 99) || byKey(a, b)
      )
      .map(([, s]) => ({ family: s.histogram.family, labels: s.labels, ...s.histogram.snapshot() }));
  }

  /** Counts one processed message and everything its objects report. */
  recordMessage(result: MessageResult): void {
    this.inc(METRICS.messages, { outcome: result.outcome });
    for (const object of result.objects) this.recordObject(object);
  }

  /** Counts one processed object; observes its processing time and, when delivered, its age. */
  recordObject(o: ObjectResult): void {
    this.inc(METRICS.objects, { outcome: o.outcome });
    if (o.outcome === "retryable" || o.outcome === "permanent") {
      this.inc(METRICS.failures, { class: o.outcome, code: o.code ?? "Unknown" });
    }
    if (o.refused) this.inc(METRICS.refusedWrites, { reason: o.refused });
    if (o.duration_ms !== undefined) {
      this.observe(HISTOGRAMS.objectDuration, { outcome: o.outcome }, o.duration_ms / 1000);
    }
    if (o.age_ms !== undefined && o.outcome === "delivered") this.observe(HISTOGRAMS.deliveryAge, {}, o.age_ms / 1000);
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
}
