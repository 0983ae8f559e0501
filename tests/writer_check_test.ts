/**
 * The processor's half of the tenant boundary (DESIGN 1.6) against moto: an
 * object is delivered only when its cluster is registered, enabled and lists
 * its tenant, and the writer the notification names is that cluster's role.
 * Refusals are permanent `WriterNotAllowed`, counted, and deliver nothing;
 * the other objects of the same message are unaffected; the registry costs
 * no call per object once cached, a flood of unknown clusters included; and
 * through the SQS worker a refused object ends in the DLQ.
 */
import assert from "node:assert/strict";
import {
  cloudWatchItem,
  type Customer,
  encodeObject,
  eventBridgeBody,
  newCustomer,
  objectKey,
  processorEnv,
  putObject,
  putTenantItem,
  randomRoleId,
  readLogGroup,
  registerCluster,
  runProcessor,
  s3Record,
  snsBodyOf,
  startLocalAws,
  uniq,
  vectorRecord,
} from "./support/fixtures.ts";
import { testPipeline } from "./support/pipeline.ts";
import { eventually, queueCounts, startQueueChain } from "./support/queue_chain.ts";
import { numberedLines, putLines, queueEmpty, startWorker, terminate } from "./support/worker_fixtures.ts";
import { METRICS, Metrics } from "../src/telemetry/metrics.ts";

const aws = await startLocalAws();
const integration = { sanitizeOps: false, sanitizeResources: false };

async function objectOf(customer: Customer | string, cluster: string, message: string): Promise<string> {
  const key = objectKey(typeof customer === "string" ? customer : customer.tenantId, "api", "api-7f9", cluster);
  await putObject(aws, key, encodeObject([vectorRecord(message)]));
  return key;
}

const messagesIn = async (c: Customer) =>
  [...(await readLogGroup(aws, c.account, c.logGroup)).values()].flat().map((e) => e.message).sort();

Deno.test({
  name: "one message, six writers: only the cluster's own role writing its own tenant is delivered",
  ...integration,
  fn: async () => {
    const acme = newCustomer(aws);
    const victim = newCustomer(aws);
    for (const c of [acme, victim]) await putTenantItem(aws, cloudWatchItem(c));
    const a = await registerCluster(aws, [acme], { clusterId: uniq("a") });
    const b = await registerCluster(aws, [victim], { clusterId: uniq("b") });
    const off = await registerCluster(aws, [acme], { clusterId: uniq("off"), item: { enabled: false } });
    const keys = {
      own: await objectOf(acme, a.clusterId, "acme from A, A's role"),
      ownNoIdentity: await objectOf(acme, a.clusterId, "acme from A, no identity"),
      otherTenant: await objectOf(victim, a.clusterId, "victim from A"),
      otherCluster: await objectOf(victim, b.clusterId, "victim from B, but A's role"),
      disabled: await objectOf(acme, off.clusterId, "acme from a disabled cluster"),
      unregistered: await objectOf(acme, "nobody-registered", "acme from an unknown cluster"),
    };
    const body = snsBodyOf([
      s3Record(aws.bucket, keys.own, { principalId: a.principalId }),
      s3Record(aws.bucket, keys.ownNoIdentity),
      s3Record(aws.bucket, keys.otherTenant, { principalId: a.principalId }),
      s3Record(aws.bucket, keys.otherCluster, { principalId: a.principalId }),
      s3Record(aws.bucket, keys.disabled, { principalId: off.principalId }),
      s3Record(aws.bucket, keys.unregistered, { principalId: a.principalId }),
    ]);
    const { pipeline, logs } = testPipeline(aws);
    try {
      const message = await pipeline.processBody(body);
      assert.equal(message.outcome, "permanent");
      assert.deepEqual(message.objects.map((o) => [o.outcome, o.code, o.refused]), [
        ["delivered", undefined, undefined],
        ["delivered", undefined, undefined],
        ["permanent", "WriterNotAllowed", "tenant_not_on_cluster"],
        ["permanent", "WriterNotAllowed", "writer_mismatch"],
        ["permanent", "WriterNotAllowed", "cluster_disabled"],
        ["permanent", "WriterNotAllowed", "unregistered_cluster"],
      ]);
      assert.equal(
        message.objects[3]!.reason,
        `Cannot deliver ${JSON.stringify(keys.otherCluster)} to tenant "${victim.tenantId}": written by role ` +
          `${a.writerRoleId} (session "vector-agent"), not by cluster "${b.clusterId}"'s writer role ${b.writerRoleId}`,
      );
      assert.equal(
        message.objects[2]!.reason,
        `Cannot deliver ${JSON.stringify(keys.otherTenant)} to tenant "${victim.tenantId}": cluster ` +
          `"${a.clusterId}" is not registered for tenant "${victim.tenantId}" (it serves ${acme.tenantId})`,
      );
      // Nothing reached the victim's account; acme got exactly its two objects.
      assert.deepEqual(await messagesIn(victim), []);
      assert.deepEqual(await messagesIn(acme), ["acme from A, A's role", "acme from A, no identity"]);
      // Refused objects are never read, and each refusal is one security log line naming cluster, tenant and writer.
      assert.equal(
        aws.proxy.count("GetObject", (c) => Object.values(keys).slice(2).some((k) => c.path.endsWith(k))),
        0,
      );
      const refusals = logs.filter((l) => String(l.msg).startsWith("write refused"));
      assert.deepEqual(refusals.map((l) => [l.cluster, l.tenant, l.refused, l.principal_id]), [
        [a.clusterId, victim.tenantId, "tenant_not_on_cluster", a.principalId],
        [b.clusterId, victim.tenantId, "writer_mismatch", a.principalId],
        [off.clusterId, acme.tenantId, "cluster_disabled", off.principalId],
        ["nobody-registered", acme.tenantId, "unregistered_cluster", a.principalId],
      ]);
      const metrics = new Metrics();
      metrics.recordMessage(message);
      for (const reason of ["tenant_not_on_cluster", "writer_mismatch", "cluster_disabled", "unregistered_cluster"]) {
        assert.equal(metrics.value(METRICS.refusedWrites, { reason }), 1, reason);
      }
    } finally {
      pipeline.close();
    }
  },
});

Deno.test({
  name: "an invalid registry item refuses its cluster with a reason naming the problem",
  ...integration,
  fn: async () => {
    const c = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(c));
    const bad = await registerCluster(aws, [c], { clusterId: uniq("bad"), item: { writer_role_id: "AIDAUSER0001" } });
    const key = await objectOf(c, bad.clusterId, "x");
    const { pipeline } = testPipeline(aws);
    try {
      const [result] = (await pipeline.processBody(snsBodyOf([s3Record(aws.bucket, key)]))).objects;
      assert.deepEqual([result!.outcome, result!.refused], ["permanent", "invalid_cluster"]);
      assert.match(
        result!.reason!,
        /has an invalid registry item \(writer_role_id "AIDAUSER0001" is not an IAM role id/,
      );
    } finally {
      pipeline.close();
    }
  },
});

Deno.test({
  name: "the registry costs one GetItem per cluster and TTL, none per object, a flood of unknown clusters included",
  ...integration,
  fn: async () => {
    const c = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(c));
    const clusters = [await registerCluster(aws, [c], { clusterId: uniq("x") })];
    clusters.push(await registerCluster(aws, [c], { clusterId: uniq("y") }));
    const unknown = [uniq("evil"), uniq("evil"), uniq("evil")];
    const records = [];
    for (let i = 0; i < 20; i++) {
      const cluster = clusters[i % 2]!;
      records.push(
        s3Record(aws.bucket, await objectOf(c, cluster.clusterId, `ok ${i}`), { principalId: cluster.principalId }),
      );
    }
    for (let i = 0; i < 30; i++) records.push(s3Record(aws.bucket, await objectOf(c, unknown[i % 3]!, `evil ${i}`)));
    const { pipeline } = testPipeline(aws);
    const registryReads = () => aws.proxy.count("GetItem", (call) => call.body.includes(aws.clusterTable));
    try {
      const before = registryReads();
      const first = await pipeline.processBody(snsBodyOf(records));
      assert.equal(first.objects.filter((o) => o.outcome === "delivered").length, 20);
      assert.equal(first.objects.filter((o) => o.refused === "unregistered_cluster").length, 30);
      assert.equal(registryReads() - before, 5, "2 registered + 3 unknown clusters, each read once");
      // The steady state: the same clusters again cost no registry call at all.
      const steady = registryReads();
      const again = await pipeline.processBody(snsBodyOf(records));
      assert.equal(again.objects.length, 50);
      assert.equal(registryReads() - steady, 0);
    } finally {
      pipeline.close();
    }
  },
});

Deno.test({
  name: "EventBridge names the writer's account only: it must be the cluster's role's account",
  ...integration,
  fn: async () => {
    const c = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(c));
    const cluster = await registerCluster(aws, [c], { clusterId: uniq("eb") });
    const key = await objectOf(c, cluster.clusterId, "via eventbridge");
    const withRequester = (requester: string) => {
      const event = JSON.parse(eventBridgeBody(aws.bucket, key));
      event.detail.requester = requester;
      return JSON.stringify(event);
    };
    const { pipeline } = testPipeline(aws, { REQUIRE_WRITER_IDENTITY: "true" });
    try {
      const [other] = (await pipeline.processBody(withRequester("210987654321"))).objects;
      assert.deepEqual([other!.outcome, other!.refused], ["permanent", "requester_mismatch"]);
      const [none] = (await pipeline.processBody(eventBridgeBody(aws.bucket, key))).objects;
      assert.deepEqual([none!.outcome, none!.refused], ["permanent", "writer_unknown"]);
      const [own] = (await pipeline.processBody(withRequester("123456789012"))).objects;
      assert.equal(own!.outcome, "delivered");
    } finally {
      pipeline.close();
    }
  },
});

Deno.test({
  name: "manual mode with REQUIRE_WRITER_IDENTITY: a notification naming no writer is refused, exit status 1",
  ...integration,
  fn: async () => {
    const c = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(c));
    const cluster = await registerCluster(aws, [c], { clusterId: uniq("strict") });
    const named = await objectOf(c, cluster.clusterId, "named");
    const anonymous = await objectOf(c, cluster.clusterId, "anonymous");
    const body = snsBodyOf([
      s3Record(aws.bucket, named, { principalId: cluster.principalId }),
      s3Record(aws.bucket, anonymous),
      s3Record(aws.bucket, named, { principalId: `AWS:${randomRoleId()}:vector-agent` }),
    ]);
    const run = await runProcessor(["--mode", "manual"], processorEnv(aws, { REQUIRE_WRITER_IDENTITY: "true" }), body);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(run.results.map((r) => [r.outcome, r.refused]), [
      ["delivered", undefined],
      ["permanent", "writer_unknown"],
      ["permanent", "writer_mismatch"],
    ]);
    assert.deepEqual(await messagesIn(c), ["named"]);
  },
});

Deno.test({
  name:
    "SQS worker end to end: a write for a tenant the cluster does not serve ends in the DLQ, the victim gets nothing",
  ...integration,
  fn: async () => {
    const acme = newCustomer(aws);
    const victim = newCustomer(aws);
    for (const c of [acme, victim]) await putTenantItem(aws, cloudWatchItem(c));
    // prod-1 (the cluster putLines writes under) serves acme only; the victim is onboarded but not on it.
    await registerCluster(aws, [acme]);
    const chain = await startQueueChain(aws, { maxReceiveCount: 1 });
    const worker = startWorker(aws, chain);
    try {
      const lines = numberedLines(15, "acme");
      await putLines(aws, acme.tenantId, lines);
      const forged = await putLines(aws, victim.tenantId, ["written into the victim's prefix by prod-1"]);
      await eventually("the queue to drain", () => queueEmpty(chain));
      await eventually("the refused object in the DLQ", async () => {
        const dlq = await queueCounts(chain, chain.dlqUrl);
        return dlq.visible === 1 ? true : undefined;
      });
      assert.deepEqual((await messagesIn(acme)).length, lines.length);
      assert.deepEqual(await messagesIn(victim), []);
      const refused = worker.logs.filter((l) => l.msg === "object not delivered (permanent)");
      assert.ok(refused.length >= 1);
      assert.deepEqual(
        [...new Set(refused.map((l) => `${l.key} ${l.code} ${l.refused}`))],
        [`${forged} WriterNotAllowed tenant_not_on_cluster`],
      );
      assert.equal(await terminate(worker), 0);
    } finally {
      worker.kill("SIGKILL");
      await worker.exited;
      chain.close();
    }
  },
});

Deno.test({ name: "close local AWS (writer check)", ...integration, fn: () => aws.close() });
