/**
 * The whole process, measured from the outside: `log-processor --mode sqs`
 * as a subprocess against moto through the counting proxy, with CPU seconds
 * and peak RSS read from `/proc/<pid>` (every thread, as the OS bills them).
 * Workloads, one after the other in the same warm process: a backlog of
 * 1-event objects (fixed CPU per object), a backlog of 1 000-event objects,
 * then single objects of 8 MiB, 256 MiB and (opt-in) 1 GiB of uncompressed
 * NDJSON; between them the idle RSS. The parsing limit of the same data is
 * measured in the same run (bench/parse_limit.ts) so each rate has a ratio.
 *
 * @module
 */
import type { SQSClient } from "@aws-sdk/client-sqs";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { gzipSync } from "node:zlib";
import { commandLine } from "../scripts/command_line.ts";
import { V8_FLAGS_ARG } from "../scripts/compile.ts";
import { spawnProcessor } from "../scripts/local_aws/processor_process.ts";
import {
  type LocalAws,
  objectKey,
  processorEnv,
  putObject,
  snsBody,
  startLocalAws,
} from "../tests/support/fixtures.ts";
import { sendBodies } from "../tests/support/queue_chain.ts";
import { customerQueue, queueEmpty } from "../tests/support/worker_fixtures.ts";
import { InspectorSession, summarizeProfile } from "./inspector.ts";
import { parseLimits } from "./parse_limit.ts";
import { type ProcessBenchResult, processReport, type WorkloadFigures } from "./process_report.ts";
import { resetPeakRss, sampleProcess, threadCpuDelta, threadCpuSeconds } from "./proc_stats.ts";
import { benchObject } from "./rss_bench.ts";
import { vectorNdjson } from "./vector_data.ts";

/** Options of {@link processBench}. */
export interface ProcessBenchOptions {
  /** 1-event objects in the small backlog. */
  readonly smallObjects?: number;
  /** 1 000-event objects in the medium backlog. */
  readonly mediumObjects?: number;
  /** Sizes (MiB, uncompressed) of the single large objects. */
  readonly largeMib?: readonly number[];
  /** Extra environment of the processor (e.g. DENO_V8_FLAGS). */
  readonly env?: Record<string, string>;
  /** Profiles the workload whose name starts with this (CPU profile, then a heap snapshot) into `profileDir`. */
  readonly profile?: string;
  readonly profileDir?: string;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** `n` Vector-shaped NDJSON lines, timestamps around now. */
function vectorLines(n: number, seed: number): string[] {
  const lines: string[] = [];
  for (const block of vectorNdjson(n * 800, { seed, blockBytes: 64 * 1024 })) {
    for (const line of block.split("\n")) if (line !== "" && lines.length < n) lines.push(line);
    if (lines.length >= n) break;
  }
  return lines;
}

interface Bench {
  readonly aws: LocalAws;
  readonly tenantId: string;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly processor: ReturnType<typeof spawnProcessor>;
  readonly inspector?: InspectorSession;
  readonly options: ProcessBenchOptions;
}

/** The processor's per-object result log lines so far. */
function objectLines(b: Bench): Record<string, unknown>[] {
  return b.processor.logs.filter((l) => typeof l.msg === "string" && l.msg.startsWith("object "));
}

const finishedObjects = (b: Bench) => objectLines(b).length;

/** Sends `bodies` (objects already in the bucket) and measures until all are processed and deleted. */
async function workload(b: Bench, name: string, bodies: string[], bytes: number, events: number) {
  const pid = b.processor.child.pid;
  const seen = finishedObjects(b);
  await resetPeakRss(pid);
  b.aws.proxy.reset();
  const profiling = b.inspector && b.options.profile && name.startsWith(b.options.profile);
  if (profiling) await b.inspector!.startProfile();
  const before = await sampleProcess(pid);
  const threadsBefore = await threadCpuSeconds(pid);
  const started = performance.now();
  await sendBodies(b.sqs, b.queueUrl, bodies);
  let peak = before.peakRssBytes;
  while (finishedObjects(b) < seen + bodies.length || !(await queueEmpty(b))) {
    await new Promise((r) => setTimeout(r, 50));
    const code = await Promise.race([b.processor.exited, Promise.resolve(undefined)]);
    if (code !== undefined) throw new Error(`processor exited with ${code}: ${b.processor.stderr().slice(-2000)}`);
  }
  const after = await sampleProcess(pid);
  const threads = threadCpuDelta(threadsBefore, await threadCpuSeconds(pid));
  peak = Math.max(peak, after.peakRssBytes);
  if (profiling) await saveProfile(b, name);
  const lines = objectLines(b).slice(seen);
  const failed = lines.filter((l) => l.msg !== "object delivered");
  if (failed.length > 0) throw new Error(`${name}: not delivered: ${JSON.stringify(failed[0]).slice(0, 1000)}`);
  if (b.aws.proxy.violations.length > 0) throw new Error(`${name}: ${b.aws.proxy.violations[0]}`);
  const cpu = after.cpuSeconds - before.cpuSeconds;
  let ingested = 0;
  for (const line of lines) {
    for (const d of line.deliveries as { bytes_delivered: number; events_delivered: number }[]) {
      ingested += d.bytes_delivered + 26 * d.events_delivered;
    }
  }
  const counts = b.aws.proxy.counts();
  const calls = Object.fromEntries(
    Object.entries(counts).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map((
      [op, n],
    ) => [op, round(n / bodies.length, 3)]),
  );
  return {
    name,
    objects: bodies.length,
    events,
    bytes,
    cpu_seconds: round(cpu, 3),
    wall_seconds: round((performance.now() - started) / 1000, 2),
    peak_rss_mb: round(peak / 1e6, 1),
    cpu_ms_per_object: round((cpu * 1000) / bodies.length, 2),
    mb_per_cpu_s: round(bytes / 1e6 / cpu, 1),
    calls_per_object: calls,
    ingested_bytes_per_object: Math.round(ingested / bodies.length),
    cpu_seconds_by_thread: threads,
  } satisfies WorkloadFigures;
}

async function saveProfile(b: Bench, name: string) {
  const dir = b.options.profileDir ?? ".bench/profiles";
  await Deno.mkdir(dir, { recursive: true });
  const base = `${dir}/${name.replace(/[^a-z0-9]+/gi, "-")}`;
  const profile = await b.inspector!.stopProfile();
  await Deno.writeTextFile(`${base}.cpuprofile`, JSON.stringify(profile));
  await Deno.writeTextFile(`${base}.summary.json`, JSON.stringify(summarizeProfile(profile), null, 2));
  await Deno.writeTextFile(`${base}.heapsnapshot`, await b.inspector!.heapSnapshot());
  console.error(`profile of ${name}: ${base}.{cpuprofile,summary.json,heapsnapshot}`);
}

/** Puts `count` objects of `eventsPerObject` Vector lines; returns bodies, bytes, events. */
async function smallObjects(b: Bench, count: number, eventsPerObject: number) {
  const lines = vectorLines(eventsPerObject * Math.min(count, 20), 7);
  const bodies: string[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const start = (i % 20) * eventsPerObject;
    const text = lines.slice(start, start + eventsPerObject).join("\n") + "\n";
    bytes += text.length;
    const key = objectKey(b.tenantId, "api", `api-${i % 4}`);
    await putObject(b.aws, key, new Uint8Array(gzipSync(text)));
    bodies.push(snsBody(b.aws.bucket, key));
  }
  return { bodies, bytes, events: count * eventsPerObject };
}

async function idleRss(b: Bench): Promise<number> {
  await new Promise((r) => setTimeout(r, 3000));
  return round((await sampleProcess(b.processor.child.pid)).rssBytes / 1e6, 1);
}

/**
 * The parsing limits of `file` measured in a child started with the
 * processor's own V8 flags (scripts/compile.ts): what the same work costs
 * under the processor's garbage-collector settings.
 */
async function childParseLimits(file: string, repetitions: number): Promise<Awaited<ReturnType<typeof parseLimits>>> {
  const script = new URL("./parse_limit.ts", import.meta.url).pathname;
  const args = ["run", "-A", V8_FLAGS_ARG, script, file, String(repetitions)];
  const out = await new Deno.Command(Deno.execPath(), { args, stderr: "inherit" }).output();
  if (!out.success) throw new Error("parse limit under the processor's V8 flags failed");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Runs every workload; returns the figures and the parsing limit of the largest object. */
export async function processBench(options: ProcessBenchOptions = {}): Promise<ProcessBenchResult> {
  const aws = await startLocalAws({ keepBodies: false });
  const { customer, sqs, queueUrl } = await customerQueue(aws, "bench-process");
  const processor = spawnProcessor(
    ["--mode", "sqs"],
    processorEnv(aws, { SQS_QUEUE_URL: queueUrl, ...options.env }),
    { denoFlags: [V8_FLAGS_ARG, ...options.profile ? ["--inspect=127.0.0.1:0"] : []] },
  );
  const inspector = options.profile ? await InspectorSession.connect(processor.stderr) : undefined;
  const b: Bench = { aws, tenantId: customer.tenantId, sqs, queueUrl, processor, inspector, options };
  try {
    const results: WorkloadFigures[] = [];
    const warm = await smallObjects(b, 12, 10);
    await workload(b, "warm-up", warm.bodies, warm.bytes, warm.events);
    const idle = await idleRss(b);
    const small = await smallObjects(b, options.smallObjects ?? 200, 1);
    results.push(await workload(b, "1-event objects", small.bodies, small.bytes, small.events));
    const medium = await smallObjects(b, options.mediumObjects ?? 50, 1000);
    results.push(await workload(b, "1 000-event objects", medium.bodies, medium.bytes, medium.events));
    let limits;
    let limitsProcessorFlags;
    for (const mib of options.largeMib ?? [8, 256]) {
      const file = await benchObject(mib, Date.now());
      const key = objectKey(b.tenantId, "api", "api-large");
      await putObject(aws, key, await Deno.readFile(file));
      // The limit of the largest object is the reference of every rate.
      limits = await parseLimits(file, 2);
      limitsProcessorFlags = await childParseLimits(file, 2);
      const { mb, lines } = limits.limit;
      results.push(await workload(b, `${mib} MiB object`, [snsBody(aws.bucket, key)], mb * 1e6, lines));
      await aws.s3.send(new DeleteObjectCommand({ Bucket: aws.bucket, Key: key }));
    }
    const idleAfter = await idleRss(b);
    return {
      idle_rss_mb: idle,
      idle_rss_after_mb: idleAfter,
      workloads: results,
      limits: limits!,
      limits_processor_flags: limitsProcessorFlags!,
    };
  } finally {
    inspector?.close();
    processor.kill("SIGKILL");
    await processor.exited;
    sqs.destroy();
    await aws.close();
  }
}

const USAGE = `Usage: deno run -A bench/process_bench.ts [--json]

The whole-process section of deno task bench alone: log-processor --mode sqs
as a subprocess against moto through the counting proxy, CPU and peak RSS from
/proc, and the parsing limit of the same data (docs/performance.md). moto is
started unless MOTO_ENDPOINT is set. Variables: BENCH_PROCESS_MIB (large
objects, default 8,256), BENCH_PROFILE, BENCH_V8_FLAGS.

  --json   the raw figures as JSON instead of the report
  --help   this text`;

if (import.meta.main) {
  const parsed = commandLine(Deno.args, {
    name: "bench/process_bench.ts",
    options: { json: { type: "boolean" } },
    usage: USAGE,
  });
  if ("exit" in parsed) Deno.exit(parsed.exit);
  const largeMib = (Deno.env.get("BENCH_PROCESS_MIB") ?? "8,256").split(",").map(Number);
  const profile = Deno.env.get("BENCH_PROFILE");
  // More V8 flags for the processor only (the bench process and its parsing limit keep theirs).
  const v8Flags = Deno.env.get("BENCH_V8_FLAGS");
  const result = await processBench({ largeMib, profile, env: v8Flags ? { DENO_V8_FLAGS: v8Flags } : undefined });
  if (parsed.values.json) console.log(JSON.stringify(result, null, 2));
  else for (const line of processReport(result)) console.log(line);
}
