/**
 * Evaluates parsed PromQL ({@link parsePromql}) over series recorded from
 * `/metrics` scrapes, enough to draw the dashboard's panels from a run
 * against moto. Not Prometheus: `rate` takes the first and last sample of
 * its window without extrapolation. Pure.
 *
 * @module
 */
import type { Expr, Labels, Matcher } from "./promql.ts";

/** One recorded series: its name, labels and `[epoch ms, value]` points in time order. */
export interface Series {
  readonly name: string;
  readonly labels: Labels;
  readonly points: readonly (readonly [number, number])[];
}

/** One value of a result vector. */
export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

/** How far back an instant selector looks for a sample. */
const LOOKBACK_MS = 5 * 60_000;

const matches = (labels: Labels, m: Matcher) => {
  const v = labels[m.label] ?? "";
  switch (m.op) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
      return new RegExp(`^(?:${m.value})$`).test(v);
    case "!~":
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
};

const keyOf = (labels: Labels) => JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));

function aggregate(op: "sum" | "max" | "min" | "avg", by: readonly string[] | undefined, input: Sample[]): Sample[] {
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const s of input) {
    const labels: Record<string, string> = {};
    for (const l of by ?? []) if (s.labels[l] !== undefined) labels[l] = s.labels[l]!;
    const key = keyOf(labels);
    const g = groups.get(key) ?? { labels, values: [] };
    g.values.push(s.value);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ labels, values }) => {
    const sum = values.reduce((a, b) => a + b, 0);
    const value = op === "sum"
      ? sum
      : op === "avg"
      ? sum / values.length
      : op === "max"
      ? Math.max(...values)
      : Math.min(...values);
    return { labels, value };
  });
}

/** Prometheus' bucket interpolation for one series of `(le, cumulative count)`. */
export function bucketQuantile(q: number, buckets: readonly (readonly [number, number])[]): number {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  // Like Prometheus: no +Inf bucket or no observation, no quantile.
  if (sorted.length < 2 || total <= 0 || Number.isFinite(sorted.at(-1)![0])) return Number.NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lower; // the +Inf bucket: the highest finite bound
      if (count === below) return le;
      return lower + (le - lower) * (rank - below) / (count - below);
    }
    lower = le;
    below = count;
  }
  return lower;
}

function quantile(q: number, input: Sample[]): Sample[] {
  const groups = new Map<string, { labels: Record<string, string>; buckets: [number, number][] }>();
  for (const s of input) {
    const le = s.labels.le;
    if (le === undefined) continue;
    const labels = Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== "le"));
    const key = keyOf(labels);
    const g = groups.get(key) ?? { labels, buckets: [] };
    g.buckets.push([le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), s.value]);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map(({ labels, buckets }) => ({ labels, value: bucketQuantile(q, buckets) }))
    .filter((s) => Number.isFinite(s.value));
}

/** Evaluates `expr` at `atMs` over `series`. */
export function evaluate(expr: Expr, series: readonly Series[], atMs: number): Sample[] {
  switch (expr.kind) {
    case "number":
      return [{ labels: {}, value: expr.value }];
    case "selector": {
      const chosen = series.filter((s) => s.name === expr.name && expr.matchers.every((m) => matches(s.labels, m)));
      const out: Sample[] = [];
      for (const s of chosen) {
        const recent = s.points.filter(([t]) => t <= atMs && t > atMs - LOOKBACK_MS);
        const last = recent.at(-1);
        if (last) out.push({ labels: s.labels, value: last[1] });
      }
      return out;
    }
    case "rate": {
      const sel = expr.arg;
      if (sel.kind !== "selector" || sel.rangeMs === undefined) throw new Error("rate() needs a range selector");
      const out: Sample[] = [];
      for (const s of series) {
        if (s.name !== sel.name || !sel.matchers.every((m) => matches(s.labels, m))) continue;
        const window = s.points.filter(([t]) => t <= atMs && t > atMs - sel.rangeMs!);
        if (window.length < 2) continue;
        let increase = 0;
        for (let i = 1; i < window.length; i++) {
          const d = window[i]![1] - window[i - 1]![1];
          increase += d >= 0 ? d : window[i]![1]; // a reset starts from 0
        }
        const seconds = (window.at(-1)![0] - window[0]![0]) / 1000;
        out.push({ labels: s.labels, value: increase / seconds });
      }
      return out;
    }
    case "aggregate":
      return aggregate(expr.op, expr.by, evaluate(expr.arg, series, atMs));
    case "quantile":
      return quantile(expr.q, evaluate(expr.arg, series, atMs));
  }
}

/** Grafana's `{{label}}` legend for `labels`. */
export function legend(format: string, labels: Labels): string {
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, l: string) => labels[l] ?? "").trim();
}
