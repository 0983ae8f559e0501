/**
 * The Grafana dashboard's panels evaluated over recorded `/metrics` scrapes
 * ({@link evaluate}), as {@link Panel}s to draw. Grafana's variables become
 * what a single worker run has: every `$job`, and a fixed rate interval. Pure.
 *
 * @module
 */
import { parsePromql } from "./promql.ts";
import { evaluate, legend, type Series } from "./promql_eval.ts";
import type { ChartSeries, Panel } from "./svg_panels.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** A target's expression as Prometheus would receive it. */
export function resolveGrafanaExpr(expr: string, rateInterval: string): string {
  return expr.replaceAll("$__rate_interval", rateInterval).replaceAll("$job", ".*");
}

/** Every panel of `dashboard`, each target evaluated at each of `times`. */
export function grafanaPanels(
  dashboard: Json,
  recording: { readonly series: readonly Series[]; readonly times: readonly number[]; readonly rateInterval: string },
): Panel[] {
  return (dashboard.panels as Json[]).map((p) => {
    const { x, y, w, h } = p.gridPos;
    if (p.type === "row") return { title: p.title, x, y, w, h, content: { kind: "row" } };
    const lines = new Map<string, [number, number][]>();
    for (const target of p.targets ?? []) {
      const expr = parsePromql(resolveGrafanaExpr(target.expr, recording.rateInterval));
      for (const t of recording.times) {
        for (const sample of evaluate(expr, recording.series, t)) {
          const label = legend(target.legendFormat ?? "", sample.labels) || target.refId;
          const points = lines.get(label) ?? [];
          points.push([t, sample.value]);
          lines.set(label, points);
        }
      }
    }
    const series: ChartSeries[] = [...lines].map(([label, points]) => ({ label, points }));
    const unit = p.fieldConfig?.defaults?.unit ?? "short";
    const stacked = p.fieldConfig?.defaults?.custom?.stacking?.mode === "normal";
    return { title: p.title, x, y, w, h, content: { kind: "chart", unit, series, stacked } };
  });
}
