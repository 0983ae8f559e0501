import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { METRICS, Metrics } from "../telemetry/metrics.ts";
import { handleRequest } from "./http_endpoint.ts";
import type { WorkerHealth } from "./worker_lifecycle.ts";

const sources = (health: Partial<WorkerHealth> = {}) => {
  const metrics = new Metrics().seedOutcomes();
  metrics.inc(METRICS.messages, { outcome: "delivered" }, 7);
  return {
    metrics,
    health: () => ({ ok: true, stopping: false, inFlight: 2, consecutiveReceiveErrors: 0, ...health }),
  };
};

Deno.test("/metrics serves Prometheus text with counters and the in-flight gauge", async () => {
  const res = handleRequest(new Request("http://x/metrics"), sources());
  strictEqual(res.status, 200);
  match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  match(text, /^log_processor_messages_total\{outcome="delivered"\} 7$/m);
  match(text, /^log_processor_in_flight_messages 2$/m);
});

Deno.test("/healthz is 200 while healthy and 503 while stopping", async () => {
  strictEqual(handleRequest(new Request("http://x/healthz"), sources()).status, 200);
  const res = handleRequest(new Request("http://x/healthz"), sources({ ok: false, stopping: true }));
  strictEqual(res.status, 503);
  strictEqual((await res.json()).stopping, true);
});

Deno.test("/livez is 200 whatever the worker's health: liveness never depends on SQS", async () => {
  for (const health of [{}, { ok: false, consecutiveReceiveErrors: 5 }, { ok: false, stopping: true }]) {
    const res = handleRequest(new Request("http://x/livez"), sources(health));
    strictEqual(res.status, 200);
    deepStrictEqual(await res.json(), { alive: true });
  }
  // The same receive errors make /healthz (readiness) fail.
  strictEqual(handleRequest(new Request("http://x/healthz"), sources({ ok: false })).status, 503);
});

Deno.test("unknown paths and methods are refused", () => {
  strictEqual(handleRequest(new Request("http://x/"), sources()).status, 404);
  strictEqual(handleRequest(new Request("http://x/metrics", { method: "POST" }), sources()).status, 405);
});
