/**
 * `deno run -A scripts/render_dashboards.ts [--seconds N] [--out DIR] [--only grafana|cloudwatch]`:
 * pictures of the dashboards for the docs, from runs against moto (not part
 * of the test suite). Real Grafana and CloudWatch are not available offline,
 * so the pictures are this script's own SVG drawings of the same panels and
 * widgets:
 *
 * 1. Grafana (docs/images/grafana-dashboard.svg): a worker subprocess
 *    (`--mode sqs --listen`) processes N seconds of traffic; its /metrics is
 *    scraped every 2 s, and every panel's PromQL is evaluated over the
 *    scrapes (scripts/dashboards/promql.ts, rate windows of 20 s).
 * 2. CloudWatch (docs/images/cloudwatch-lambda-dashboard.svg and
 *    cloudwatch-queue-dashboard.svg): the Lambda handler processes the same
 *    traffic through a stand-in event source mapping; its EMF lines, the
 *    invocations and the sampled queue attributes are put into moto with
 *    PutMetricData, and each widget of the stacks' dashboard bodies is read
 *    back with GetMetricData at a 10 s period (the dashboards use 60 s);
 *    percentiles are computed by the script from the published distributions.
 *
 * @module
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { parseArgs } from "node:util";
import { REGION, startLocalAws } from "../tests/support/fixtures.ts";
import { CFN_DIR, loadTemplate } from "../tests/support/tools.ts";
import { dashboardSub, resolveBody } from "./dashboards/cloudwatch_body.ts";
import { cloudwatchPanels } from "./dashboards/cloudwatch_render.ts";
import { grafanaPanels } from "./dashboards/grafana_render.ts";
import { FUNCTION_NAME, recordLambda } from "./dashboards/lambda_recording.ts";
import { MetricStore } from "./dashboards/metric_store.ts";
import { renderDashboard } from "./dashboards/svg_panels.ts";
import { setUpWorld } from "./dashboards/traffic.ts";
import { recordWorker } from "./dashboards/worker_recording.ts";
import { motoClientConfig } from "./local_aws/account_clients.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const GRAFANA = `${ROOT}k8s/processor/components/grafana-dashboard/log-processor.json`;

const USAGE = `Usage: deno task dashboards [--seconds N] [--out DIR] [--only grafana|cloudwatch]

Draws the Grafana and CloudWatch dashboards as SVG pictures (docs/images by
default) from N seconds (default 180) of traffic against moto.`;

function options() {
  try {
    return parseArgs({
      args: Deno.args,
      options: {
        seconds: { type: "string", default: "180" },
        out: { type: "string", default: `${ROOT}docs/images` },
        only: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    console.error(`render: ${err instanceof Error ? err.message : String(err)} (see --help)`);
    Deno.exit(2);
  }
}
const values = options();
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
if (values.only !== undefined && !["grafana", "cloudwatch"].includes(values.only)) {
  console.error(`render: --only takes grafana or cloudwatch, not ${values.only}`);
  Deno.exit(2);
}
const seconds = Number(values.seconds);
const log = (line: string) => console.error(`render: ${line}`);
const stamp = new Date().toISOString().slice(0, 10);

const aws = await startLocalAws();
const world = await setUpWorld(aws);
try {
  await Deno.mkdir(values.out, { recursive: true });

  if (values.only !== "cloudwatch") await renderGrafana();
  if (values.only !== "grafana") await renderCloudWatch();
  log(`wrote ${values.out}`);
} finally {
  await aws.close();
}
Deno.exit(0);

async function renderGrafana() {
  log(`worker phase, ${seconds} s of traffic`);
  const worker = await recordWorker(aws, world, { seconds, scrapeMs: 2000, log });
  const dashboard = JSON.parse(await Deno.readTextFile(GRAFANA));
  const series = worker.recording.series();
  const from = worker.times[0]!;
  const to = worker.times.at(-1)!;
  const grafana = renderDashboard(
    {
      title: `Grafana: ${dashboard.title}`,
      subtitle: `Drawn by scripts/render_dashboards.ts from ${worker.times.length} scrapes of a worker's /metrics ` +
        `against moto (${worker.objects} objects, ${stamp}); PromQL evaluated by the script, rate windows of 20 s.`,
      fromMs: from,
      toMs: to,
    },
    grafanaPanels(dashboard, { series, times: worker.times, rateInterval: "20s" }),
  );
  await Deno.writeTextFile(`${values.out}/grafana-dashboard.svg`, grafana);
}

async function renderCloudWatch() {
  log(`lambda phase, ${seconds} s of traffic`);
  const client = new CloudWatchClient(motoClientConfig(aws.moto, REGION));
  const store = new MetricStore(client);
  const started = Date.now();
  const run = await recordLambda(aws, world, { seconds, store, log });
  const range = { periodSeconds: 10, fromMs: Math.floor(started / 10_000) * 10_000, toMs: Date.now() };
  const names: Record<string, string> = {
    "AWS::Region": REGION,
    Project: "mtl",
    Environment: "demo",
    QueueName: run.queueName,
    DeadLetterQueueName: run.deadLetterQueueName,
    ServiceName: FUNCTION_NAME,
    Function: FUNCTION_NAME,
  };
  for (
    const [template, file, what] of [
      ["lambda.yaml", "cloudwatch-lambda-dashboard.svg", "the Lambda stack"],
      ["sqs.yaml", "cloudwatch-queue-dashboard.svg", "the SQS stack"],
    ] as const
  ) {
    const { text } = dashboardSub(await loadTemplate(`${CFN_DIR}/${template}`));
    const body = resolveBody(text, names);
    const svg = renderDashboard(
      {
        title: `CloudWatch: ${what}'s dashboard (cloudformation/${template})`,
        subtitle: `Drawn by scripts/render_dashboards.ts from GetMetricData against moto at a 10 s period ` +
          `(${run.objects} objects through the Lambda handler, ${stamp}); AWS/SQS and AWS/Lambda data published by ` +
          `the script; p50/p99 computed by the script from the EMF distributions.`,
        fromMs: range.fromMs,
        toMs: range.toMs,
        rowPx: 40,
        theme: "light",
      },
      await cloudwatchPanels(body, store, range),
    );
    await Deno.writeTextFile(`${values.out}/${file}`, svg);
  }
  client.destroy();
}
