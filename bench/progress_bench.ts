/**
 * The cost of progress (issue 12), measured in one run: the same workloads
 * through `log-processor --mode sqs` as a subprocess against moto, once
 * without the delivery state and once with it (DELIVERY_STATE_TABLE), with
 * CPU seconds from `/proc/<pid>`, AWS calls per object from the counting
 * proxy and duplicate events read back from the customer's log group.
 * Workloads: a steady backlog (no faults), the same with 30 % of
 * PutLogEvents throttled (RETRY_ATTEMPTS 0, so each throttle is a retried
 * message), and one long object that checkpoints while it runs.
 *
 * @module
 */
import type { SQSClient } from "@aws-sdk/client-sqs";
import { spawnProcessor } from "../scripts/local_aws/processor_process.ts";
import { commandLine } from "../scripts/command_line.ts";
import { V8_FLAGS_ARG } from "../scripts/compile.ts";
import {
  createDeliveryStateTable,
  type Customer,
  encodeObject,
  type LocalAws,
  objectKey,
  processorEnv,
  putObject,
  readLogGroup,
  snsBody,
  startLocalAws,
  uniq,
  vectorRecord,
} from "../tests/support/fixtures.ts";
import { seededRandom } from "../tests/support/fakes.ts";
import { sendBodies } from "../tests/support/queue_chain.ts";
import { customerQueue, queueEmpty } from "../tests/support/worker_fixtures.ts";
import { sampleProcess } from "./proc_stats.ts";

/** One workload in one mode. */
export interface ProgressFigures {
  readonly workload: string;
  readonly state: "off" | "on";
  readonly objects: number;
  readonly events_per_object: number;
  readonly cpu_ms_per_object: number;
  readonly calls_per_object: Record<string, number>;
  /** Events that arrived more than once in the customer's stream. */
  readonly duplicates: number;
  readonly wall_seconds: number;
}

interface Workload {
  readonly name: string;
  readonly objects: number;
  readonly events: number;
  /** PutLogEvents answered with ThrottlingException, as a fraction. */
  readonly throttle?: number;
  /** Milliseconds each PutLogEvents is held (a slow destination, so an object outlives checkpoints). */
  readonly slowPutMs?: number;
}

const WORKLOADS: readonly Workload[] = [
  { name: "steady", objects: 40, events: 1_000 },
  { name: "throttled 30 %", objects: 20, events: 1_000, throttle: 0.3 },
  { name: "long object", objects: 1, events: 100_000, slowPutMs: 15 },
];

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

interface Run {
  readonly aws: LocalAws;
  readonly customer: Customer;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly worker: ReturnType<typeof spawnProcessor>;
}

/** Puts the workload's objects (pod = its stream) and returns their bodies. */
async function putWorkload(r: Run, w: Workload, pod: string): Promise<string[]> {
  const bodies: string[] = [];
  const now = Date.now();
  for (let i = 0; i < w.objects; i++) {
    const records = Array.from(
      { length: w.events },
      (_, j) =>
        vectorRecord(`${pod} object ${i} GET /api/v1/orders/${j} 200`, new Date(now - w.events + j).toISOString()),
    );
    const key = objectKey(r.customer.tenantId, "api", pod);
    await putObject(r.aws, key, encodeObject(records));
    bodies.push(snsBody(r.aws.bucket, key));
  }
  return bodies;
}

async function measure(r: Run, w: Workload, state: "off" | "on"): Promise<ProgressFigures> {
  const pod = uniq(w.name.replace(/[^a-z]+/g, "-"));
  const bodies = await putWorkload(r, w, pod);
  r.aws.proxy.reset();
  const group = r.customer.logGroup;
  const random = seededRandom(30);
  if (w.throttle) {
    const share = w.throttle;
    const match = (c: { put?: { group: string } }) => c.put?.group === group && random() < share;
    r.aws.proxy.inject({ operation: "PutLogEvents", status: 400, code: "ThrottlingException", match });
  }
  if (w.slowPutMs) r.aws.proxy.delay({ operation: "PutLogEvents", ms: w.slowPutMs });
  const before = await sampleProcess(r.worker.child.pid);
  const started = performance.now();
  await sendBodies(r.sqs, r.queueUrl, bodies);
  while (!(await queueEmpty(r))) await new Promise((res) => setTimeout(res, 100));
  const after = await sampleProcess(r.worker.child.pid);
  const calls = Object.fromEntries(
    Object.entries(r.aws.proxy.counts()).sort().map(([op, n]) => [op, round(n / w.objects, 2)]),
  );
  r.aws.proxy.reset();
  const stream = (await readLogGroup(r.aws, r.customer.account, group)).get(`prod-1/api/${pod}`) ?? [];
  const messages = stream.map((e) => e.message);
  return {
    workload: w.name,
    state,
    objects: w.objects,
    events_per_object: w.events,
    cpu_ms_per_object: round(((after.cpuSeconds - before.cpuSeconds) * 1000) / w.objects, 1),
    calls_per_object: calls,
    duplicates: messages.length - new Set(messages).size,
    wall_seconds: round((performance.now() - started) / 1000, 1),
  };
}

/** Every workload with the delivery state `off` or `on`, in its own worker process. */
async function runMode(aws: LocalAws, state: "off" | "on", stateTable: string): Promise<ProgressFigures[]> {
  const { customer, sqs, queueUrl } = await customerQueue(aws, "bench-progress");
  const env = processorEnv(aws, {
    SQS_QUEUE_URL: queueUrl,
    LOG_LEVEL: "warn",
    MAX_BATCH_SIZE: "250",
    RETRY_ATTEMPTS: "0",
    SQS_WAIT_TIME_SECONDS: "1",
    RETRY_VISIBILITY_BASE_SECONDS: "0",
    RETRY_VISIBILITY_MAX_SECONDS: "1",
    PROGRESS_CHECKPOINT_SECONDS: "1",
    ...(state === "on" ? { DELIVERY_STATE_TABLE: stateTable } : {}),
  });
  const worker = spawnProcessor(["--mode", "sqs"], env, { denoFlags: [V8_FLAGS_ARG] });
  const run: Run = { aws, customer, sqs, queueUrl, worker };
  try {
    await measure(run, { name: "warm-up", objects: 4, events: 10 }, state);
    const out: ProgressFigures[] = [];
    for (const w of WORKLOADS) out.push(await measure(run, w, state));
    return out;
  } finally {
    worker.kill("SIGKILL");
    await worker.exited;
    sqs.destroy();
  }
}

/** The workloads without and with the delivery state, in that order, in one run. */
export async function progressBench(): Promise<ProgressFigures[]> {
  const aws = await startLocalAws({ keepBodies: false });
  try {
    const stateTable = await createDeliveryStateTable(aws);
    return [...await runMode(aws, "off", stateTable), ...await runMode(aws, "on", stateTable)];
  } finally {
    await aws.close();
  }
}

/** Report lines: per workload, state off beside state on. */
export function progressReport(figures: readonly ProgressFigures[]): string[] {
  const lines: string[] = [];
  for (const w of WORKLOADS) {
    const off = figures.find((f) => f.workload === w.name && f.state === "off");
    const on = figures.find((f) => f.workload === w.name && f.state === "on");
    if (!off || !on) continue;
    const side = (f: ProgressFigures) =>
      `CPU ${f.cpu_ms_per_object} ms/object, ${f.duplicates} duplicate events, calls/object ` +
      JSON.stringify(f.calls_per_object);
    lines.push(`${w.name} (${w.objects} × ${w.events} events): state off: ${side(off)}`);
    lines.push(`${" ".repeat(w.name.length)}   state on:  ${side(on)}`);
  }
  return lines;
}

const USAGE = `Usage: deno run -A bench/progress_bench.ts [--json]

The cost-of-progress section of deno task bench alone: the same workloads
through log-processor --mode sqs without and with DELIVERY_STATE_TABLE
(docs/performance.md). Starts its own moto.

  --json   the raw figures as JSON instead of the report
  --help   this text`;

if (import.meta.main) {
  const parsed = commandLine(Deno.args, {
    name: "bench/progress_bench.ts",
    options: { json: { type: "boolean" } },
    usage: USAGE,
  });
  if ("exit" in parsed) Deno.exit(parsed.exit);
  const figures = await progressBench();
  if (parsed.values.json) console.log(JSON.stringify(figures, null, 2));
  else for (const line of progressReport(figures)) console.log(line);
}
