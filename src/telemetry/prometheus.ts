/**
 * Prometheus text exposition (format 0.0.4) of {@link Metrics}: counters,
 * histograms (`_bucket{le}`, `_sum`, `_count`) and extra point-in-time
 * values (gauges such as in-flight messages, process metrics). Pure.
 *
 * @module
 */
import type { HistogramSample, Labels, Metrics } from "./metrics.ts";
import { METRICS } from "./metrics.ts";
import { HISTOGRAMS } from "./histogram.ts";

/** The Content-Type of {@link formatPrometheus}'s output. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function labelText(labels: Labels, le?: string): string {
  const pairs = Object.keys(labels).sort().map((k) => `${k}="${escapeLabel(labels[k] ?? "")}"`);
  if (le !== undefined) pairs.push(`le="${le}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** A number as Prometheus writes it. */
const num = (v: number) => Number.isFinite(v) ? String(v) : v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN";

function histogramLines(s: HistogramSample): string[] {
  const { name, buckets } = s.family;
  const lines = buckets.map((le, i) => `${name}_bucket${labelText(s.labels, num(le))} ${s.cumulative[i]}`);
  lines.push(`${name}_bucket${labelText(s.labels, "+Inf")} ${s.count}`);
  lines.push(`${name}_sum${labelText(s.labels)} ${num(s.sum)}`, `${name}_count${labelText(s.labels)} ${s.count}`);
  return lines;
}

/**
 * Every counter and histogram family with HELP and TYPE lines (families
 * never counted still appear, so dashboards see them), then its samples;
 * then `extra` values, one family each.
 */
export function formatPrometheus(
  metrics: Pick<Metrics, "samples" | "histograms">,
  extra: readonly ExtraMetric[] = [],
): string {
  const lines: string[] = [];
  const samples = metrics.samples();
  for (const family of Object.values(METRICS)) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} counter`);
    for (const s of samples) {
      if (s.family.name === family.name) lines.push(`${family.name}${labelText(s.labels)} ${num(s.value)}`);
    }
  }
  const histograms = metrics.histograms();
  for (const family of Object.values(HISTOGRAMS)) {
    const series = histograms.filter((h) => h.family.name === family.name);
    if (series.length === 0) continue;
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} histogram`);
    for (const s of series) lines.push(...histogramLines(s));
  }
  for (const m of extra) {
    lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type ?? "gauge"}`, `${m.name} ${num(m.value)}`);
  }
  return lines.join("\n") + "\n";
}

/** A point-in-time value served beside the counters (a gauge unless `type` says counter). */
export interface ExtraMetric {
  readonly name: string;
  readonly help: string;
  readonly value: number;
  readonly type?: "gauge" | "counter";
}
