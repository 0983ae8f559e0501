import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { HISTOGRAMS } from "../telemetry/histogram.ts";
import { METRICS, Metrics } from "../telemetry/metrics.ts";
import { type EndpointSources, serveEndpoint } from "./http_endpoint.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { seedWorkerMetrics } from "./metric_seeds.ts";
import type { WorkerHealth } from "./phase_machine.ts";

/** Serves `src` on a free port, asks it `path` (with `init`), and shuts it down; the body is read. */
async function ask(path: string, src: EndpointSources, init?: RequestInit): Promise<Response> {
  const server = serveEndpoint({ hostname: "127.0.0.1", port: 0 }, { ...src, logger: silentLogger });
  try {
    const res = await fetch(`http://127.0.0.1:${(server.addr as Deno.NetAddr).port}${path}`, init);
    return new Response(await res.arrayBuffer(), { status: res.status, headers: res.headers });
  } finally {
    await server.shutdown();
  }
}

const sources = (health: Partial<WorkerHealth> = {}) => {
  const metrics = seedWorkerMetrics(new Metrics());
  metrics.inc(METRICS.messages, { outcome: "delivered" }, 7);
  metrics.observe(HISTOGRAMS.deliveryAge, {}, 42);
  return {
    metrics,
    health: () => ({ ok: true, stopping: false, inFlight: 2, consecutiveReceiveErrors: 0, ...health }),
    processStats: () => ({ residentBytes: 52_428_800, heapUsedBytes: 1024, cpuSeconds: 1.25, startTimeSeconds: 1.5e9 }),
  };
};

Deno.test("/metrics serves Prometheus text: counters, histograms, the worker's gauges and the process' own", async () => {
  const res = await ask("/metrics", sources());
  strictEqual(res.status, 200);
  match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  match(text, /^log_processor_messages_total\{outcome="delivered"\} 7$/m);
  match(text, /^log_processor_in_flight_messages 2$/m);
  match(text, /^log_processor_delivery_age_seconds_bucket\{le="60"\} 1$/m);
  match(text, /^log_processor_delivery_age_seconds_bucket\{le="30"\} 0$/m);
  match(text, /^log_processor_object_duration_seconds_count\{outcome="retryable"\} 0$/m);
  match(text, /^log_processor_refused_writes_total\{reason="unregistered_cluster"\} 0$/m);
  match(text, /^log_processor_failures_total\{class="permanent",code="WriterNotAllowed"\} 0$/m);
  match(text, /^# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1\.25$/m);
  match(text, /^# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 52428800$/m);
  match(text, /^process_start_time_seconds 1500000000$/m);
});

Deno.test("/metrics reads this process' memory and CPU by default", async () => {
  const { metrics, health } = sources();
  const text = await (await ask("/metrics", { metrics, health })).text();
  const rss = Number(text.match(/^process_resident_memory_bytes (\d+)$/m)?.[1]);
  ok(rss > 1_000_000, `a real resident size, got ${rss}`);
  ok(Number(text.match(/^process_cpu_seconds_total ([\d.]+)$/m)?.[1]) > 0);
});

Deno.test("/healthz is 200 while healthy and 503 while stopping", async () => {
  strictEqual((await ask("/healthz", sources())).status, 200);
  const res = await ask("/healthz", sources({ ok: false, stopping: true }));
  strictEqual(res.status, 503);
  strictEqual((await res.json()).stopping, true);
});

Deno.test("/livez is 200 whatever the worker's health: liveness never depends on SQS", async () => {
  for (const health of [{}, { ok: false, consecutiveReceiveErrors: 5 }, { ok: false, stopping: true }]) {
    const res = await ask("/livez", sources(health));
    strictEqual(res.status, 200);
    deepStrictEqual(await res.json(), { alive: true });
  }
  // The same receive errors make /healthz (readiness) fail.
  strictEqual((await ask("/healthz", sources({ ok: false }))).status, 503);
});

Deno.test("unknown paths and methods are refused", async () => {
  strictEqual((await ask("/", sources())).status, 404);
  strictEqual((await ask("/metrics", sources(), { method: "POST" })).status, 405);
});
