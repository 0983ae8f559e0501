/**
 * CloudWatch Embedded Metric Format lines of {@link Metrics}: one JSON line
 * per label set, the labels as dimensions (low-cardinality only, no tenant),
 * each counter as a metric. Pure; the Lambda runtime prints them on stdout.
 *
 * @module
 */
import type { Sample } from "./metrics.ts";

/** The CloudWatch namespace of every metric. */
export const EMF_NAMESPACE = "LogProcessor";

/** `outcome` → `Outcome`. */
const dimensionName = (label: string) => label.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/**
 * EMF documents for `samples` (zero values are left out). `base` dimensions
 * (for example `{ Mode: "lambda" }`) are added to every document.
 */
export function formatEmf(
  samples: readonly Sample[],
  base: Readonly<Record<string, string>>,
  timestamp: number,
): string[] {
  const groups = new Map<string, { dims: Record<string, string>; values: Sample[] }>();
  for (const s of samples) {
    if (s.value === 0) continue;
    const dims: Record<string, string> = { ...base };
    for (const [k, v] of Object.entries(s.labels).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
      dims[dimensionName(k)] = v;
    }
    const key = JSON.stringify(dims);
    const group = groups.get(key) ?? { dims, values: [] };
    group.values.push(s);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ dims, values }) => {
    const doc: Record<string, unknown> = {
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [{
          Namespace: EMF_NAMESPACE,
          Dimensions: [Object.keys(dims)],
          Metrics: values.map((s) => ({ Name: s.family.emfName, Unit: s.family.unit })),
        }],
      },
      ...dims,
    };
    for (const s of values) doc[s.family.emfName] = s.value;
    return JSON.stringify(doc);
  });
}
