/**
 * What CloudWatch Logs extracts from an EMF document, as PutMetricData
 * data: one datum per metric of each directive, with the directive's
 * dimensions, the document's timestamp, and a number or a distribution
 * (`Values`/`Counts`). Used to load a run's EMF lines into moto, which does
 * not read EMF from logs. Pure.
 *
 * @module
 */

/** One PutMetricData datum. */
export interface MetricDatum {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly timestampMs: number;
  readonly unit?: string;
  readonly value?: number;
  readonly values?: readonly number[];
  readonly counts?: readonly number[];
}

// deno-lint-ignore no-explicit-any
type Json = any;

/** The data of one EMF document. */
export function emfToMetricData(doc: Json): MetricDatum[] {
  const aws = doc?._aws;
  if (!aws || !Array.isArray(aws.CloudWatchMetrics)) return [];
  const out: MetricDatum[] = [];
  for (const directive of aws.CloudWatchMetrics) {
    for (const set of directive.Dimensions ?? [[]]) {
      const dimensions = (set as string[]).map((Name) => ({ Name, Value: String(doc[Name]) }));
      for (const m of directive.Metrics ?? []) {
        const v = doc[m.Name];
        const base = {
          namespace: directive.Namespace,
          name: m.Name,
          dimensions,
          timestampMs: aws.Timestamp,
          unit: m.Unit,
        };
        if (typeof v === "number") out.push({ ...base, value: v });
        else if (Array.isArray(v)) out.push({ ...base, values: v });
        else if (v && Array.isArray(v.Values)) out.push({ ...base, values: v.Values, counts: v.Counts });
      }
    }
  }
  return out;
}
