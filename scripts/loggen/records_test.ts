// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { parseRecord, ROUTING_FIELDS } from "../../src/ingest/parse_record.ts";
import { isValidSegment } from "../../src/notification/parse_key.ts";
import { Random } from "./random.ts";
import { collectedRecord, makePod, routedRecord } from "./records.ts";

const pod = makePod({ customerId: "acme", clusterId: "prod-1", application: "api" }, new Random(1));
const AT = new Date("2026-03-04T05:06:07.089Z");

Deno.test("pods get Kubernetes-like names that are valid key segments", () => {
  assert.match(pod.podName, /^api-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.ok(isValidSegment(pod.podName));
  assert.equal(pod.environment, "production");
  const named = makePod({ customerId: "a", clusterId: "dev", application: "x", podName: "x-1" }, new Random(1));
  assert.equal(named.podName, "x-1");
  assert.equal(named.environment, "development");
});

Deno.test("a collected record carries the pod's tenant annotations and no routing fields", () => {
  const r = collectedRecord(pod, "hello", { time: AT }) as Record<string, any>;
  assert.deepEqual(r.kubernetes.pod_annotations, {
    application: "api",
    "cluster-id": "prod-1",
    "customer-id": "acme",
    environment: "production",
  });
  for (const f of ROUTING_FIELDS) assert.equal(f in r, false, f);
  assert.equal(r.kubernetes.pod_name, pod.podName);
  assert.equal(r.source_type, "kubernetes_logs");
});

Deno.test("a routed record has the routing fields, no annotations, and keys in Vector's order", () => {
  const r = routedRecord(pod, "hello", { time: AT, stream: "stderr" }) as Record<string, any>;
  assert.deepEqual(
    ROUTING_FIELDS.map((f) => r[f]),
    ["acme", "prod-1", "api", pod.podName, "production"],
  );
  assert.equal("pod_annotations" in r.kubernetes, false);
  assert.deepEqual(Object.keys(r), Object.keys(r).sort());
  assert.deepEqual(Object.keys(r.kubernetes), Object.keys(r.kubernetes).sort());
  assert.equal(r.stream, "stderr");
});

Deno.test("the processor reads a routed record as its message and timestamp", () => {
  const line = JSON.stringify(routedRecord(pod, "GET /api 200", { time: AT }));
  assert.deepEqual(parseRecord(line, 0), { timestamp: AT.getTime(), message: "GET /api 200" });
});
