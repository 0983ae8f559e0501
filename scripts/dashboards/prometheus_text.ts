/**
 * Reads Prometheus text exposition (format 0.0.4) into samples, and keeps
 * samples of successive scrapes as series for {@link evaluate}. Pure.
 *
 * @module
 */
import type { Labels } from "./promql.ts";
import type { Series } from "./promql_eval.ts";

/** One sample line. */
export interface TextSample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
}

const LINE = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([A-Za-z_]\w*)="((?:[^"\\]|\\.)*)"\s*,?/g;

const unescape = (v: string) => v.replace(/\\(["\\n])/g, (_, c: string) => c === "n" ? "\n" : c);

/** The samples of an exposition (comments and blank lines skipped). */
export function parsePrometheusText(text: string): TextSample[] {
  const out: TextSample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = line.match(LINE);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(LABEL)) labels[l[1]!] = unescape(l[2]!);
    const raw = m[3]!;
    const value = raw === "+Inf" ? Number.POSITIVE_INFINITY : raw === "-Inf" ? Number.NEGATIVE_INFINITY : Number(raw);
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** The metric family names of an exposition's `# TYPE` lines. */
export function familyNames(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/** Scrapes over time, kept as series. */
export class Recording {
  readonly #series = new Map<string, { name: string; labels: Labels; points: [number, number][] }>();

  /** Adds one scrape taken at `atMs`. */
  add(atMs: number, samples: readonly TextSample[], extraLabels: Labels = {}): void {
    for (const s of samples) {
      const labels = { ...s.labels, ...extraLabels };
      const key = `${s.name}${JSON.stringify(Object.entries(labels).sort())}`;
      let series = this.#series.get(key);
      if (!series) this.#series.set(key, series = { name: s.name, labels, points: [] });
      series.points.push([atMs, s.value]);
    }
  }

  /** Every series recorded. */
  series(): Series[] {
    return [...this.#series.values()];
  }
}
