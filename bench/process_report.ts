/**
 * The whole-process section of `deno task bench`: the figures of
 * {@link processBench} as text, each rate beside the parsing limit measured
 * in the same run, and what one TB costs at list prices (bench/cost_per_tb.ts).
 *
 * @module
 */
import { costPerTb, type ObjectProfile, PRICES_AS_OF, type TbCost, UNCACHED_CALLS_PER_OBJECT } from "./cost_per_tb.ts";
import type { parseLimits } from "./parse_limit.ts";
import { V8_FLAGS } from "../scripts/compile.ts";

/** What one workload cost the processor. */
export interface WorkloadFigures {
  readonly name: string;
  readonly objects: number;
  readonly events: number;
  /** Uncompressed NDJSON bytes of all objects. */
  readonly bytes: number;
  readonly cpu_seconds: number;
  readonly wall_seconds: number;
  /** Peak RSS during the workload (VmHWM reset before it). */
  readonly peak_rss_mb: number;
  readonly cpu_ms_per_object: number;
  readonly mb_per_cpu_s: number;
  /** Calls the proxy saw, per object, by operation. */
  readonly calls_per_object: Record<string, number>;
  /** What CloudWatch Logs bills as ingested per object (message bytes + 26 per event). */
  readonly ingested_bytes_per_object: number;
  /** CPU seconds of the workload by thread name (bench/proc_stats.ts threadCpuSeconds). */
  readonly cpu_seconds_by_thread?: Record<string, number>;
}

/** What `processBench` (process_bench.ts) measured: the types live here so the report does not import the benchmark. */
export interface ProcessBenchResult {
  readonly idle_rss_mb: number;
  readonly idle_rss_after_mb: number;
  readonly workloads: readonly WorkloadFigures[];
  readonly limits: Awaited<ReturnType<typeof parseLimits>>;
  /** The same limits measured in a child with the processor's V8 flags (`--max-semi-space-size=2`). */
  readonly limits_processor_flags?: Awaited<ReturnType<typeof parseLimits>>;
}

const SQS_CALLS = ["ReceiveMessage", "DeleteMessageBatch", "ChangeMessageVisibilityBatch"];
const fixed = (n: number, digits = 1) => n.toFixed(digits);

/** SQS calls per object of a workload. */
export function sqsCallsPerObject(w: WorkloadFigures): number {
  return SQS_CALLS.reduce((n, op) => n + (w.calls_per_object[op] ?? 0), 0);
}

/** The object profile of a workload, for the cost arithmetic. */
export function profileOf(w: WorkloadFigures): ObjectProfile {
  return {
    bytes: w.bytes / w.objects,
    cpuSeconds: w.cpu_seconds / w.objects,
    calls: w.calls_per_object,
    ingestedBytes: w.ingested_bytes_per_object,
  };
}

const dollars = (cost: TbCost) => cost.central.map((l) => `${l.item} $${fixed(l.usd, 2)}`).join(", ");

/** The limits under the processor's V8 flags, and the largest object's rate against them. */
function processorFlagsLine(r: ProcessBenchResult): string[] {
  const flagged = r.limits_processor_flags;
  const largest = r.workloads[r.workloads.length - 1];
  if (!flagged || !largest) return [];
  const limit = flagged.limit.mb_per_cpu_s;
  return [
    `under the processor's V8 flags (${V8_FLAGS.join(" ")}): parsing limit ${fixed(limit)} MB per CPU second, ` +
    `readRecords ${fixed(flagged.read_records.mb_per_cpu_s)} MB/s (${fixed(flagged.read_records_vs_limit, 2)}×); ` +
    `${largest.name} ${fixed(largest.mb_per_cpu_s / limit, 2)}× this limit`,
  ];
}

/** Lines of text reporting `r`. */
export function processReport(r: ProcessBenchResult): string[] {
  const limit = r.limits.limit.mb_per_cpu_s;
  const out = [
    `parsing limit (gunzip + line split + JSON.parse, streamed, ${fixed(r.limits.limit.mb, 0)} MB): ` +
    `${fixed(limit)} MB per CPU second; readRecords alone ${fixed(r.limits.read_records.mb_per_cpu_s)} MB/s ` +
    `(${fixed(r.limits.read_records_vs_limit, 2)}× the limit)`,
    ...processorFlagsLine(r),
    `idle RSS after warm-up: ${fixed(r.idle_rss_mb)} MB (${fixed(r.idle_rss_after_mb)} MB after the large objects)`,
  ];
  for (const w of r.workloads) {
    const calls = Object.entries(w.calls_per_object).map(([op, n]) => `${op} ${n}`).join(", ");
    out.push(
      `${w.name} (${w.objects}): ${fixed(w.cpu_ms_per_object, 2)} ms CPU per object, ` +
        `${fixed(w.mb_per_cpu_s)} MB per CPU second (${fixed(w.mb_per_cpu_s / limit, 2)}× the limit), ` +
        `peak RSS ${fixed(w.peak_rss_mb)} MB, SQS calls per object ${
          fixed(sqsCallsPerObject(w), 2)
        }; calls per object: ${calls}`,
    );
  }
  out.push(
    `\nCost of 1 TB (10^12 bytes of NDJSON as the agents wrote it), us-east-1 list prices as of ${PRICES_AS_OF}:`,
  );
  for (const w of r.workloads.filter((w) => w.events / w.objects >= 1000)) {
    const profile = profileOf(w);
    const ours = costPerTb(profile);
    const uncached = costPerTb({ ...profile, calls: { ...UNCACHED_CALLS_PER_OBJECT, ...pick(profile.calls) } });
    out.push(
      `  objects like "${w.name}" (${fixed(ours.objectsPerTb, 0)} per TB): central account $${
        fixed(ours.centralUsd, 2)
      } ` +
        `(${dollars(ours)}); a processor making 10 calls per object: $${fixed(uncached.centralUsd, 2)}; ` +
        `customer's CloudWatch ingestion apart: $${fixed(ours.customerCloudWatchUsd, 0)}`,
    );
  }
  return out;
}

/** The data-driven calls (GetObject, PutLogEvents) of a measured profile, which no caching removes. */
function pick(calls: Readonly<Record<string, number>>): Record<string, number> {
  return { GetObject: calls.GetObject ?? 1, PutLogEvents: calls.PutLogEvents ?? 1 };
}
