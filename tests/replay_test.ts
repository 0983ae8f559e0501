/**
 * `log-processor replay` against moto through the proxy: lists the central
 * bucket under a tenant prefix, runs each object through the pipeline into
 * the customer's account, prints manual mode's result lines.
 */
import assert from "node:assert/strict";
import {
  awsTest,
  cloudWatchItem,
  encodeObject,
  type LocalAws,
  newCustomer,
  objectKey,
  processorEnv,
  putObject,
  putTenantItem,
  readLogGroup,
  registerCluster,
  runProcessor,
  vectorRecord,
} from "./support/fixtures.ts";

function replay(aws: LocalAws, ...args: string[]) {
  return runProcessor(["replay", ...args], processorEnv(aws));
}

async function putEvents(aws: LocalAws, key: string, ...messages: string[]) {
  await putObject(aws, key, encodeObject(messages.map((m) => vectorRecord(m))));
}

awsTest("replay delivers a tenant's objects under a prefix and prints manual mode's result lines", async (aws) => {
  const c = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(c));
  await registerCluster(aws, [c], { clusterId: "prod-1" });
  await registerCluster(aws, [c], { clusterId: "prod-2" });
  const api = [1, 2, 3].map(() => objectKey(c.tenantId, "api", "api-7f9", "prod-1"));
  for (const [i, key] of api.entries()) await putEvents(aws, key, `api ${i} a`, `api ${i} b`);
  const web = objectKey(c.tenantId, "web", "web-1", "prod-2");
  await putEvents(aws, web, "web 0");
  // Not this tenant's (shares its name as a prefix), and not a .gz object: neither is replayed.
  await putEvents(aws, objectKey(`${c.tenantId}x`, "api", "api-7f9", "prod-1"), "other tenant");
  await putObject(aws, `${c.tenantId}/prod-1/api/api-7f9/notes.txt`, new TextEncoder().encode("{}\n"));

  const dry = await replay(aws, "--prefix", c.tenantId, "--dry-run");
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(dry.results.map((r) => [r.key, r.action, r.deliveries]), [
    ...[...api].sort().map((k) => [k, "deliver", [`cloudwatch:${c.logGroup}`]]),
    [web, "deliver", [`cloudwatch:${c.logGroup}`]],
  ]);
  assert.equal(aws.proxy.count("GetObject"), 0);
  assert.equal(aws.proxy.count("PutLogEvents"), 0);

  const one = await replay(aws, "--prefix", `${c.tenantId}/prod-2`);
  assert.equal(one.code, 0, one.stderr);
  assert.deepEqual(one.results.map((r) => [r.key, r.outcome, r.events_read]), [[web, "delivered", 1]]);

  const all = await replay(aws, "--prefix", c.tenantId);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(all.results.map((r) => [r.key, r.tenant, r.outcome]), [
    ...[...api].sort().map((k) => [k, c.tenantId, "delivered"]),
    [web, c.tenantId, "delivered"],
  ]);
  const first = all.results[0] as { deliveries: { delivery_id: string; events_delivered: number }[] };
  assert.deepEqual(first.deliveries.map((d) => [d.delivery_id, d.events_delivered]), [["cloudwatch", 2]]);
  const finished = all.stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l))
    .find((l) => l.msg === "replay finished");
  assert.deepEqual(
    [finished.listed, finished.done, finished.delivered, finished.failed, finished.listing_complete],
    [4, 4, 4, 0, true],
  );

  const groups = await readLogGroup(aws, c.account, c.logGroup);
  assert.deepEqual([...groups.keys()].sort(), ["prod-1/api/api-7f9", "prod-2/web/web-1"]);
  assert.deepEqual(groups.get("prod-1/api/api-7f9")!.map((e) => e.message).sort(), [
    "api 0 a",
    "api 0 b",
    "api 1 a",
    "api 1 b",
    "api 2 a",
    "api 2 b",
  ]);
  // Replayed twice (at least once, like a redelivered message).
  assert.deepEqual(groups.get("prod-2/web/web-1")!.map((e) => e.message), ["web 0", "web 0"]);
});

awsTest("replay --since/--until select by LastModified; failures set the exit status", async (aws) => {
  const c = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(c));
  const denied = newCustomer(aws);
  await registerCluster(aws, [c, denied, "nobody-onboarded"]);
  const old = objectKey(c.tenantId);
  await putEvents(aws, old, "before");
  // LastModified has one-second resolution: start the window at the next whole second.
  const boundary = Math.ceil((Date.now() + 1) / 1000) * 1000;
  await new Promise((r) => setTimeout(r, boundary - Date.now() + 50));
  const fresh = objectKey(c.tenantId);
  await putEvents(aws, fresh, "after");
  const since = new Date(boundary).toISOString();

  const after = await replay(aws, "--prefix", c.tenantId, "--since", since);
  assert.equal(after.code, 0, after.stderr);
  assert.deepEqual(after.results.map((r) => [r.key, r.outcome]), [[fresh, "delivered"]]);
  const before = await replay(aws, "--prefix", c.tenantId, "--until", since, "--dry-run");
  assert.deepEqual(before.results.map((r) => r.key), [old]);

  // A tenant whose customer role refuses the ExternalId: permanent, exit status 1.
  await putTenantItem(aws, cloudWatchItem(denied, { external_id: "not-the-right-one" }));
  const key = objectKey(denied.tenantId);
  await putEvents(aws, key, "x");
  const failed = await replay(aws, "--prefix", denied.tenantId);
  assert.equal(failed.code, 1);
  assert.deepEqual(failed.results.map((r) => [r.key, r.outcome, r.code]), [[key, "permanent", "AccessDenied"]]);

  // An unknown tenant's objects are skipped (exit 0), as in manual mode.
  const unknown = objectKey("nobody-onboarded");
  await putEvents(aws, unknown, "x");
  const skipped = await replay(aws, "--prefix", "nobody-onboarded");
  assert.equal(skipped.code, 0);
  assert.deepEqual(skipped.results.map((r) => [r.outcome, r.reason]), [[
    "skipped",
    'unknown tenant "nobody-onboarded"',
  ]]);
  // The cluster registry applies to replays too (the writer's role cannot: a listing does not name it).
  const rogue = objectKey(c.tenantId, "api", "api-7f9", "rogue-1");
  await putEvents(aws, rogue, "from a cluster nobody registered");
  const refusedDry = await replay(aws, "--prefix", `${c.tenantId}/rogue-1`, "--dry-run");
  assert.deepEqual(refusedDry.results.map((r) => [r.key, r.action, r.reason]), [[
    rogue,
    "refuse",
    'cluster "rogue-1" is not registered (CLUSTER_TABLE)',
  ]]);
  const refused = await replay(aws, "--prefix", `${c.tenantId}/rogue-1`);
  assert.equal(refused.code, 1);
  assert.deepEqual(refused.results.map((r) => [r.outcome, r.code, r.refused]), [[
    "permanent",
    "WriterNotAllowed",
    "unregistered_cluster",
  ]]);
  const empty = await replay(aws, "--prefix", "no-such-tenant-at-all");
  assert.equal(empty.code, 0);
  assert.match(empty.stderr, /replay: no objects in s3:\/\/.*\/no-such-tenant-at-all\/ match/);
});

awsTest("replay refuses a missing bucket, a bad prefix and a bad time with exit status 2", async (aws) => {
  const env = processorEnv(aws, { CENTRAL_BUCKET: "" });
  const noBucket = await runProcessor(["replay", "--prefix", "acme"], env);
  assert.equal(noBucket.code, 2);
  assert.match(noBucket.stderr, /--bucket is required \(or set CENTRAL_BUCKET\)/);
  const badPrefix = await runProcessor(["replay", "--prefix", "ac me", "--bucket", aws.bucket], env);
  assert.equal(badPrefix.code, 2);
  assert.match(badPrefix.stderr, /customer_id "ac me"/);
  const badTime = await runProcessor(
    ["replay", "--prefix", "acme", "--bucket", aws.bucket, "--since", "soon"],
    env,
  );
  assert.equal(badTime.code, 2);
  assert.match(badTime.stderr, /--since: "soon" is neither/);
  assert.equal(aws.proxy.calls.length, 0);
});
