/**
 * A CloudWatch dashboard body's widgets as {@link Panel}s, their metrics
 * read back from moto through a {@link MetricStore} (`SEARCH` expressions
 * expanded with ListMetrics, since moto does not evaluate them).
 *
 * @module
 */
import { widgetMetrics } from "./cloudwatch_body.ts";
import type { MetricStore } from "./metric_store.ts";
import type { ChartSeries, Panel } from "./svg_panels.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** The unit a widget's y axis label names: seconds, or plain numbers. */
const unitOf = (label: string | undefined) => label === "seconds" ? "s" : "short";

/** Markdown as plain lines (headings, emphasis and code marks dropped). */
export function markdownLines(markdown: string, width = 110): string[] {
  const out: string[] = [];
  for (const raw of markdown.split("\n")) {
    const line = raw.replace(/^#+\s*/, "").replace(/\*\*|`/g, "").replace(/^- /, "• ");
    let rest = line;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(" ", width);
      out.push(rest.slice(0, cut > 0 ? cut : width));
      rest = rest.slice(cut > 0 ? cut + 1 : width);
    }
    out.push(rest);
  }
  return out;
}

/** Every widget of `body`, drawn from `store` at `periodSeconds` over the range. */
export async function cloudwatchPanels(
  body: Json,
  store: MetricStore,
  range: { readonly periodSeconds: number; readonly fromMs: number; readonly toMs: number },
): Promise<Panel[]> {
  const panels: Panel[] = [];
  for (const w of body.widgets as Json[]) {
    const at = { x: w.x, y: w.y, w: w.width, h: w.height };
    if (w.type === "text") {
      const title = (w.properties.markdown.match(/^#+\s*(.*)$/m) ?? [])[1] ?? "";
      const text = w.properties.markdown.replace(/^#+.*\n+/, "");
      panels.push({ title, ...at, content: { kind: "text", lines: markdownLines(text, Math.floor(w.width * 8.5)) } });
      continue;
    }
    const series: ChartSeries[] = [];
    for (const m of widgetMetrics(w)) {
      if (m.kind === "metric") {
        series.push({ label: m.label, points: await store.series({ ...m }, range) });
        continue;
      }
      for (const dims of await store.search(m)) {
        const label = m.dimensionNames.filter((d) => !(d in m.filters)).map((d) => dims[d]).join(" ");
        series.push({ label, points: await store.series({ ...m, dimensions: dims }, range) });
      }
    }
    const unit = unitOf(w.properties.yAxis?.left?.label);
    panels.push({
      title: w.properties.title,
      ...at,
      content: { kind: "chart", unit, series, stacked: w.properties.stacked },
    });
  }
  return panels;
}
