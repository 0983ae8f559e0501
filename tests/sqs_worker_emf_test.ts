/**
 * The SQS worker's EMF output (`METRICS_EMF_INTERVAL_SECONDS`) end to end
 * against moto: a worker subprocess processes a few objects; its stdout
 * holds only EMF documents, in the Lambda's layout (namespace, `service`
 * plus label dimensions, the same metric names and units), written every
 * interval and once at shutdown; their deltas add up to what `/metrics`
 * counted.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { parsePrometheusText } from "../scripts/dashboards/prometheus_text.ts";
import { freePort } from "../scripts/local_aws/free_port.ts";
import { EMF_NAMESPACE } from "../src/telemetry/emf.ts";
import { HISTOGRAMS } from "../src/telemetry/histogram.ts";
import { METRICS } from "../src/telemetry/metrics.ts";
import {
  cloudWatchItem,
  encodeObject,
  newCustomer,
  putObject,
  putTenantItem,
  registerCluster,
  startLocalAws,
  vectorRecord,
} from "./support/fixtures.ts";
import { eventually, peekBodies, startQueueChain } from "./support/queue_chain.ts";
import {
  deliveredLines,
  numberedLines,
  putLines,
  queueEmpty,
  startWorker,
  terminate,
} from "./support/worker_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const SERVICE = "mtl-test-log-processor";
/** Series that keep counting while the worker idles (every long poll, every lag tick): EMF's total is at least the scrape's. */
const TICKING = new Set(['ApiCalls{"Operation":"ReceiveMessage"}', "EventLoopLag{}"]);

/** `outcome` → `Outcome`: the EMF dimension of a Prometheus label (all the processor's labels are one word). */
const dimension = (label: string) => label[0]!.toUpperCase() + label.slice(1);
const seriesKey = (name: string, dims: Record<string, string>) =>
  `${name}${JSON.stringify(Object.fromEntries(Object.entries(dims).sort()))}`;

Deno.test({
  name:
    "worker EMF: stdout holds only EMF in the Lambda's layout, every interval and at shutdown, adding up to /metrics",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const aws = await startLocalAws();
    const chain = await startQueueChain(aws, { maxReceiveCount: 2 });
    const a = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(a));
    await registerCluster(aws, [a, "tenant-nobody-configured"]);
    const port = freePort();
    const worker = startWorker(
      aws,
      chain,
      { METRICS_EMF_INTERVAL_SECONDS: "1", POWERTOOLS_SERVICE_NAME: SERVICE },
      ["--listen", `127.0.0.1:${port}`],
    );
    let scraped: string;
    try {
      const lines = [numberedLines(30, "one"), numberedLines(12, "two")];
      for (const l of lines) await putLines(aws, a.tenantId, l);
      await putLines(aws, "tenant-nobody-configured", numberedLines(3, "unknown")); // skipped
      await putObject(aws, `${a.tenantId}/not-the-layout.json.gz`, encodeObject([vectorRecord("x")])); // permanent
      await eventually("the queue to drain", () => queueEmpty(chain));
      await eventually(
        "the bad key in the DLQ",
        async () => (await peekBodies(chain, chain.dlqUrl)).length || undefined,
      );
      deepStrictEqual(await deliveredLines(aws, a.account, a.logGroup), lines.flat().sort());
      // A flush after the last delete, so the periodic output alone (before the final one) has seen it all.
      const flushed = worker.stdout().length;
      await eventually("another flush", () => Promise.resolve(worker.stdout().length > flushed || undefined));
      scraped = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      deepStrictEqual(await terminate(worker), 0);
    } finally {
      worker.kill("SIGKILL");
      await worker.exited;
      chain.close();
      await aws.close();
    }

    // stdout: nothing but EMF documents; the logs went to stderr.
    const out = worker.stdout().split("\n").filter((l) => l !== "");
    const docs: Json[] = out.map((l) => JSON.parse(l));
    ok(docs.length > 0);
    ok(worker.logs.some((l) => l.msg === "sqs worker started" && l.service === SERVICE));
    ok(!worker.stdout().includes('"msg"'), "no log line on stdout");
    const emfNames = new Map<string, string>(
      [...Object.values(METRICS), ...Object.values(HISTOGRAMS)].map((f) => [f.emfName, f.unit]),
    );
    const totals = new Map<string, number>();
    const histograms = new Map<string, { count: number; sum: number }>();
    for (const doc of docs) {
      const [directive, ...more] = doc._aws.CloudWatchMetrics;
      deepStrictEqual(more, []);
      deepStrictEqual(directive.Namespace, EMF_NAMESPACE);
      deepStrictEqual(doc.service, SERVICE);
      const [dims, ...otherSets] = directive.Dimensions;
      deepStrictEqual([dims[0], otherSets], ["service", []], "service first, one dimension set");
      const labels = Object.fromEntries(dims.slice(1).map((d: string) => [d, doc[d]]));
      for (const m of directive.Metrics) {
        deepStrictEqual(m.Unit, emfNames.get(m.Name), `${m.Name}: a metric of the processor, with its unit`);
        const key = seriesKey(m.Name, labels);
        const value = doc[m.Name];
        if (typeof value === "number") totals.set(key, (totals.get(key) ?? 0) + value);
        else {
          const h = histograms.get(key) ?? { count: 0, sum: 0 };
          histograms.set(key, { count: h.count + value.Count, sum: h.sum + value.Sum });
          deepStrictEqual(value.Counts.reduce((x: number, y: number) => x + y, 0), value.Count);
        }
      }
    }
    // Periodic (one flush at least came before SIGTERM), then the shutdown flush.
    const stamps = new Set(docs.map((d) => d._aws.Timestamp));
    ok(stamps.size >= 2, `${stamps.size} flushes`);
    for (const name of ["Messages", "Objects", "EventsDelivered", "Failures", "ApiCalls", "DeliveryAge"]) {
      ok(docs.some((d) => name in d), `no ${name}`);
    }

    // The deltas add up to the counters /metrics served at the end (not one sample more or less).
    const samples = parsePrometheusText(scraped);
    const expected = new Map<string, number>();
    const expectedHistograms = new Map<string, { count: number; sum: number }>();
    for (const f of Object.values(METRICS)) {
      for (const s of samples.filter((s) => s.name === f.name && s.value > 0)) {
        const dims = Object.fromEntries(Object.entries(s.labels).map(([k, v]) => [dimension(k), v]));
        expected.set(seriesKey(f.emfName, dims), s.value);
      }
    }
    for (const f of Object.values(HISTOGRAMS)) {
      for (const s of samples.filter((s) => s.name === `${f.name}_count` && s.value > 0)) {
        const sum = samples.find((x) =>
          x.name === `${f.name}_sum` && JSON.stringify(x.labels) === JSON.stringify(s.labels)
        );
        const dims = Object.fromEntries(Object.entries(s.labels).map(([k, v]) => [dimension(k), v]));
        expectedHistograms.set(seriesKey(f.emfName, dims), { count: s.value, sum: sum!.value });
      }
    }
    ok(expected.get(seriesKey("EventsDelivered", { Type: "cloudwatch" })) === 42, scraped);
    deepStrictEqual([...totals.keys()].sort(), [...expected.keys()].sort(), "the same series");
    for (const [key, value] of expected) {
      if (TICKING.has(key)) ok(totals.get(key)! >= value, `${key}: ${totals.get(key)} < ${value}`);
      else deepStrictEqual(totals.get(key), value, key);
    }
    deepStrictEqual([...histograms.keys()].sort(), [...expectedHistograms.keys()].sort(), "the same histograms");
    for (const [key, { count, sum }] of expectedHistograms) {
      const got = histograms.get(key)!;
      if (TICKING.has(key)) ok(got.count >= count, `${key}: ${got.count} < ${count}`);
      else {
        deepStrictEqual(got.count, count, key);
        ok(Math.abs(got.sum - sum) <= 1e-6 * Math.max(1, sum), `${key}: sum ${got.sum} ≠ ${sum}`);
      }
    }
  },
});
