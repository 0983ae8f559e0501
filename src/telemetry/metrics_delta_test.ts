import { deepStrictEqual, ok } from "node:assert/strict";
import { Histogram, HISTOGRAMS } from "./histogram.ts";
import { METRICS, Metrics } from "./metrics.ts";
import { EMPTY_SNAPSHOT, metricsDelta, snapshotMetrics } from "./metrics_delta.ts";

/** The log bin a delivery-age histogram puts `value` in. */
function emfBin(value: number): number {
  const h = new Histogram(HISTOGRAMS.deliveryAge);
  h.observe(value);
  return h.snapshot().bins[0]![0];
}

const counter = (view: ReturnType<typeof metricsDelta>, name: string, labels: Record<string, string> = {}) =>
  view.samples().find((s) => s.family.emfName === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
const histogram = (view: ReturnType<typeof metricsDelta>, name: string) =>
  view.histograms().find((h) => h.family.emfName === name)!;

Deno.test("metrics delta: counters' increments since the snapshot, new series whole, unchanged ones zero", () => {
  const m = new Metrics().seed(METRICS.messages, [{ outcome: "delivered" }, { outcome: "skipped" }]);
  m.inc(METRICS.messages, { outcome: "delivered" }, 3);
  m.inc(METRICS.bytesRead, {}, 100);
  const first = snapshotMetrics(m);
  deepStrictEqual(counter(metricsDelta(first, EMPTY_SNAPSHOT), "Messages", { outcome: "delivered" }), 3);

  m.inc(METRICS.messages, { outcome: "delivered" }, 2);
  m.inc(METRICS.failures, { class: "permanent", code: "AccessDenied" });
  const delta = metricsDelta(snapshotMetrics(m), first);
  deepStrictEqual(counter(delta, "Messages", { outcome: "delivered" }), 2);
  deepStrictEqual(counter(delta, "Messages", { outcome: "skipped" }), 0);
  deepStrictEqual(counter(delta, "BytesRead"), 0);
  deepStrictEqual(counter(delta, "Failures", { class: "permanent", code: "AccessDenied" }), 1);
  // The snapshot is a copy: counting on does not change it.
  m.inc(METRICS.bytesRead, {}, 7);
  deepStrictEqual(counter(metricsDelta(first, EMPTY_SNAPSHOT), "BytesRead"), 100);
});

Deno.test("metrics delta: a histogram's interval has exact count, sum, buckets and bins", () => {
  const m = new Metrics();
  for (const v of [2, 30, 30]) m.observe(HISTOGRAMS.deliveryAge, {}, v);
  const first = snapshotMetrics(m);
  for (const v of [30, 400]) m.observe(HISTOGRAMS.deliveryAge, {}, v);
  const h = histogram(metricsDelta(snapshotMetrics(m), first), "DeliveryAge");
  deepStrictEqual([h.count, h.sum], [2, 430]);
  deepStrictEqual(h.bins, [[emfBin(30), 1], [emfBin(400), 1]]);
  // Buckets 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, …: cumulative counts of the interval.
  deepStrictEqual(h.cumulative.slice(0, 10), [0, 0, 0, 0, 0, 1, 1, 1, 1, 2]);
  deepStrictEqual(h.cumulative.at(-1), 2);
});

Deno.test("metrics delta: min and max are exact on a new extreme, else bounded by the interval's own bins", () => {
  const m = new Metrics();
  for (const v of [2, 500]) m.observe(HISTOGRAMS.deliveryAge, {}, v);
  const first = snapshotMetrics(m);
  const whole = histogram(metricsDelta(first, EMPTY_SNAPSHOT), "DeliveryAge");
  deepStrictEqual([whole.min, whole.max], [2, 500]);

  // Neither 10 nor 40 is an all-time extreme: bounded by their bins (within ~10 %), never outside the values seen.
  for (const v of [10, 40]) m.observe(HISTOGRAMS.deliveryAge, {}, v);
  const second = snapshotMetrics(m);
  const h = histogram(metricsDelta(second, first), "DeliveryAge");
  ok(h.min <= 10 && h.min > 10 / 1.1, `min ${h.min}`);
  ok(h.max >= 40 && h.max < 40 * 1.1, `max ${h.max}`);

  // A new all-time minimum and maximum in the interval: exact.
  for (const v of [1.5, 900]) m.observe(HISTOGRAMS.deliveryAge, {}, v);
  const e = histogram(metricsDelta(snapshotMetrics(m), second), "DeliveryAge");
  deepStrictEqual([e.min, e.max, e.count], [1.5, 900, 2]);
});

Deno.test("metrics delta: a histogram without observations in the interval has count 0 and no bins", () => {
  const m = new Metrics().seed(HISTOGRAMS.objectDuration, [{ outcome: "delivered" }]);
  m.observe(HISTOGRAMS.objectDuration, { outcome: "delivered" }, 0.2);
  const first = snapshotMetrics(m);
  const h = histogram(metricsDelta(snapshotMetrics(m), first), "ObjectDuration");
  deepStrictEqual([h.count, h.sum, h.bins, h.cumulative.every((c) => c === 0)], [0, 0, [], true]);
});
