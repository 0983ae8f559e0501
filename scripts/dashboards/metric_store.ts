/**
 * CloudWatch metrics of a render run, in moto: data is published with
 * PutMetricData and read back with GetMetricData and ListMetrics, as a
 * dashboard reads it. moto computes Sum, Average, Minimum, Maximum and
 * SampleCount but no percentile: p50/p99 are computed here, from the same
 * distributions (`Values`/`Counts`) that were published.
 *
 * @module
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type StandardUnit,
} from "@aws-sdk/client-cloudwatch";
import type { MetricDatum } from "./emf_metric_data.ts";

/** Data per PutMetricData call (moto answers 500 to requests of a few dozen data with dimensions). */
const BATCH = 20;

/** One metric of a widget. */
export interface MetricQuery {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
}

const sameDims = (d: MetricDatum, want: Readonly<Record<string, string>>) =>
  d.dimensions.length === Object.keys(want).length && d.dimensions.every((x) => want[x.Name] === x.Value);

/** The `q`-quantile (0–1) of values with counts, by rank. */
export function quantileOf(values: readonly (readonly [number, number])[], q: number): number {
  const sorted = [...values].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  let seen = 0;
  for (const [v, c] of sorted) if ((seen += c) >= q * total) return v;
  return sorted.at(-1)?.[0] ?? Number.NaN;
}

/** Published data and the client that reads it back. */
export class MetricStore {
  readonly #client: CloudWatchClient;
  readonly #all: MetricDatum[] = [];
  #unsent: MetricDatum[] = [];

  constructor(client: CloudWatchClient) {
    this.#client = client;
  }

  /** Queues `data` for publishing. */
  add(data: readonly MetricDatum[]): void {
    this.#all.push(...data);
    this.#unsent.push(...data);
  }

  /** Publishes what was added (PutMetricData, one call per namespace and 20 data: moto fails larger requests). */
  async flush(): Promise<void> {
    const batch = this.#unsent;
    this.#unsent = [];
    const byNamespace = Map.groupBy(batch, (d) => d.namespace);
    for (const [namespace, data] of byNamespace) {
      for (let i = 0; i < data.length; i += BATCH) {
        await this.#client.send(
          new PutMetricDataCommand({
            Namespace: namespace,
            MetricData: data.slice(i, i + BATCH).map((d) => ({
              MetricName: d.name,
              Dimensions: [...d.dimensions],
              Timestamp: new Date(d.timestampMs),
              Unit: d.unit as StandardUnit | undefined,
              ...(d.values
                ? { Values: [...d.values], Counts: d.counts ? [...d.counts] : undefined }
                : { Value: d.value }),
            })),
          }),
        );
      }
    }
  }

  /** `[period start, value]` of `q` per `periodSeconds` from `fromMs` to `toMs`. */
  async series(
    q: MetricQuery,
    range: { periodSeconds: number; fromMs: number; toMs: number },
  ): Promise<[number, number][]> {
    if (/^p\d+(\.\d+)?$/.test(q.stat)) return this.#percentiles(q, range);
    const out = await this.#client.send(
      new GetMetricDataCommand({
        StartTime: new Date(range.fromMs),
        EndTime: new Date(range.toMs),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [{
          Id: "m",
          MetricStat: {
            Metric: {
              Namespace: q.namespace,
              MetricName: q.name,
              Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: range.periodSeconds,
            Stat: q.stat,
          },
        }],
      }),
    );
    const result = out.MetricDataResults?.[0];
    const times = result?.Timestamps ?? [];
    return times.map((t, i) => [t.getTime(), result?.Values?.[i] ?? 0] as [number, number])
      .sort((a, b) => a[0] - b[0]);
  }

  #percentiles(q: MetricQuery, range: { periodSeconds: number; fromMs: number; toMs: number }): [number, number][] {
    const quantile = Number(q.stat.slice(1)) / 100;
    const periodMs = range.periodSeconds * 1000;
    const buckets = new Map<number, [number, number][]>();
    for (const d of this.#all) {
      if (d.namespace !== q.namespace || d.name !== q.name || !sameDims(d, q.dimensions)) continue;
      if (d.timestampMs < range.fromMs || d.timestampMs >= range.toMs) continue;
      const start = range.fromMs + Math.floor((d.timestampMs - range.fromMs) / periodMs) * periodMs;
      const values = buckets.get(start) ?? [];
      if (d.values) d.values.forEach((v, i) => values.push([v, d.counts?.[i] ?? 1]));
      else if (d.value !== undefined) values.push([d.value, 1]);
      buckets.set(start, values);
    }
    return [...buckets].sort((a, b) => a[0] - b[0]).map(([t, values]) => [t, quantileOf(values, quantile)]);
  }

  /** The dimension sets of metrics named `name` in `namespace` with exactly `dimensionNames`, matching `filters`. */
  async search(
    q: {
      namespace: string;
      name: string;
      dimensionNames: readonly string[];
      filters: Readonly<Record<string, string>>;
    },
  ): Promise<Record<string, string>[]> {
    const out = new Map<string, Record<string, string>>();
    let NextToken: string | undefined;
    do {
      const page = await this.#client.send(
        new ListMetricsCommand({
          Namespace: q.namespace,
          MetricName: q.name,
          Dimensions: Object.entries(q.filters).map(([Name, Value]) => ({ Name, Value })),
          NextToken,
        }),
      );
      for (const m of page.Metrics ?? []) {
        const dims = Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name!, d.Value!]));
        const names = Object.keys(dims).sort();
        if (names.join() === [...q.dimensionNames].sort().join()) {
          out.set(JSON.stringify(names.map((n) => dims[n])), dims);
        }
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return [...out.values()];
  }
}
