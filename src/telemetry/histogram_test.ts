import { deepStrictEqual, ok } from "node:assert/strict";
import { emfBinBounds, Histogram, type HistogramFamily, HISTOGRAMS } from "./histogram.ts";

/** A family of the test's own, with `buckets`. */
const family = (buckets: readonly number[]): HistogramFamily => ({
  name: "log_processor_x_seconds",
  help: "x",
  emfName: "X",
  unit: "Seconds",
  buckets,
});

/** The log bin a histogram puts `value` in (its EMF `Values` entry). */
function emfBin(value: number): number {
  const h = new Histogram(family([1]));
  h.observe(value);
  return h.snapshot().bins[0]![0];
}

const { deliveryAge, objectDuration, eventLoopLag } = HISTOGRAMS;
const AGE_BUCKETS = deliveryAge.buckets;
const DURATION_BUCKETS = objectDuration.buckets;
const LAG_BUCKETS = eventLoopLag.buckets;

Deno.test("histogram: cumulative buckets with le inclusive, +Inf last, sum, count, min and max", () => {
  const h = new Histogram(family([1, 5, 10]));
  for (const v of [0.5, 1, 3, 5, 7, 100]) h.observe(v);
  const s = h.snapshot();
  deepStrictEqual(s.cumulative, [2, 4, 5, 6]);
  deepStrictEqual([s.count, s.sum, s.min, s.max], [6, 116.5, 0.5, 100]);
});

Deno.test("histogram: negative and non-finite values count as 0; an empty one reports zeros", () => {
  const h = new Histogram(family([1]));
  deepStrictEqual(h.snapshot(), { cumulative: [0, 0], sum: 0, count: 0, min: 0, max: 0, bins: [] });
  h.observe(-3);
  h.observe(Number.NaN);
  deepStrictEqual(h.snapshot(), { cumulative: [2, 2], sum: 0, count: 2, min: 0, max: 0, bins: [[0, 2]] });
});

Deno.test("EMF bins: values within 10 % share a bin whose value lies within 5 % of each", () => {
  deepStrictEqual(emfBin(0), 0);
  for (const v of [0.0004, 0.01, 0.3, 1, 7.5, 59, 3600, 86_400]) {
    const bin = emfBin(v);
    ok(Math.abs(bin - v) / v < 0.05 + 1e-9, `${v} → ${bin}`);
    deepStrictEqual(emfBin(bin), bin, "a bin's value is its own bin");
  }
  const h = new Histogram(HISTOGRAMS.deliveryAge);
  const center = emfBin(30);
  for (const v of [center, center * 0.98, center * 1.02, 120]) h.observe(v);
  deepStrictEqual(h.snapshot().bins.map(([, c]) => c), [3, 1]);
});

Deno.test("EMF bin bounds: every value lies within its bin's bounds, which are about 10 % apart", () => {
  deepStrictEqual(emfBinBounds(0), [0, 0]);
  for (const v of [0.0004, 0.01, 0.3, 1, 7.5, 59, 3600, 86_400]) {
    const [low, high] = emfBinBounds(emfBin(v));
    ok(low <= v * (1 + 1e-12) && v < high, `${v} in [${low}, ${high})`);
    ok(Math.abs(high / low - 1.1) < 1e-9, `${high / low}`);
    deepStrictEqual(emfBin(low * 1.0001), emfBin(v), "the low bound belongs to the bin");
  }
});

Deno.test("bucket layouts ascend and span what they measure", () => {
  for (const b of [AGE_BUCKETS, DURATION_BUCKETS, LAG_BUCKETS]) {
    deepStrictEqual([...b].sort((x, y) => x - y), [...b]);
    deepStrictEqual(new Set(b).size, b.length);
  }
  // Ages: from a second to a day; processing: from 5 ms to 5 minutes.
  deepStrictEqual([AGE_BUCKETS[0], AGE_BUCKETS.at(-1)], [1, 86_400]);
  deepStrictEqual([DURATION_BUCKETS[0], DURATION_BUCKETS.at(-1)], [0.005, 300]);
  for (const f of Object.values(HISTOGRAMS)) ok(/^log_processor_[a-z_]+_seconds$/.test(f.name), f.name);
});
