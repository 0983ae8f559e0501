/**
 * `deno task bench`: every benchmark, measured in this run, printed as a
 * report. Figures are rates and ratios, never assertions.
 *
 * @module
 */
import { commandLine } from "../scripts/command_line.ts";
import type { pipelineBench } from "./pipeline_bench.ts";
import { processBench } from "./process_bench.ts";
import { processReport } from "./process_report.ts";
import { progressBench, progressReport } from "./progress_bench.ts";
import { rssBench } from "./rss_bench.ts";
import { runWorkerBench, SQS_OPTION, SQS_USAGE, type SqsChoice, sqsChoice } from "./worker_bench.ts";

const fixed = (n: number, digits = 1) => n.toFixed(digits);

/** Runs the pure pipeline benchmark in a child pinned to one CPU (taskset) when possible. */
async function pinnedPipelineBench(megabytes: number): Promise<Awaited<ReturnType<typeof pipelineBench>>> {
  const script = new URL("./pipeline_bench.ts", import.meta.url).pathname;
  const deno = [Deno.execPath(), "run", "-A", script, String(megabytes)];
  let cmd = deno;
  try {
    const probe = await new Deno.Command("taskset", { args: ["-c", "0", "true"] }).output();
    if (probe.success) cmd = ["taskset", "-c", "0", ...deno];
  } catch { /* no taskset: unpinned */ }
  const [bin = Deno.execPath(), ...args] = cmd;
  const out = await new Deno.Command(bin, { args, stderr: "inherit" }).output();
  if (!out.success) throw new Error("pipeline benchmark failed");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Sizes (MiB) of the whole process's single large objects: 8 and 256, plus 1 GiB with `--with-1gib`. */
function largeObjectSizes(): number[] {
  const given = Deno.env.get("BENCH_PROCESS_MIB");
  if (given) return given.split(",").map(Number).filter(Boolean);
  return Deno.args.includes("--with-1gib") ? [8, 256, 1024] : [8, 256];
}

async function main(sqs: SqsChoice) {
  const megabytes = Number(Deno.env.get("BENCH_PIPELINE_MB") ?? 256);
  console.log(`## Pure pipeline (pinned to one core, ${megabytes} MB of generated Vector NDJSON)`);
  const p = await pinnedPipelineBench(megabytes);
  console.log(
    `gunzip → records → PutLogEvents bodies: ${fixed(p.mb_per_s)} MB/s uncompressed, ` +
      `${fixed(p.events_per_s / 1000)} k events/s (${p.events} events, avg message ${fixed(p.avg_event_bytes)} B)`,
  );
  console.log(
    `PutLogEvents calls: ${p.put_calls} vs packing optimum ${p.optimum_calls} ` +
      `(${fixed(p.calls_vs_optimum, 3)}×), ${fixed(p.calls_per_mb, 2)} calls per MB of messages`,
  );

  const sizes = (Deno.env.get("BENCH_RSS_MIB") ?? "256,1024").split(",").map(Number);
  console.log(`\n## Peak RSS streaming one object (uncompressed MiB: ${sizes.join(", ")})`);
  for (const r of await rssBench(sizes)) {
    console.log(
      `${fixed(r.uncompressed_mib, 0)} MiB object: peak RSS ${fixed(r.peak_rss_mb)} MB, ` +
        `${r.events} events in ${r.put_calls} PutLogEvents calls, ${fixed(r.uncompressed_mib / r.seconds)} MiB/s`,
    );
  }

  const largeMib = largeObjectSizes();
  console.log(
    `\n## Whole process: log-processor --mode sqs as a subprocess against moto through the counting proxy ` +
      `(CPU and peak RSS from /proc; large objects ${largeMib.join(", ")} MiB)`,
  );
  for (const line of processReport(await processBench({ largeMib }))) console.log(line);

  console.log(
    "\n## Cost of progress: the same workloads without and with DELIVERY_STATE_TABLE, log-processor --mode sqs as a " +
      "subprocess (CPU from /proc, calls from the counting proxy, duplicates read back)",
  );
  for (const line of progressReport(await progressBench())) console.log(line);

  const { worker, lambda } = await runWorkerBench({ sqs });
  console.log(`\n## Run modes against moto (SQS: ${worker.sqs}), through the recording proxy (warm caches)`);
  for (const r of worker.rates) {
    console.log(
      `SQS worker, CONCURRENCY ${r.concurrency}: ${fixed(r.objects_per_s)} objects/s, ` +
        `${fixed(r.events_per_s / 1000)} k events/s (${r.objects} objects of 500 events)`,
    );
  }
  console.log(`AWS calls per object, steady state: ${JSON.stringify(worker.calls_per_object_steady_state)}`);
  const fair = worker.fairness;
  console.log(
    `Fairness, CONCURRENCY ${fair.concurrency}, TENANT_MAX_IN_FLIGHT ${fair.tenant_max_in_flight}: ` +
      `${fair.quiet_tenants} quiet tenants' ${fair.quiet_objects} objects (${fair.events_per_object} events each) ` +
      `at ${fixed(fair.quiet_objects_per_s_alone)} objects/s alone, ${fixed(fair.quiet_objects_per_s_with_noisy)} ` +
      `among a tenant throttled on every PutLogEvents with ${fair.noisy_objects} objects: ratio ` +
      `${fixed(fair.ratio, 2)} (per repeat ${fair.ratio_per_repeat.join(", ")}; ` +
      `${fair.noisy_messages_deferred} of its messages deferred; ReceiveMessage ` +
      `${fair.receive_message_ms.alone.median} ms median alone, ${fair.receive_message_ms.with_noisy.median} ms ` +
      `among the noisy tenant's, ${fair.receives_to_goal.alone.join("/")} and ` +
      `${fair.receives_to_goal.with_noisy.join("/")} receives per repeat)`,
  );
  for (const b of worker.backlog) {
    console.log(
      `SQS calls per object draining ${b.objects} queued 1-event objects, CONCURRENCY ${b.concurrency}: ` +
        `${fixed(b.sqs_calls_per_object, 3)} ${JSON.stringify(b.by_operation)}`,
    );
  }
  console.log(
    `Lambda, batch of ${lambda.batch} objects × ${lambda.events_per_object} events: invocation ` +
      `${lambda.invocation_ms.median} ms median (p95 ${lambda.invocation_ms.p95}), same batch without the runtime ` +
      `${lambda.same_batch_without_runtime_ms.median} ms (p95 ${lambda.same_batch_without_runtime_ms.p95}); ` +
      `calls per object ${JSON.stringify(lambda.calls_per_object_warm)}`,
  );
}

const BENCH_USAGE = `Usage: deno task bench [--with-1gib] [--sqs moto|elasticmq]

Every benchmark, measured in this run (docs/performance.md; moto is started
unless MOTO_ENDPOINT is set).

  --with-1gib   the whole-process section also streams a 1 GiB object
${SQS_USAGE}
  --help        this text`;

if (import.meta.main) {
  const parsed = commandLine(Deno.args, {
    name: "deno task bench",
    options: { "with-1gib": { type: "boolean" }, ...SQS_OPTION },
    usage: BENCH_USAGE,
  });
  if ("exit" in parsed) Deno.exit(parsed.exit);
  const choice = sqsChoice(parsed.values.sqs);
  if ("error" in choice) {
    console.error(`deno task bench: ${choice.error}`);
    Deno.exit(2);
  }
  if (choice.note) console.error(`deno task bench: ${choice.note}`);
  await main(choice.sqs);
}
