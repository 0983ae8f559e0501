/**
 * Tenant isolation and failure handling against moto: each tenant's events
 * land only in its own account; unknown, disabled and invalid configuration;
 * AccessDenied and throttling; caches that make a burst cheap.
 */
import assert from "node:assert/strict";
import {
  cloudWatchItem,
  type Customer,
  encodeObject,
  newCustomer,
  objectKey,
  putObject,
  putTenantItem,
  readLogGroup,
  registerCluster,
  snsBody,
  startLocalAws,
  vectorRecord,
} from "./support/fixtures.ts";
import { testPipeline } from "./support/pipeline.ts";

const aws = await startLocalAws();
const integration = { sanitizeOps: false, sanitizeResources: false };

async function objectFor(customer: Customer, message: string, app = "api", pod = "api-7f9"): Promise<string> {
  const key = objectKey(customer.tenantId, app, pod);
  await putObject(aws, key, encodeObject([vectorRecord(message)]));
  return key;
}

Deno.test({
  name: "two tenants in different accounts: each one's events land only in its own account",
  ...integration,
  fn: async () => {
    const a = newCustomer(aws);
    const b: Customer = { ...newCustomer(aws), logGroup: a.logGroup }; // same group name, another account
    await putTenantItem(aws, cloudWatchItem(a));
    await putTenantItem(aws, cloudWatchItem(b));
    await registerCluster(aws, [a, b]);
    const ka = await objectFor(a, "for tenant a");
    const kb = await objectFor(b, "for tenant b");
    const results = await testPipeline(aws).run(snsBody(aws.bucket, ka, kb));
    assert.deepEqual(results.map((r) => [r.tenant, r.outcome]), [[a.tenantId, "delivered"], [b.tenantId, "delivered"]]);
    const inA = [...(await readLogGroup(aws, a.account, a.logGroup)).values()].flat().map((e) => e.message);
    const inB = [...(await readLogGroup(aws, b.account, b.logGroup)).values()].flat().map((e) => e.message);
    assert.deepEqual(inA, ["for tenant a"]);
    assert.deepEqual(inB, ["for tenant b"]);
  },
});

Deno.test({
  name: "unknown tenant, disabled delivery and an application outside the allow-list are skipped with a reason",
  ...integration,
  fn: async () => {
    const unknown = newCustomer(aws);
    const disabled = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(disabled, { enabled: false }));
    const listed = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(listed, { applications: ["billing"] }));
    await registerCluster(aws, [unknown, disabled, listed]);
    const keys = [
      await objectFor(unknown, "nobody"),
      await objectFor(disabled, "off"),
      await objectFor(listed, "not listed", "api"),
      await objectFor(listed, "listed", "billing", "billing-1"),
    ];
    const results = await testPipeline(aws).run(snsBody(aws.bucket, ...keys));
    assert.deepEqual(results.map((r) => r.outcome), ["skipped", "skipped", "skipped", "delivered"]);
    assert.match(results[0]!.reason!, /unknown tenant/);
    assert.match(results[1]!.reason!, /no enabled delivery/);
    assert.match(results[2]!.reason!, /application "api" is not allowed/);
    const streams = await readLogGroup(aws, listed.account, listed.logGroup);
    assert.deepEqual([...streams.keys()], ["prod-1/billing/billing-1"]);
  },
});

Deno.test({
  name: "an invalid item disables only that delivery; a tenant with only invalid items is a permanent config error",
  ...integration,
  fn: async () => {
    const mixed = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(mixed));
    await putTenantItem(aws, {
      ...cloudWatchItem(mixed),
      delivery_id: "broken",
      role_arn: "arn:aws:iam::bad",
      log_group_name: "",
    });
    const onlyBad = newCustomer(aws);
    await putTenantItem(aws, { ...cloudWatchItem(onlyBad), type: "kinesis" });
    await registerCluster(aws, [mixed, onlyBad]);
    const keys = [await objectFor(mixed, "still delivered"), await objectFor(onlyBad, "nowhere")];
    const t = testPipeline(aws);
    const [ok, bad] = await t.run(snsBody(aws.bucket, ...keys));
    assert.equal(ok!.outcome, "delivered");
    assert.equal(ok!.deliveries.length, 1);
    assert.equal(ok!.invalid_deliveries?.[0]?.delivery_id, "broken");
    assert.ok(ok!.invalid_deliveries?.[0].problems.some((p) => p.includes("role_arn")));
    assert.equal(bad!.outcome, "permanent");
    assert.equal(bad!.code, "InvalidConfig");
    assert.match(bad!.reason!, /type "kinesis" must be one of cloudwatch, s3/);
    assert.ok(t.logs.some((l) => l.msg === "tenant has invalid delivery items; they are disabled"));
  },
});

Deno.test({
  name: "AccessDenied on one customer role is permanent for that tenant only; a wrong ExternalId is denied",
  ...integration,
  fn: async () => {
    const denied = newCustomer(aws);
    const wrongId = newCustomer(aws);
    const fine = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(denied));
    await putTenantItem(aws, cloudWatchItem(wrongId, { external_id: "not-the-agreed-id" }));
    await putTenantItem(aws, cloudWatchItem(fine));
    await registerCluster(aws, [denied, wrongId, fine]);
    aws.proxy.reset();
    aws.proxy.inject({
      operation: "AssumeRole",
      status: 403,
      code: "AccessDenied",
      match: (c) => c.params?.get("RoleArn") === denied.roleArn,
    });
    const keys = [await objectFor(denied, "a"), await objectFor(wrongId, "b"), await objectFor(fine, "c")];
    const results = await testPipeline(aws).run(snsBody(aws.bucket, ...keys));
    assert.deepEqual(results.map((r) => r.outcome), ["permanent", "permanent", "delivered"]);
    assert.equal(results[0]!.code, "AccessDenied");
    assert.match(results[0]!.reason!, new RegExp(`Cannot assume role ${denied.roleArn}`));
    assert.equal(results[1]!.code, "AccessDenied");
    assert.equal(aws.proxy.count("AssumeRole", (c) => c.params?.get("RoleArn") === denied.roleArn), 1, "not retried");
    assert.deepEqual(
      [...(await readLogGroup(aws, fine.account, fine.logGroup)).values()].flat().map((e) => e.message),
      ["c"],
    );
    assert.equal((await readLogGroup(aws, denied.account, denied.logGroup)).size, 0);
  },
});

Deno.test({
  name: "throttling is retried with backoff and then delivered; persistent 5xx ends retryable after RETRY_ATTEMPTS",
  ...integration,
  fn: async () => {
    const customer = newCustomer(aws);
    await registerCluster(aws, [customer]);
    await putTenantItem(aws, cloudWatchItem(customer));
    const first = await objectFor(customer, "warm up");
    const t = testPipeline(aws, { RETRY_ATTEMPTS: "3" });
    assert.equal((await t.run(snsBody(aws.bucket, first)))[0]!.outcome, "delivered");

    aws.proxy.reset();
    aws.proxy.inject({ operation: "PutLogEvents", status: 400, code: "ThrottlingException", times: 2 });
    const throttled = await objectFor(customer, "after throttling");
    const [ok] = await t.run(snsBody(aws.bucket, throttled));
    assert.equal(ok!.outcome, "delivered");
    assert.equal(aws.proxy.count("PutLogEvents"), 3);
    assert.equal(ok!.deliveries[0]!.api_calls.PutLogEvents, 3);
    assert.ok(t.logs.some((l) => l.msg === "retrying PutLogEvents" && l.code === "ThrottlingException"));

    aws.proxy.reset();
    aws.proxy.inject({ operation: "PutLogEvents", status: 503, code: "ServiceUnavailableException" });
    const [failed] = await t.run(snsBody(aws.bucket, await objectFor(customer, "outage")));
    assert.equal(failed!.outcome, "retryable");
    assert.equal(failed!.code, "ServiceUnavailableException");
    assert.equal(aws.proxy.count("PutLogEvents"), 4, "first attempt + RETRY_ATTEMPTS retries");
    assert.match(failed!.reason!, /after 4 attempts/);
  },
});

Deno.test({
  name:
    "a burst for one tenant costs one tenant lookup and one AssumeRole per role; steady state is GetObject + PutLogEvents",
  ...integration,
  fn: async () => {
    const customer = newCustomer(aws);
    await registerCluster(aws, [customer]);
    await putTenantItem(aws, cloudWatchItem(customer));
    const keys = await Promise.all(
      Array.from({ length: 10 }, (_, i) => objectFor(customer, `burst ${i}`, "api", "api-burst")),
    );
    aws.proxy.reset();
    const t = testPipeline(aws);
    const results = await Promise.all(keys.map((k) => t.run(snsBody(aws.bucket, k))));
    assert.ok(results.flat().every((r) => r.outcome === "delivered"));
    const counts = aws.proxy.counts();
    assert.equal(counts.Query, 1);
    assert.equal(counts.AssumeRole, 2, "central role once, customer role once");
    assert.equal(counts.GetObject, 10);

    aws.proxy.reset();
    await t.run(snsBody(aws.bucket, await objectFor(customer, "steady", "api", "api-burst")));
    assert.deepEqual(aws.proxy.counts(), { GetObject: 1, PutLogEvents: 1 });
  },
});

Deno.test({
  name: "an ExpiredToken answer drops the cached customer session, so the next attempt assumes the role again",
  ...integration,
  fn: async () => {
    const customer = newCustomer(aws);
    await registerCluster(aws, [customer]);
    await putTenantItem(aws, cloudWatchItem(customer));
    const t = testPipeline(aws);
    assert.equal((await t.run(snsBody(aws.bucket, await objectFor(customer, "warm"))))[0]!.outcome, "delivered");
    aws.proxy.reset();
    aws.proxy.inject({ operation: "PutLogEvents", status: 400, code: "ExpiredTokenException", times: 1 });
    const [expired] = await t.run(snsBody(aws.bucket, await objectFor(customer, "expired once")));
    assert.equal(expired!.outcome, "delivered", expired!.reason);
    const [next] = await t.run(snsBody(aws.bucket, await objectFor(customer, "fresh session")));
    assert.equal(next!.outcome, "delivered");
    assert.equal(aws.proxy.count("AssumeRole", (c) => c.params?.get("RoleArn") === customer.roleArn), 1);
  },
});

Deno.test({
  name: "two CloudWatch deliveries of one tenant in different regions each get the events, in their own region",
  ...integration,
  fn: async () => {
    const customer = newCustomer(aws);
    await registerCluster(aws, [customer]);
    await putTenantItem(aws, cloudWatchItem(customer));
    await putTenantItem(aws, cloudWatchItem(customer, { delivery_id: "eu-copy", region: "eu-west-1" }));
    const [result] = await testPipeline(aws).run(snsBody(aws.bucket, await objectFor(customer, "both regions")));
    assert.equal(result!.outcome, "delivered");
    assert.deepEqual(result!.deliveries.map((d) => [d.delivery_id, d.outcome]).sort(), [
      ["cloudwatch", "delivered"],
      ["eu-copy", "delivered"],
    ]);
    const inRegion = async (region: string) =>
      [...(await readLogGroup(aws, customer.account, customer.logGroup, region)).values()].flat().map((e) => e.message);
    assert.deepEqual(await inRegion("us-east-1"), ["both regions"]);
    assert.deepEqual(await inRegion("eu-west-1"), ["both regions"]);
    assert.deepEqual(await inRegion("ap-southeast-2"), []);
    assert.equal(aws.proxy.count("GetObject", (c) => c.path.includes(customer.tenantId)), 1, "read once");
  },
});

Deno.test({ name: "close local AWS (tenancy)", ...integration, fn: () => aws.close() });
