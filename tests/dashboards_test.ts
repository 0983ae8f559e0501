/**
 * The dashboards name only what exists. The Grafana dashboard
 * (k8s/processor/components/grafana-dashboard/log-processor.json) is valid
 * JSON whose every query parses and names a metric, and labels, that a live
 * worker (`--mode sqs --listen` against moto) serves on /metrics; every
 * family the worker serves has a panel. The CloudWatch dashboards of the SQS
 * and Lambda stacks name AWS/SQS and AWS/Lambda metrics of the stack's own
 * queue and function, or EMF metrics with exactly the dimensions the
 * processor's EMF formatter writes.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { dashboardSub, resolveBody, widgetMetrics } from "../scripts/dashboards/cloudwatch_body.ts";
import { type Expr, type Matcher, metricNames, parsePromql } from "../scripts/dashboards/promql.ts";
import { familyNames, parsePrometheusText } from "../scripts/dashboards/prometheus_text.ts";
import { freePort } from "../scripts/local_aws/free_port.ts";
import { seedWorkerMetrics } from "../src/runtime/metric_seeds.ts";
import { coldStartEmf, EMF_NAMESPACE, formatEmf } from "../src/telemetry/emf.ts";
import { startPeriodicEmf } from "../src/telemetry/emf_flusher.ts";

import { HISTOGRAMS } from "../src/telemetry/histogram.ts";
import { silentLogger } from "../src/telemetry/logger.ts";
import { METRICS, Metrics } from "../src/telemetry/metrics.ts";
import { startLocalAws } from "./support/fixtures.ts";
import { eventually, startQueueChain } from "./support/queue_chain.ts";
import { messageResult, objectResult } from "./support/results.ts";
import { CFN_DIR, loadTemplate, ROOT } from "./support/tools.ts";
import { startWorker } from "./support/worker_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const GRAFANA = `${ROOT}k8s/processor/components/grafana-dashboard/log-processor.json`;

/** Labels Prometheus adds from the scrape target, not the worker. */
const TARGET_LABELS = new Set(["job", "instance", "pod", "namespace", "service", "container", "endpoint"]);
/** Families served but deliberately without a panel. */
const NO_PANEL = new Set([
  "process_start_time_seconds", // restarts show as gaps and resets in every rate panel
  "log_processor_deadline_failures_total", // Lambda only: always 0 in the worker
]);

/** The dashboard's queries with Grafana's variables as Prometheus would receive them. */
function grafanaQueries(dashboard: Json): { panel: string; expr: string; parsed: Expr }[] {
  const out = [];
  for (const panel of dashboard.panels) {
    for (const target of panel.targets ?? []) {
      const expr = String(target.expr).replaceAll("$__rate_interval", "1m").replaceAll("$job", ".*");
      out.push({ panel: panel.title, expr, parsed: parsePromql(expr) });
    }
  }
  return out;
}

/** Every selector of `e` with the labels it matches or groups by. */
function selectors(e: Expr, by: readonly string[] = []): { name: string; labels: string[] }[] {
  switch (e.kind) {
    case "number":
      return [];
    case "selector":
      return [{ name: e.name, labels: [...e.matchers.map((m: Matcher) => m.label), ...by] }];
    case "aggregate":
      return selectors(e.arg, [...by, ...(e.by ?? [])]);
    default:
      return selectors(e.arg, by);
  }
}

Deno.test({
  name: "the Grafana dashboard's queries name metrics and labels a live worker serves, and cover all it serves",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dashboard = JSON.parse(await Deno.readTextFile(GRAFANA));
    deepStrictEqual(dashboard.uid, "log-processor");
    const queries = grafanaQueries(dashboard);
    ok(queries.length >= 20, `only ${queries.length} queries`);
    for (const panel of dashboard.panels.filter((p: Json) => p.type !== "row")) {
      ok(panel.targets?.length > 0, `panel ${panel.title} has no query`);
      deepStrictEqual(panel.datasource, { type: "prometheus", uid: "${datasource}" }, panel.title);
    }

    const aws = await startLocalAws();
    const chain = await startQueueChain(aws);
    const port = freePort();
    const worker = startWorker(aws, chain, {}, ["--listen", `127.0.0.1:${port}`]);
    let text: string;
    try {
      text = await eventually("the worker's /metrics", async () => {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/metrics`);
          return res.ok ? await res.text() : (await res.body?.cancel(), undefined);
        } catch {
          return undefined;
        }
      });
    } finally {
      worker.kill("SIGTERM");
      await worker.exited;
      chain.close();
      await aws.close();
    }

    // What the worker serves: family → type, and the label names of each sample name.
    const families = familyNames(text);
    const served = new Map<string, Set<string>>();
    for (const [name, type] of families) {
      for (const suffix of type === "histogram" ? ["_bucket", "_sum", "_count"] : [""]) {
        served.set(name + suffix, new Set(suffix === "_bucket" ? ["le"] : []));
      }
    }
    for (const s of parsePrometheusText(text)) for (const l of Object.keys(s.labels)) served.get(s.name)?.add(l);

    for (const q of queries) {
      for (const { name, labels } of selectors(q.parsed)) {
        ok(served.has(name), `${q.panel}: ${name} is not served by the worker`);
        const known = served.get(name)!;
        for (const l of labels) ok(known.has(l) || TARGET_LABELS.has(l), `${q.panel}: ${name} has no label "${l}"`);
      }
    }
    const variable = dashboard.templating.list.find((v: Json) => v.name === "job");
    ok(served.has(variable.query.query.match(/label_values\((\w+), job\)/)[1]));

    // Every family the worker serves is on a panel (or deliberately not).
    const named = new Set(queries.flatMap((q) => metricNames(q.parsed)));
    for (const [name, type] of families) {
      const sampleName = type === "histogram" ? `${name}_bucket` : name;
      ok(named.has(sampleName) || NO_PANEL.has(name), `${name} is served but on no panel`);
    }
    // Every family has samples from the start (the labelled ones with their label sets, at zero).
    for (const [name] of families) {
      const series = parsePrometheusText(text).filter((s) => s.name === name || s.name === `${name}_count`);
      ok(series.length > 0, `${name} has no sample at start`);
    }
  },
});

const SQS_METRICS = new Set([
  "ApproximateAgeOfOldestMessage",
  "ApproximateNumberOfMessagesDelayed",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesVisible",
  "NumberOfEmptyReceives",
  "NumberOfMessagesDeleted",
  "NumberOfMessagesReceived",
  "NumberOfMessagesSent",
  "SentMessageSize",
]);
const LAMBDA_METRICS = new Set(["Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions"]);

/** Where the processor writes EMF: the Lambda runtime per invocation, the SQS worker every interval. */
type EmfWriter = "lambda" | "worker";

/**
 * EMF metric name → the dimension sets `writer` writes it with (sorted names,
 * joined by ","): the documents of the Lambda handler's formatter, or of the
 * worker's periodic flush over its seeded metrics.
 */
function emittedDimensions(writer: EmfWriter): Map<string, Set<string>> {
  const metrics = writer === "worker" ? seedWorkerMetrics(new Metrics()) : new Metrics();
  for (const outcome of ["delivered", "skipped", "retryable", "permanent"] as const) {
    metrics.recordObject(objectResult(outcome, { duration_ms: 120, age_ms: 30_000 }));
    metrics.recordMessage(messageResult(outcome));
  }
  metrics.recordObject(objectResult("permanent", { code: "WriterNotAllowed", refused: "unregistered_cluster" }));
  // Counted outside results: the worker's SQS calls and event loop, Lambda's deadline.
  const options = { namespace: EMF_NAMESPACE, timestamp: 0 };
  const lines: string[] = [];
  if (writer === "worker") {
    metrics.inc(METRICS.queueErrors, { operation: "ReceiveMessage" });
    metrics.inc(METRICS.apiCalls, { operation: "ReceiveMessage" });
    metrics.observe(HISTOGRAMS.eventLoopLag, {}, 0.003);
    startPeriodicEmf({
      ...options,
      metrics,
      dimensions: { service: "svc" },
      emit: (l) => void lines.push(...l),
      logger: silentLogger,
      intervalMs: 60_000,
      every: () => () => {},
    }).stop();
  } else {
    metrics.inc(METRICS.deadlineFailures);
    lines.push(
      ...formatEmf(metrics, { ...options, dimensions: { service: "svc" } }),
      coldStartEmf({ ...options, service: "svc", functionName: "fn" }),
    );
  }
  const out = new Map<string, Set<string>>();
  for (const doc of lines.map((l) => JSON.parse(l))) {
    const [directive] = doc._aws.CloudWatchMetrics;
    const dims = [...directive.Dimensions[0]].sort().join(",");
    for (const m of directive.Metrics) out.set(m.Name, (out.get(m.Name) ?? new Set()).add(dims));
  }
  return out;
}

/** The dashboard body of a template's Dashboard resource, its `${…}` variables replaced by `<name>`. */
async function dashboardBody(template: string): Promise<{ body: Json; vars: Record<string, Json> }> {
  const { text, vars } = dashboardSub(await loadTemplate(`${CFN_DIR}/${template}`));
  const names = [...text.matchAll(/\$\{([\w:]+)\}/g)].map((m) => m[1]!);
  return { body: resolveBody(text, Object.fromEntries(names.map((n) => [n, `<${n}>`]))), vars };
}

/** Every metric a widget draws, with its dimensions (`*` for a SEARCH's dimension names). */
function drawnMetrics(widget: Json): { ns: string; name: string; dims: Record<string, string> }[] {
  return widgetMetrics(widget).map((m) => {
    if (m.kind === "metric") return { ns: m.namespace, name: m.name, dims: { ...m.dimensions } };
    deepStrictEqual([m.stat, m.periodSeconds, Object.keys(m.filters)], ["Sum", 60, ["service"]]);
    const dims: Record<string, string> = Object.fromEntries(m.dimensionNames.map((d) => [d, "*"]));
    return { ns: m.namespace, name: m.name, dims: { ...dims, service: m.filters.service! } };
  });
}

/** Who writes the EMF metrics each stack's dashboard shows. */
const WRITER: Record<string, EmfWriter> = { "sqs.yaml": "worker", "lambda.yaml": "lambda" };

for (const template of ["sqs.yaml", "lambda.yaml"]) {
  Deno.test(
    `the ${template} dashboard names its own queue's AWS/SQS metrics${
      template === "lambda.yaml" ? ", its function's AWS/Lambda metrics" : ""
    } and the EMF metrics the ${WRITER[template]} writes`,
    async () => {
      const { body, vars } = await dashboardBody(template);
      const emitted = emittedDimensions(WRITER[template]!);
      const widgets: Json[] = body.widgets.filter((w: Json) => w.type === "metric");
      const drawn = widgets.flatMap(drawnMetrics);
      ok(drawn.length >= 20, `only ${drawn.length} metrics`);
      for (const m of drawn) {
        const what = `${template}: ${m.ns} ${m.name} ${JSON.stringify(m.dims)}`;
        if (m.ns === "AWS/SQS") {
          ok(SQS_METRICS.has(m.name), what);
          ok(["<QueueName>", "<DeadLetterQueueName>"].includes(m.dims.QueueName ?? ""), what);
        } else if (m.ns === "AWS/Lambda") {
          ok(template === "lambda.yaml" && LAMBDA_METRICS.has(m.name), what);
          deepStrictEqual(m.dims, { FunctionName: "<Function>" }, what);
        } else {
          deepStrictEqual(m.ns, EMF_NAMESPACE, what);
          const dims = Object.keys(m.dims).sort().join(",");
          ok(
            emitted.get(m.name)?.has(dims),
            `${what}: the ${WRITER[template]} writes ${m.name} with ${[...emitted.get(m.name) ?? []]}`,
          );
          deepStrictEqual(m.dims.service, "<ServiceName>", what);
        }
      }
      const names = new Set(drawn.map((m) => m.name));
      for (
        const required of [
          "ApproximateNumberOfMessagesVisible",
          "ApproximateAgeOfOldestMessage",
          "EventsDelivered",
          "EventsRejected",
          "Failures",
          "RefusedWrites",
          "DeliveryAge",
        ]
      ) {
        ok(names.has(required), `no ${required} widget`);
      }
      const age = body.widgets.find((w: Json) => w.properties.title?.startsWith("Delivery age"));
      deepStrictEqual(age.properties.metrics.map((r: Json) => r.at(-1).stat), ["p50", "p99"]);
      // The variables resolve to the stack's own queue, dead-letter queue and the processor's service name.
      const t = await loadTemplate(`${CFN_DIR}/${template}`);
      if (template === "sqs.yaml") {
        deepStrictEqual(vars.QueueName, { "Fn::GetAtt": ["Queue", "QueueName"] });
        deepStrictEqual(vars.DeadLetterQueueName, { "Fn::GetAtt": ["DeadLetterQueue", "QueueName"] });
        // By default the Lambda stack's service name; the stack hands it to the worker (output → processor.env).
        const lambda = await loadTemplate(`${CFN_DIR}/lambda.yaml`);
        deepStrictEqual(vars.ServiceName, {
          "Fn::If": [
            "HasServiceName",
            { Ref: "ServiceName" },
            lambda.Resources.Function.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME,
          ],
        });
        deepStrictEqual(t.Outputs.ServiceName.Value, vars.ServiceName);
      } else {
        deepStrictEqual(
          vars.ServiceName,
          t.Resources.Function.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME,
        );
        deepStrictEqual(vars.QueueName, { "Fn::Select": [5, { "Fn::Split": [":", { Ref: "QueueArn" }] }] });
      }
    },
  );
}

/** The widgets of `body` whose every metric is in `namespace`. */
const widgetsOf = (body: Json, namespace: string): Json[] =>
  body.widgets.filter((w: Json) => w.type === "metric" && widgetMetrics(w).every((m) => m.namespace === namespace));

Deno.test("the SQS and Lambda stacks' dashboards have the same queue and processor widgets, in the same places", async () => {
  const sqs = (await dashboardBody("sqs.yaml")).body;
  const lambda = (await dashboardBody("lambda.yaml")).body;
  for (const namespace of ["AWS/SQS", EMF_NAMESPACE]) {
    const lambdaWidgets = widgetsOf(lambda, namespace);
    ok(lambdaWidgets.length >= 3, `${namespace}: ${lambdaWidgets.length} widgets`);
    for (const widget of lambdaWidgets) {
      const twin = sqs.widgets.find((w: Json) => w.properties.title === widget.properties.title);
      deepStrictEqual(twin, widget, `${namespace}: "${widget.properties.title}"`);
    }
  }
  deepStrictEqual(
    widgetsOf(sqs, EMF_NAMESPACE).map((w: Json) => w.properties.title),
    widgetsOf(lambda, EMF_NAMESPACE).map((w: Json) => w.properties.title),
    "no processor widget of its own",
  );
  // No two widgets overlap on the 24-column grid.
  for (const body of [sqs, lambda]) {
    const cells = new Set<string>();
    for (const w of body.widgets) {
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          ok(!cells.has(`${x},${y}`) && x < 24, `${w.properties.title ?? w.type} overlaps at ${x},${y}`);
          cells.add(`${x},${y}`);
        }
      }
    }
  }
});
