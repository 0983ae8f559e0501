/**
 * Prometheus text exposition (format 0.0.4) of {@link Metrics}. Pure.
 *
 * @module
 */
import { type Labels, METRICS, type Sample } from "./metrics.ts";

/** The Content-Type of {@link formatPrometheus}'s output. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function labelText(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
}

/**
 * Every counter family with HELP and TYPE lines (families never counted
 * still appear, so dashboards see them), then its samples.
 * `extra` adds gauges such as in-flight messages.
 */
export function formatPrometheus(samples: readonly Sample[], extra: readonly Gauge[] = []): string {
  const lines: string[] = [];
  for (const family of Object.values(METRICS)) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} counter`);
    for (const s of samples) {
      if (s.family.name === family.name) lines.push(`${family.name}${labelText(s.labels)} ${s.value}`);
    }
  }
  for (const g of extra) {
    lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`, `${g.name} ${g.value}`);
  }
  return lines.join("\n") + "\n";
}

/** A point-in-time value served beside the counters. */
export interface Gauge {
  readonly name: string;
  readonly help: string;
  readonly value: number;
}
