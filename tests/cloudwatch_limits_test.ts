/**
 * PutLogEvents limits that moto does not enforce, checked by the recording
 * proxy on every real request: counts, bytes, 24 h span, order, time window,
 * per-event size.
 */
import assert from "node:assert/strict";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  asAccount,
  cloudWatchItem,
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
const HOUR = 3_600_000;

async function tenantWith(extra: Record<string, unknown> = {}) {
  const customer = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(customer, extra));
  await registerCluster(aws, [customer]);
  return customer;
}

function puts() {
  return aws.proxy.acceptedPuts();
}

Deno.test({
  name: "25 000 events in one object go out in several batches, each within the limits, none lost",
  ...integration,
  fn: async () => {
    const customer = await tenantWith();
    const now = Date.now();
    const records = Array.from({ length: 25_000 }, (_, i) => vectorRecord(`event ${i}`, now - 60_000 + (i % 1000)));
    const key = objectKey(customer.tenantId);
    await putObject(aws, key, encodeObject(records));
    aws.proxy.reset();
    const [result] = await testPipeline(aws).run(snsBody(aws.bucket, key));
    assert.equal(result!.outcome, "delivered", result!.reason);
    assert.deepEqual(aws.proxy.violations, []);
    const batches = puts();
    assert.equal(batches.length, 3);
    assert.ok(batches.every((b) => b.events.length <= 10_000));
    assert.equal(batches.reduce((n, b) => n + b.events.length, 0), 25_000);
    const stream = (await readLogGroup(aws, customer.account, customer.logGroup)).get("prod-1/api/api-7f9")!;
    assert.equal(stream.length, 25_000);
    assert.deepEqual(new Set(stream.map((e) => e.message)).size, 25_000);
  },
});

Deno.test({
  name: "MAX_BATCH_SIZE and the 1 MiB byte limit (UTF-8 + 26 per event) bound every batch",
  ...integration,
  fn: async () => {
    const customer = await tenantWith();
    const now = Date.now();
    // 2 000 events of ~1 000 UTF-8 bytes (multibyte characters): about 2 MB.
    const records = Array.from({ length: 2_000 }, (_, i) => vectorRecord(`${i} ` + "é".repeat(498), now - i));
    const key = objectKey(customer.tenantId);
    await putObject(aws, key, encodeObject(records));
    aws.proxy.reset();
    const [r1] = await testPipeline(aws).run(snsBody(aws.bucket, key));
    assert.equal(r1!.outcome, "delivered");
    assert.deepEqual(aws.proxy.violations, []);
    const encoder = new TextEncoder();
    for (const b of puts()) {
      const bytes = b.events.reduce((n, e) => n + encoder.encode(e.message).length + 26, 0);
      assert.ok(bytes <= 1_048_576, `batch of ${bytes} bytes`);
      for (let i = 1; i < b.events.length; i++) assert.ok(b.events[i - 1]!.timestamp <= b.events[i]!.timestamp);
    }
    assert.equal(puts().length, Math.ceil(2_000 * (1000 + 26) / 1_048_576));

    aws.proxy.reset();
    const [r2] = await testPipeline(aws, { MAX_BATCH_SIZE: "300" }).run(snsBody(aws.bucket, key));
    assert.equal(r2!.outcome, "delivered");
    assert.equal(puts().length, 7);
    assert.ok(puts().every((b) => b.events.length <= 300));
  },
});

Deno.test({
  name: "events spread over three days are sorted and split so no batch spans more than 24 h",
  ...integration,
  fn: async () => {
    const customer = await tenantWith();
    const now = Date.now();
    const stamps = Array.from({ length: 600 }, (_, i) => now - ((i * 7919) % 600) * 7 * 60_000); // ~70 h, shuffled
    const records = stamps.map((t, i) => vectorRecord(`spread ${i}`, t));
    const key = objectKey(customer.tenantId);
    await putObject(aws, key, encodeObject(records));
    aws.proxy.reset();
    const [result] = await testPipeline(aws).run(snsBody(aws.bucket, key));
    assert.equal(result!.outcome, "delivered");
    assert.equal(result!.deliveries[0]!.events_delivered, 600);
    assert.deepEqual(aws.proxy.violations, []);
    assert.ok(puts().length >= 3);
    for (const b of puts()) assert.ok(b.events.at(-1)!.timestamp - b.events[0]!.timestamp <= 24 * HOUR);
  },
});

Deno.test({
  name: "too old, too new and empty events are counted by reason and not sent; oversized events are truncated",
  ...integration,
  fn: async () => {
    const customer = await tenantWith({ retention_days: 30 });
    const now = Date.now();
    const big = "x".repeat(1_500_000);
    const records = [
      vectorRecord("fresh", now - 1000),
      vectorRecord("fifteen days old", now - 15 * 24 * HOUR),
      vectorRecord("three hours ahead", now + 3 * HOUR),
      vectorRecord("", now),
      vectorRecord(big, now),
    ];
    const key = objectKey(customer.tenantId);
    await putObject(aws, key, encodeObject(records));
    aws.proxy.reset();
    const [result] = await testPipeline(aws).run(snsBody(aws.bucket, key));
    assert.equal(result!.outcome, "delivered");
    const d = result!.deliveries[0];
    assert.deepEqual(d!.rejected, { too_old: 1, too_new: 1, empty_message: 1 });
    assert.equal(d!.truncated, 1);
    assert.equal(d!.events_delivered, 2);
    assert.deepEqual(aws.proxy.violations, []);
    const stream = (await readLogGroup(aws, customer.account, customer.logGroup)).get("prod-1/api/api-7f9")!;
    const truncated = stream.find((e) => e.message.startsWith("xxx"))!;
    assert.match(truncated.message, /…\[truncated by log-processor: 1500000 bytes\]$/);
    assert.ok(new TextEncoder().encode(truncated.message).length <= 1_048_550);

    const { logs } = await asAccount(aws, customer.account);
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: customer.logGroup }));
    logs.destroy();
    assert.equal(groups.logGroups?.[0]?.retentionInDays, 30, "retention_days is set when the group is created");
  },
});

Deno.test({
  name: "a line over 8 Mi characters is delivered truncated with its whole size in the marker, never dropped",
  ...integration,
  fn: async () => {
    const customer = await tenantWith({});
    const huge = JSON.stringify(vectorRecord("y".repeat(9 * 1024 * 1024)));
    const key = objectKey(customer.tenantId);
    await putObject(aws, key, encodeObject([vectorRecord("before"), huge, vectorRecord("after")]));
    const [result] = await testPipeline(aws).run(snsBody(aws.bucket, key));
    assert.deepEqual(
      [result!.outcome, result!.events_read, result!.unparsable_lines],
      ["delivered", 3, 0],
      result!.reason,
    );
    assert.deepEqual([result!.deliveries[0]!.events_delivered, result!.deliveries[0]!.truncated], [3, 1]);
    const stream = (await readLogGroup(aws, customer.account, customer.logGroup)).get("prod-1/api/api-7f9")!;
    const cut = stream.find((e) => e.message.startsWith("{"))!;
    assert.ok(cut.message.startsWith(huge.slice(0, 1000)), "the head of the line as it was written");
    assert.match(cut.message, new RegExp(`…\\[truncated by log-processor: ${huge.length} bytes\\]$`));
    assert.ok(new TextEncoder().encode(cut.message).length <= 1_048_550);
    assert.deepEqual(stream.map((e) => e.message.slice(0, 6)).filter((m) => m !== cut.message.slice(0, 6)), [
      "before",
      "after",
    ]);
  },
});

Deno.test({ name: "close local AWS (limits)", ...integration, fn: () => aws.close() });
