/**
 * What changed in a {@link Metrics} between two moments, for a long-running
 * process that writes EMF (the SQS worker): its counters and histograms are
 * cumulative (Prometheus serves them so), while each EMF document must carry
 * only what happened since the previous one. {@link snapshotMetrics} copies
 * the current values; {@link metricsDelta} turns two copies into counters'
 * increments and histograms' distributions of the interval, in the shape
 * {@link formatEmf} reads. Pure; O(series), never on the processing path.
 *
 * A histogram's interval count, sum, buckets and bins are exact. Its minimum
 * and maximum are not kept per interval, so they are bounded by the
 * interval's lowest and highest bin (within ~10 %) and by the all-time
 * extremes: exact whenever the interval saw a new all-time extreme (e.g. in
 * the first interval).
 *
 * @module
 */
import { emfBinBounds } from "./histogram.ts";
import type { HistogramSample, Labels, Metrics, Sample } from "./metrics.ts";

/** The values of a {@link Metrics} at one moment. */
export interface MetricsSnapshot {
  readonly counters: ReadonlyMap<string, Sample>;
  readonly histograms: ReadonlyMap<string, HistogramSample>;
}

/** The part of {@link Metrics} that {@link formatEmf} reads. */
export type MetricsView = Pick<Metrics, "samples" | "histograms">;

const keyOf = (name: string, labels: Labels) =>
  `${name}\u0000${Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join("\u0000")}`;

/** A copy of what `metrics` holds now. */
export function snapshotMetrics(metrics: MetricsView): MetricsSnapshot {
  return {
    counters: new Map(metrics.samples().map((s) => [keyOf(s.family.name, s.labels), s])),
    histograms: new Map(metrics.histograms().map((h) => [keyOf(h.family.name, h.labels), h])),
  };
}

/** An empty snapshot: the delta from it is everything recorded so far. */
export const EMPTY_SNAPSHOT: MetricsSnapshot = { counters: new Map(), histograms: new Map() };

/** `now` minus `before` of one histogram series. */
function histogramDelta(now: HistogramSample, before: HistogramSample | undefined): HistogramSample {
  if (!before || before.count === 0) return now;
  const count = now.count - before.count;
  const earlier = new Map(before.bins);
  const bins = now.bins.map(([v, c]) => [v, c - (earlier.get(v) ?? 0)] as const).filter(([, c]) => c > 0);
  const cumulative = now.cumulative.map((c, i) => c - (before.cumulative[i] ?? 0));
  if (count === 0 || bins.length === 0) return { ...now, cumulative, bins: [], count: 0, sum: 0, min: 0, max: 0 };
  const min = Math.max(now.min, emfBinBounds(bins[0]![0])[0]);
  const max = Math.max(min, Math.min(now.max, emfBinBounds(bins.at(-1)![0])[1]));
  return { ...now, cumulative, bins, count, sum: Math.max(0, now.sum - before.sum), min, max };
}

/**
 * What happened between `before` and `now`: each counter's increment and
 * each histogram's distribution of the interval (series unchanged in it
 * have a zero value or count, which {@link formatEmf} leaves out).
 */
export function metricsDelta(now: MetricsSnapshot, before: MetricsSnapshot): MetricsView {
  const samples = [...now.counters].map(([key, s]) => ({
    ...s,
    value: s.value - (before.counters.get(key)?.value ?? 0),
  }));
  const histograms = [...now.histograms].map(([key, h]) => histogramDelta(h, before.histograms.get(key)));
  return { samples: () => samples, histograms: () => histograms };
}
