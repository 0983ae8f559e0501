/**
 * Draws a dashboard as one SVG: panels on a grid (Grafana's 24 columns, or
 * CloudWatch's 24), each a titled time-series chart with axes in its unit
 * and a legend, or a block of text. A picture of what a dashboard shows for
 * recorded data, not Grafana's or CloudWatch's own rendering. Pure.
 *
 * @module
 */

/** One line of a chart: `[epoch ms, value]` points. */
export interface ChartSeries {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
}

/** What a panel shows. */
export type PanelContent =
  | {
    readonly kind: "chart";
    readonly unit: string;
    readonly series: readonly ChartSeries[];
    readonly stacked?: boolean;
    /** Points further apart than this are not joined (CloudWatch: periods without data are gaps). */
    readonly gapMs?: number;
  }
  | { readonly kind: "text"; readonly lines: readonly string[] }
  | { readonly kind: "row" };

/** A panel at a grid position (columns of 24, rows of `rowPx`). */
export interface Panel {
  readonly title: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly content: PanelContent;
}

/** The picture's frame. */
export interface Canvas {
  readonly title: string;
  readonly subtitle: string;
  readonly widthPx?: number;
  readonly rowPx?: number;
  /** The time range of every chart (epoch ms). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly theme?: "dark" | "light";
}

const PALETTE = ["#73bf69", "#f2cc0c", "#5794f2", "#ff780a", "#f2495c", "#b877d9", "#8ab8ff", "#ff9830", "#96d98d"];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A value in `unit` as a short label (`1.5 s`, `20 ms`, `3.1 MiB`, `12 /s`). */
export function formatValue(value: number, unit: string): string {
  const short = (v: number) => {
    const a = Math.abs(v);
    if (a === 0) return "0";
    if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
    if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
    if (a >= 10) return `${+v.toFixed(0)}`;
    if (a >= 1) return `${+v.toFixed(1)}`;
    return `${+v.toPrecision(2)}`;
  };
  switch (unit) {
    case "s": {
      const a = Math.abs(value);
      if (a === 0) return "0";
      if (a < 1) return `${short(value * 1000)} ms`;
      if (a < 120) return `${short(value)} s`;
      if (a < 7200) return `${short(value / 60)} min`;
      return `${short(value / 3600)} h`;
    }
    case "bytes":
    case "Bps": {
      const suffix = unit === "Bps" ? "/s" : "";
      const steps = ["B", "KiB", "MiB", "GiB"];
      let v = value;
      let i = 0;
      while (Math.abs(v) >= 1024 && i < steps.length - 1) v /= 1024, i++;
      return `${short(v)} ${steps[i]}${suffix}`;
    }
    case "ops":
      return `${short(value)} /s`;
    default:
      return short(value);
  }
}

/** Up to 5 round ticks from 0 to at least `max`. */
export function ticks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  return Array.from({ length: Math.ceil(max / step - 1e-9) + 1 }, (_, i) => +(i * step).toPrecision(12));
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** Each series on top of the ones before it, at the union of their times (a missing point counts 0). */
function stack(series: readonly ChartSeries[]): ChartSeries[] {
  const times = [...new Set(series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const totals = new Map<number, number>();
  return series.map((s) => {
    const values = new Map(s.points);
    return {
      label: s.label,
      points: times.map((t) => {
        const top = (totals.get(t) ?? 0) + (values.get(t) ?? 0);
        totals.set(t, top);
        return [t, top] as const;
      }),
    };
  });
}

function chart(panel: Panel, content: Extract<PanelContent, { kind: "chart" }>, box: Box, canvas: Canvas): string[] {
  const out: string[] = [];
  // Many series: the legend lists those that are not 0 throughout (as Grafana's "hide series with only zeros").
  const listed = content.series.map((s, i) => ({ s, i }))
    .filter(({ s }) => content.series.length <= 6 || s.points.some(([, v]) => v !== 0));
  const hidden = content.series.length - listed.length;
  const legendRows = Math.max(1, Math.min(3, Math.ceil((listed.length + (hidden ? 1 : 0)) / 3)));
  const plot = { x: box.x + 58, y: box.y + 30, w: box.w - 70, h: box.h - 58 - legendRows * 15 };
  const series = content.stacked ? stack(content.series) : content.series;
  const max = Math.max(0, ...series.flatMap((s) => s.points.map(([, v]) => v)));
  const yTicks = ticks(max);
  const top = yTicks.at(-1)!;
  const span = Math.max(1, canvas.toMs - canvas.fromMs);
  const px = (t: number) => plot.x + (t - canvas.fromMs) / span * plot.w;
  const py = (v: number) => plot.y + plot.h - v / top * plot.h;
  for (const v of yTicks) {
    out.push(
      `<line x1="${plot.x}" y1="${py(v).toFixed(1)}" x2="${plot.x + plot.w}" y2="${py(v).toFixed(1)}" class="grid"/>`,
      `<text x="${plot.x - 6}" y="${(py(v) + 4).toFixed(1)}" class="tick" text-anchor="end">${
        esc(formatValue(v, content.unit))
      }</text>`,
    );
  }
  for (let i = 0; i <= 4; i++) {
    const t = canvas.fromMs + span * i / 4;
    const anchor = i === 0 ? "start" : i === 4 ? "end" : "middle";
    out.push(
      `<text x="${px(t).toFixed(1)}" y="${plot.y + plot.h + 14}" class="tick" text-anchor="${anchor}">${
        clock(t)
      }</text>`,
    );
  }
  if (series.every((s) => s.points.length === 0)) {
    out.push(
      `<text x="${plot.x + plot.w / 2}" y="${plot.y + plot.h / 2}" class="nodata" text-anchor="middle">No data</text>`,
    );
  }
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const gap = content.gapMs ?? Number.POSITIVE_INFINITY;
    const path = s.points.map(([t, v], j) => {
      const joined = j > 0 && t - s.points[j - 1]![0] <= gap;
      return `${joined ? "L" : "M"}${px(t).toFixed(1)},${py(v).toFixed(1)}`;
    }).join("");
    if (content.stacked && s.points.length > 1) {
      // The band between this line and the one below it (or the axis).
      const below = (i > 0 ? series[i - 1]!.points : s.points.map(([t]) => [t, 0] as const)).toReversed();
      const back = below.map(([t, v]) => `L${px(t).toFixed(1)},${py(v).toFixed(1)}`).join("");
      out.push(`<path d="${path}${back}Z" fill="${color}" fill-opacity="0.25" stroke="none"/>`);
    }
    if (path) out.push(`<path d="${path}" stroke="${color}" class="line"/>`);
    // A point joined to no neighbour is drawn as a dot.
    s.points.forEach(([t, v], j) => {
      const before = j > 0 && t - s.points[j - 1]![0] <= gap;
      const after = j + 1 < s.points.length && s.points[j + 1]![0] - t <= gap;
      if (!before && !after) {
        out.push(`<circle cx="${px(t).toFixed(1)}" cy="${py(v).toFixed(1)}" r="2.5" fill="${color}"/>`);
      }
    });
  });
  const columnPx = (box.w - 24) / 3;
  const entries = listed.slice(0, legendRows * 3 - (hidden ? 1 : 0));
  entries.forEach(({ s, i }, k) => {
    const lx = box.x + 12 + (k % 3) * columnPx;
    const ly = box.y + box.h - 10 - (legendRows - 1 - Math.floor(k / 3)) * 15;
    out.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="3" fill="${PALETTE[i % PALETTE.length]}"/>`,
      `<text x="${lx + 14}" y="${ly - 3}" class="legend">${
        esc(clip(series[i]!.label || s.label || panel.title, Math.floor((columnPx - 18) / 6.2)))
      }</text>`,
    );
  });
  if (hidden) {
    const k = entries.length;
    const lx = box.x + 12 + (k % 3) * columnPx;
    const ly = box.y + box.h - 10 - (legendRows - 1 - Math.floor(k / 3)) * 15;
    out.push(`<text x="${lx}" y="${ly - 3}" class="legend">+${hidden} at 0 throughout</text>`);
  }
  return out;
}

const clip = (s: string, n: number) => s.length > n ? `${s.slice(0, n - 1)}…` : s;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The dashboard as an SVG document. */
export function renderDashboard(canvas: Canvas, panels: readonly Panel[]): string {
  const width = canvas.widthPx ?? 1600;
  const rowPx = canvas.rowPx ?? 30;
  const header = 56;
  const col = (width - 16) / 24;
  const height = header + Math.max(...panels.map((p) => p.y + p.h)) * rowPx + 16;
  const dark = (canvas.theme ?? "dark") === "dark";
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="Inter, Helvetica, Arial, sans-serif">`,
    `<style>.panel{fill:${dark ? "#181b1f" : "#ffffff"};stroke:${dark ? "#2c3235" : "#d5dbdb"}}` +
    `.title{fill:${dark ? "#ccccdc" : "#16191f"};font-size:13px;font-weight:600}` +
    `.tick{fill:${dark ? "#8e8e9e" : "#687078"};font-size:10px}.legend{fill:${
      dark ? "#ccccdc" : "#16191f"
    };font-size:11px}` +
    `.grid{stroke:${dark ? "#2c3235" : "#e9ebed"};stroke-width:1}.line{fill:none;stroke-width:1.6}` +
    `.nodata{fill:${dark ? "#8e8e9e" : "#687078"};font-size:13px}.text{fill:${
      dark ? "#ccccdc" : "#16191f"
    };font-size:12px}` +
    `.row{fill:${dark ? "#ccccdc" : "#16191f"};font-size:15px;font-weight:600}</style>`,
    `<rect width="100%" height="100%" fill="${dark ? "#111217" : "#f2f3f3"}"/>`,
    `<text x="12" y="26" class="row">${esc(canvas.title)}</text>`,
    `<text x="12" y="44" class="tick">${esc(canvas.subtitle)}</text>`,
  ];
  for (const p of panels) {
    const box = { x: 8 + p.x * col, y: header + p.y * rowPx, w: p.w * col - 8, h: p.h * rowPx - 8 };
    if (p.content.kind === "row") {
      out.push(`<text x="${box.x + 4}" y="${box.y + 20}" class="row">${esc(p.title)}</text>`);
      continue;
    }
    out.push(`<rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="3" class="panel"/>`);
    out.push(
      `<text x="${box.x + 10}" y="${box.y + 18}" class="title">${esc(clip(p.title, Math.floor(box.w / 7.5)))}</text>`,
    );
    if (p.content.kind === "text") {
      p.content.lines.forEach((line, i) =>
        out.push(`<text x="${box.x + 10}" y="${box.y + 40 + i * 17}" class="text">${esc(line)}</text>`)
      );
    } else out.push(...chart(p, p.content, box, canvas));
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}
