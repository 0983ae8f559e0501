import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { retryable } from "../errors.ts";
import { cloudWatchDelivery } from "../../tests/support/fakes.ts";
import { FakeWorld } from "../../tests/support/pipeline_fakes.ts";
import { METRICS, Metrics } from "../telemetry/metrics.ts";
import type { Cluster } from "../tenant/cluster.ts";
import { processObject } from "./process_object.ts";

const BUCKET = "central-logs";
const KEY = "acme/prod-1/api/api-7f9/20260101-120000-x.json.gz";
const ROLE_ID = "AROAEXAMPLEWRITER0001";
const CLUSTER: Cluster = {
  clusterId: "prod-1",
  tenants: ["acme"],
  writerRoleArn: "arn:aws:iam::123456789012:role/log-writer-prod-1",
  writerRoleId: ROLE_ID,
  enabled: true,
};

function world(cluster: Partial<Cluster> = {}): FakeWorld {
  const w = new FakeWorld();
  w.tenants.set("acme", { tenantId: "acme", deliveries: [cloudWatchDelivery()], invalid: [] });
  w.putObject(BUCKET, KEY, { chunks: ['{"message":"hello"}\n'] });
  w.clusters.set("prod-1", { kind: "registered", cluster: { ...CLUSTER, ...cluster } });
  return w;
}

Deno.test("the cluster's own role writing its tenant's prefix: delivered", async () => {
  const w = world();
  const result = await processObject({ bucket: BUCKET, key: KEY, principalId: `AWS:${ROLE_ID}:vector` }, w.deps());
  equal(result.outcome, "delivered");
  equal(result.refused, undefined);
  deepEqual(w.clusterLookups, ["prod-1"]);
});

Deno.test("a refused write is permanent WriterNotAllowed: the object is never read and no tenant is looked up", async () => {
  const cases: [FakeWorld, string, string][] = [
    [world({ tenants: ["globex"] }), "tenant_not_on_cluster", 'cluster "prod-1" is not registered for tenant "acme"'],
    [world({ enabled: false }), "cluster_disabled", 'cluster "prod-1" is disabled'],
    [world({ writerRoleId: "AROAEXAMPLEWRITER0002" }), "writer_mismatch", `written by role ${ROLE_ID}`],
  ];
  const unregistered = world();
  unregistered.clusters.set("prod-1", { kind: "unregistered", clusterId: "prod-1" });
  cases.push([unregistered, "unregistered_cluster", 'cluster "prod-1" is not registered']);
  for (const [w, refused, message] of cases) {
    const result = await processObject({ bucket: BUCKET, key: KEY, principalId: `AWS:${ROLE_ID}:vector` }, w.deps());
    deepEqual(
      { outcome: result.outcome, code: result.code, refused: result.refused, tenant: result.tenant },
      { outcome: "permanent", code: "WriterNotAllowed", refused, tenant: "acme" },
    );
    equal(result.reason?.startsWith(`Cannot deliver "${KEY}" to tenant "acme": ${message}`), true, result.reason);
    deepEqual([w.opened, w.tenantLookups, w.sinks.length], [[], [], 0]);
  }
});

Deno.test("without a writer identity the registry decides, unless REQUIRE_WRITER_IDENTITY is on", async () => {
  const w = world();
  equal((await processObject({ bucket: BUCKET, key: KEY }, w.deps())).outcome, "delivered");
  const strict = await processObject({ bucket: BUCKET, key: KEY }, { ...w.deps(), requireWriterIdentity: true });
  deepEqual([strict.outcome, strict.refused], ["permanent", "writer_unknown"]);
  // EventBridge names the writer's account only: that is what is checked.
  const fromAccount = await processObject({ bucket: BUCKET, key: KEY, requester: "123456789012" }, {
    ...w.deps(),
    requireWriterIdentity: true,
  });
  equal(fromAccount.outcome, "delivered");
  const otherAccount = await processObject({ bucket: BUCKET, key: KEY, requester: "210987654321" }, w.deps());
  deepEqual([otherAccount.outcome, otherAccount.refused], ["permanent", "requester_mismatch"]);
});

Deno.test("a registry that cannot be read makes the object retryable, with the table named", async () => {
  const w = world();
  const deps = w.deps();
  const result = await processObject({ bucket: BUCKET, key: KEY }, {
    ...deps,
    clusters: { get: () => Promise.reject(retryable("Throttling", 'Cannot read cluster "prod-1" from table t')) },
  });
  deepEqual([result.outcome, result.code, result.refused], ["retryable", "Throttling", undefined]);
  equal(w.opened.length, 0);
});

Deno.test("refusals are counted by reason, as failures of code WriterNotAllowed", async () => {
  const metrics = new Metrics();
  const w = world({ tenants: ["globex"] });
  metrics.recordObject(await processObject({ bucket: BUCKET, key: KEY }, w.deps()));
  metrics.recordObject(await processObject({ bucket: BUCKET, key: KEY }, w.deps()));
  equal(metrics.value(METRICS.refusedWrites, { reason: "tenant_not_on_cluster" }), 2);
  equal(metrics.value(METRICS.failures, { class: "permanent", code: "WriterNotAllowed" }), 2);
});
