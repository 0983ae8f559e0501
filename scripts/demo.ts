/**
 * `deno task demo`: the whole pipeline on an embedded local AWS (moto), in
 * about half a minute, touching nothing outside this machine. It starts
 * moto; deploys the central stacks with `cloudformation/deploy.sh` and wires
 * the notification chain; onboards three tenants with `log-processor tenants
 * add`, each customer stack deployed in that customer's own account;
 * registers three clusters with `log-processor clusters add --deploy` (each
 * with its own writer stack) and verifies them; writes Vector-shaped objects
 * with the log generator's S3 mode, one batch a write a cluster has no right
 * to; runs the SQS worker (a real `--mode sqs` subprocess) until the queue is
 * drained and stops it with SIGTERM; then prints what each tenant got, read
 * back from each customer's account, and the refused write that went to the
 * DLQ. moto and the worker are stopped even on failure.
 *
 * @module
 */
import { commandLine } from "./command_line.ts";
import { type MotoServer, spawnMoto, stopMoto } from "./local_aws/moto_server.ts";
import { localAwsEnv } from "./local_aws/account_clients.ts";
import { freePort } from "./local_aws/free_port.ts";
import { type ProcessorProcess, runDeno, runProcessor } from "./local_aws/processor_process.ts";
import { type Central, DEPLOY_ARGS, deployCentralStacks, wireNotifications } from "./demo/central_stacks.ts";
import {
  CENTRAL_ACCOUNT,
  clustersAddArgs,
  DEMO_CLUSTERS,
  DEMO_REGION,
  DEMO_TENANTS,
  GENERATOR_RUNS,
  generatorArgs,
  REFUSED_WRITE,
} from "./demo/demo_plan.ts";
import { onboardTenant } from "./demo/onboarding.ts";
import { readBackTenant } from "./demo/read_back.ts";
import { landingSection, metricsSection, refusedSection, samplesSection, tenantSection } from "./demo/report.ts";
import { tenantTotals } from "./demo/tenant_totals.ts";
import { fetchMetrics, startWorker, tail, waitUntilDrained } from "./demo/worker_run.ts";

const GENERATOR = new URL("./generate_logs.ts", import.meta.url).pathname;

/** Where the demo writes. */
export interface DemoIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const consoleIo: DemoIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** The variables of the processor's environment the demo shows. */
const PROCESSOR_VARIABLES = [
  "AWS_ENDPOINT_URL",
  "AWS_REGION",
  "TENANT_CONFIG_TABLE",
  "CLUSTER_TABLE",
  "CENTRAL_LOG_DISTRIBUTION_ROLE_ARN",
  "CENTRAL_BUCKET",
  "DELIVERY_STATE_TABLE",
] as const;

/** The processor's environment in the central account. */
function processorEnv(endpoint: string, central: Central): Record<string, string> {
  return {
    ...localAwsEnv(endpoint, DEMO_REGION),
    TENANT_CONFIG_TABLE: central.tenantTable,
    CLUSTER_TABLE: central.clusterTable,
    CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: central.centralRoleArn,
    CENTRAL_BUCKET: central.bucket,
    DELIVERY_STATE_TABLE: central.deliveryStateTable,
  };
}

/** Runs the demo; resolves to the exit status (0 when every step worked). */
export async function runDemo(io: DemoIo = consoleIo): Promise<number> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const step = (text: string) => io.out(`[${seconds().padStart(5)} s] ${text}`);
  const section = (title: string, lines: string[]) => io.out(["", `== ${title}`, ...lines].join("\n"));
  let moto: MotoServer | undefined;
  let worker: ProcessorProcess | undefined;
  let workerDone = false;
  // Ctrl-C (or a SIGTERM) must not leave moto or the worker running behind us.
  const interrupted = () => {
    io.err("demo interrupted: stopping the worker and moto");
    worker?.kill("SIGKILL");
    try {
      moto?.process.kill("SIGKILL");
    } catch { /* already gone */ }
    Deno.exit(130);
  };
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, interrupted);
  io.out("multi-tenant-logging demo: the whole pipeline on a local AWS (moto); nothing leaves this machine");
  try {
    moto = await spawnMoto();
    const endpoint = moto.url;
    const env = localAwsEnv(endpoint, DEMO_REGION);
    step(
      `moto_server on ${endpoint}: central account ${CENTRAL_ACCOUNT}, customers ` +
        DEMO_TENANTS.map((t) => `${t.id} ${t.account}`).join(", "),
    );

    io.out(`$ cloudformation/deploy.sh ${DEPLOY_ARGS.join(" ")}`);
    const central = await deployCentralStacks(env);
    step(
      `central stacks deployed: bucket ${central.bucket}, tenant table ${central.tenantTable}, ` +
        `queue ${central.queueUrl.split("/").pop()} with its DLQ`,
    );
    await wireNotifications(endpoint, DEMO_REGION, central);
    step("wired through the API (moto's CloudFormation skips them): bucket *.gz notifications → SNS topic → queue");

    const penv = processorEnv(endpoint, central);
    io.out(
      `  processor environment: ${
        PROCESSOR_VARIABLES.map((k) => `${k}=${penv[k]}`).join(" ")
      } SQS_QUEUE_URL=${central.queueUrl} and fake credentials`,
    );
    for (const tenant of DEMO_TENANTS) {
      const onboarded = await onboardTenant(endpoint, DEMO_REGION, { tenant, env: penv });
      for (const command of onboarded.commands) io.out(`$ ${command}`);
      step(
        `${tenant.id} (${tenant.story}): customer stack ${onboarded.stackName} deployed in account ` +
          `${tenant.account} → ${onboarded.roleArn}; tenants verify: ${onboarded.verified ? "ok" : "FAILED"}`,
      );
      if (!onboarded.verified) throw new Error(`tenants verify --tenant ${tenant.id} failed`);
    }
    for (const cluster of DEMO_CLUSTERS) {
      const args = clustersAddArgs(cluster);
      io.out(`$ log-processor ${args.join(" ")}`);
      const added = await runProcessor([...args, "--json"], penv);
      if (added.code !== 0) {
        throw new Error(`log-processor ${args.join(" ")} exited with ${added.code}: ${added.stderr}`);
      }
      const { item } = added.results[0] as { item: { writer_role_arn: string; writer_role_id: string } };
      step(
        `cluster ${cluster.id} (tenants ${cluster.tenants.join(", ")}): writer stack deployed, registered with ` +
          `${item.writer_role_arn} (${item.writer_role_id}); it may write only <tenant>/${cluster.id}/*`,
      );
    }
    io.out("$ log-processor clusters verify");
    const verified = await runProcessor(["clusters", "verify", "--json"], penv);
    if (verified.code !== 0) throw new Error(`clusters verify exited with ${verified.code}: ${verified.stdout}`);
    step(`clusters verify: ${verified.results.length} clusters, registry, writer roles and stacks agree`);
    io.out("$ log-processor tenants list");
    const list = await runProcessor(["tenants", "list"], penv);
    if (list.code !== 0) throw new Error(`tenants list exited with ${list.code}: ${list.stderr}`);
    io.out(list.stdout.trimEnd().split("\n").map((l) => `  ${l}`).join("\n"));

    const port = freePort();
    worker = startWorker({ ...penv, SQS_QUEUE_URL: central.queueUrl }, port);
    worker.exited.then(() => workerDone = true);
    io.out(`$ log-processor --mode sqs --listen 127.0.0.1:${port}`);
    step(`worker started (subprocess ${worker.child.pid}); it long-polls the queue while the objects arrive`);

    const now = Date.now();
    let objects = 0;
    for (const run of GENERATOR_RUNS) {
      const args = generatorArgs(run, central.bucket, now);
      io.out(`$ deno run -A scripts/generate_logs.ts ${args.join(" ")}`);
      const generated = await runDeno(GENERATOR, args, { env });
      if (generated.code !== 0) throw new Error(`generate_logs.ts exited with ${generated.code}: ${generated.stderr}`);
      const summary = JSON.parse(generated.stdout);
      objects += summary.objects;
      step(`wrote ${summary.objects} objects, ${summary.events} events (${run.purpose})`);
    }

    const deadLetters = await waitUntilDrained(worker, { endpoint, region: DEMO_REGION, queues: central, objects });
    step(
      `queue drained: nothing visible or in flight, ${objects} objects processed; ` +
        `dead-letter queue: ${deadLetters} messages`,
    );
    const metrics = await fetchMetrics(port);
    worker.kill("SIGTERM");
    const code = await worker.exited;
    step(`SIGTERM → the worker finished and exited with ${code}`);
    if (code !== 0) throw new Error(`the worker exited with ${code}:\n${tail(worker.stderr())}`);

    const ids = DEMO_TENANTS.map((t) => t.id);
    const totals = tenantTotals(worker.logs, ids);
    const readBacks = new Map(
      await Promise.all(
        DEMO_TENANTS.map(async (t) => [t.id, await readBackTenant(endpoint, DEMO_REGION, { tenant: t })] as const),
      ),
    );
    section("Per tenant (from the worker's per-object result log lines)", tenantSection(DEMO_TENANTS, totals));
    section("Where the events landed", landingSection(DEMO_TENANTS, totals, readBacks));
    section("Delivered lines, read back from each customer's account", samplesSection(DEMO_TENANTS, readBacks));
    section(
      `Refused writes (WriterNotAllowed: permanent, to the DLQ, nothing delivered; ${REFUSED_WRITE.cluster} is ` +
        `registered for ${DEMO_CLUSTERS.find((c) => c.id === REFUSED_WRITE.cluster)?.tenants.join(", ")} only)`,
      [
        ...refusedSection(worker.logs),
        "  (moto does not enforce IAM here: this is the processor's half of the boundary, for a writer whose IAM",
        "  policy let it through; tests/writer_role_iam_test.ts shows the writer roles' own half under enforcement)",
      ],
    );
    section(`Worker metrics (GET http://127.0.0.1:${port}/metrics, non-zero counters)`, metricsSection(metrics));
    io.out("");
    return 0;
  } catch (err) {
    io.err(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    if (worker) io.err(`worker log (last lines):\n${tail(worker.stderr())}`);
    return 1;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, interrupted);
    if (worker && !workerDone) {
      worker.kill("SIGKILL");
      await worker.exited;
    }
    if (moto) await stopMoto(moto);
    step("moto and the worker are stopped");
  }
}

const DEMO_USAGE = `Usage: deno task demo

Runs the whole pipeline on an embedded local AWS (moto) and prints what each
tenant got; nothing leaves this machine. Takes no options but --help.`;

if (import.meta.main) {
  const parsed = commandLine(Deno.args, { name: "deno task demo", options: {}, usage: DEMO_USAGE });
  Deno.exit("exit" in parsed ? parsed.exit : await runDemo());
}
