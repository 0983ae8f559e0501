/**
 * CloudWatch Embedded Metric Format lines of {@link Metrics}, in the layout
 * Powertools for AWS Lambda writes: one JSON document per dimension set, the
 * `service` dimension on every metric, the labels as further dimensions
 * (low-cardinality only, no tenant), each counter as a number and each
 * histogram as a distribution (`Values`/`Counts` with `Max`, `Min`, `Count`,
 * `Sum`; at most 100 values a metric, so CloudWatch can compute percentiles).
 * Pure; the Lambda runtime prints them on stdout.
 *
 * @module
 */
import type { HistogramSample, Metrics, Sample } from "./metrics.ts";

/**
 * The default CloudWatch namespace (`POWERTOOLS_METRICS_NAMESPACE` overrides
 * it): src/config.ts takes its default from here, and the shipped dashboards
 * (cloudformation/*.yaml) read it.
 */
export const EMF_NAMESPACE = "LogProcessor";

/** CloudWatch drops a distribution of more than this many values. */
const MAX_EMF_VALUES = 100;

/** Powertools' cold-start metric name. */
export const COLD_START_METRIC = "ColdStart";

/** Where and under which dimensions the documents go. */
export interface EmfOptions {
  readonly namespace: string;
  /** Added to every document, e.g. `{ service: "log-processor" }`. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

/** `outcome` → `Outcome`. */
const dimensionName = (label: string) => label.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

interface Entry {
  readonly name: string;
  readonly unit: string;
  readonly value: unknown;
}

/** A distribution value of the bins `bins`. */
function distribution(bins: readonly (readonly [number, number])[], h: HistogramSample, whole: boolean): unknown {
  const values = bins.map(([v]) => v);
  const counts = bins.map(([, c]) => c);
  const count = counts.reduce((a, b) => a + b, 0);
  return whole ? { Values: values, Counts: counts, Max: h.max, Min: h.min, Count: h.count, Sum: h.sum } : {
    Values: values,
    Counts: counts,
    Max: values.at(-1) ?? 0,
    Min: values[0] ?? 0,
    Count: count,
    Sum: bins.reduce((a, [v, c]) => a + v * c, 0),
  };
}

/** The distribution entries of `h`: one, or one per 100 bins when it has more. */
function histogramEntries(h: HistogramSample): Entry[][] {
  if (h.bins.length <= MAX_EMF_VALUES) {
    return [[{ name: h.family.emfName, unit: h.family.unit, value: distribution(h.bins, h, true) }]];
  }
  const chunks: Entry[][] = [];
  for (let i = 0; i < h.bins.length; i += MAX_EMF_VALUES) {
    const bins = h.bins.slice(i, i + MAX_EMF_VALUES);
    chunks.push([{ name: h.family.emfName, unit: h.family.unit, value: distribution(bins, h, false) }]);
  }
  return chunks;
}

/** One EMF document. */
export function emfDocument(
  entries: readonly Entry[],
  dimensions: Readonly<Record<string, string>>,
  options: Pick<EmfOptions, "namespace" | "timestamp">,
): string {
  const doc: Record<string, unknown> = {
    _aws: {
      Timestamp: options.timestamp,
      CloudWatchMetrics: [{
        Namespace: options.namespace,
        Dimensions: [Object.keys(dimensions)],
        Metrics: entries.map((e) => ({ Name: e.name, Unit: e.unit })),
      }],
    },
    ...dimensions,
  };
  for (const e of entries) doc[e.name] = e.value;
  return JSON.stringify(doc);
}

/**
 * EMF documents for what `metrics` holds; zero counters and empty
 * histograms are left out.
 */
export function formatEmf(metrics: Pick<Metrics, "samples" | "histograms">, options: EmfOptions): string[] {
  const groups = new Map<string, { dims: Record<string, string>; entries: Entry[] }>();
  const extra: { dims: Record<string, string>; entries: Entry[] }[] = [];
  const dimsOf = (s: Sample | HistogramSample) => {
    const dims: Record<string, string> = { ...options.dimensions };
    for (const k of Object.keys(s.labels).sort()) dims[dimensionName(k)] = s.labels[k] ?? "";
    return dims;
  };
  const groupOf = (dims: Record<string, string>) => {
    const key = JSON.stringify(dims);
    let group = groups.get(key);
    if (!group) groups.set(key, group = { dims, entries: [] });
    return group;
  };
  for (const s of metrics.samples()) {
    if (s.value === 0) continue;
    groupOf(dimsOf(s)).entries.push({ name: s.family.emfName, unit: s.family.unit, value: s.value });
  }
  for (const h of metrics.histograms()) {
    if (h.count === 0) continue;
    const dims = dimsOf(h);
    const [first, ...rest] = histogramEntries(h);
    groupOf(dims).entries.push(...first!);
    for (const entries of rest) extra.push({ dims, entries });
  }
  return [...groups.values(), ...extra].map(({ dims, entries }) => emfDocument(entries, dims, options));
}

/**
 * Powertools' cold-start document: `ColdStart` = 1 under the `service` and
 * `function_name` dimensions, written once, on an environment's first invocation.
 */
export function coldStartEmf(
  options: Pick<EmfOptions, "namespace" | "timestamp"> & { readonly service: string; readonly functionName?: string },
): string {
  const dims: Record<string, string> = { service: options.service };
  if (options.functionName) dims.function_name = options.functionName;
  return emfDocument([{ name: COLD_START_METRIC, unit: "Count", value: 1 }], dims, options);
}
