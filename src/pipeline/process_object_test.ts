import { deepStrictEqual as deepEqual, match, ok, strictEqual as equal } from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { permanent, retryable } from "../errors.ts";
import { awsError, cloudWatchDelivery } from "../../tests/support/fakes.ts";
import { FakeWorld } from "../../tests/support/pipeline_fakes.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import { processObject } from "./process_object.ts";

const BUCKET = "central-logs";
const KEY = "acme/prod-1/api/api-7f9/20260101-120000-x.json.gz";
const REF: ObjectRef = { bucket: BUCKET, key: KEY };
const LAST_MODIFIED = new Date(Date.UTC(2026, 0, 1, 11, 59));

const NDJSON = [
  '{"message":"hello","timestamp":"2026-01-01T11:00:00Z"}',
  "",
  "garbage",
  '{"message":"world"}',
].join("\n") + "\n";

function world(): FakeWorld {
  const w = new FakeWorld();
  w.tenants.set("acme", { tenantId: "acme", deliveries: [cloudWatchDelivery()], invalid: [] });
  w.putObject(BUCKET, KEY, { chunks: [gzipSync(NDJSON)], lastModified: LAST_MODIFIED });
  return w;
}

Deno.test("an object is read once and its events reach the tenant's delivery", async () => {
  const w = world();
  const result = await processObject(REF, w.deps());
  deepEqual(w.opened, [`${BUCKET}/${KEY}`]);
  equal(w.sinks.length, 1);
  deepEqual(w.sinks[0]!.object, {
    ref: REF,
    path: {
      customerId: "acme",
      clusterId: "prod-1",
      application: "api",
      podName: "api-7f9",
      fileName: "20260101-120000-x.json.gz",
    },
  });
  deepEqual(w.sinks[0]!.events, [
    { timestamp: Date.UTC(2026, 0, 1, 11), message: "hello" },
    { timestamp: LAST_MODIFIED.getTime(), message: "world" },
  ]);
  equal(w.sinks[0]!.finished, true);
  deepEqual({ ...result, deliveries: result.deliveries.length }, {
    bucket: BUCKET,
    key: KEY,
    tenant: "acme",
    outcome: "delivered",
    lines_read: 3,
    events_read: 2,
    unparsable_lines: 1,
    bytes_read: new TextEncoder().encode(NDJSON).length,
    deliveries: 1,
  });
  equal(result.deliveries[0]!.outcome, "delivered");
  equal(result.deliveries[0]!.events_delivered, 2);
});

Deno.test("without LastModified, records lacking a timestamp get the processing time", async () => {
  const w = world();
  w.putObject(BUCKET, KEY, { chunks: ['{"message":"m"}\n'] });
  await processObject(REF, w.deps());
  equal(w.sinks[0]!.events[0]!.timestamp, w.now);
});

Deno.test("every admitted delivery receives the same events from a single read", async () => {
  const w = world();
  const second = cloudWatchDelivery({ deliveryId: "audit", logGroupName: "/audit" });
  const webOnly = cloudWatchDelivery({ deliveryId: "web-only", applications: ["web"] });
  w.tenants.set("acme", { tenantId: "acme", deliveries: [cloudWatchDelivery(), second, webOnly], invalid: [] });
  const result = await processObject(REF, w.deps());
  equal(w.opened.length, 1);
  deepEqual(w.sinks.map((s) => s.delivery.deliveryId), ["cloudwatch", "audit"]);
  deepEqual(w.sinks[0]!.events, w.sinks[1]!.events);
  deepEqual(w.sinks[0]!.lines, ['{"message":"hello","timestamp":"2026-01-01T11:00:00Z"}', '{"message":"world"}']);
  deepEqual(result.deliveries.map((d) => d.delivery_id), ["cloudwatch", "audit"]);
  equal(result.outcome, "delivered");
});

Deno.test("a key outside the layout is permanent, names the key, and costs no lookup or read", async () => {
  const w = world();
  const key = "acme/prod-1/api/file.json.gz";
  const result = await processObject({ bucket: BUCKET, key }, w.deps());
  equal(result.outcome, "permanent");
  equal(result.code, "InvalidKey");
  equal(result.tenant, undefined);
  ok(
    result.reason?.startsWith(`Cannot deliver ${JSON.stringify(key)}: Object key ${JSON.stringify(key)}`),
    result.reason,
  );
  deepEqual(w.tenantLookups, []);
  deepEqual(w.opened, []);
});

Deno.test("an unknown tenant is skipped with a reason and the object is not read", async () => {
  const w = world();
  const key = "ghost/prod-1/api/api-7f9/f.json.gz";
  const result = await processObject({ bucket: BUCKET, key }, w.deps());
  equal(result.outcome, "skipped");
  equal(result.tenant, "ghost");
  equal(result.reason, 'unknown tenant "ghost"');
  deepEqual(w.tenantLookups, ["ghost"]);
  deepEqual(w.opened, []);
});

Deno.test("an application no delivery admits, or only disabled deliveries: skipped", async () => {
  const w = world();
  w.tenants.set("acme", { tenantId: "acme", deliveries: [cloudWatchDelivery({ applications: ["web"] })], invalid: [] });
  const result = await processObject(REF, w.deps());
  equal(result.outcome, "skipped");
  match(result.reason ?? "", /application "api" is not allowed/);
  w.tenants.set("acme", { tenantId: "acme", deliveries: [cloudWatchDelivery({ enabled: false })], invalid: [] });
  equal((await processObject(REF, w.deps())).outcome, "skipped");
  deepEqual(w.opened, []);
});

Deno.test("a tenant with only invalid items is a permanent InvalidConfig naming the problems", async () => {
  const w = world();
  const invalid = [{ tenantId: "acme", deliveryId: "cloudwatch", problems: ["role_arn is required"] }];
  w.tenants.set("acme", { tenantId: "acme", deliveries: [], invalid });
  const result = await processObject(REF, w.deps());
  equal(result.outcome, "permanent");
  equal(result.code, "InvalidConfig");
  match(result.reason ?? "", new RegExp(`^Cannot deliver "${KEY}" to tenant "acme": .*role_arn is required`));
  deepEqual(result.invalid_deliveries, [{ delivery_id: "cloudwatch", problems: ["role_arn is required"] }]);
  deepEqual(w.opened, []);
});

Deno.test("an invalid item beside a valid one: delivered, and the invalid item is reported", async () => {
  const w = world();
  const invalid = [{ tenantId: "acme", deliveryId: "archive", problems: ["bucket_name is required"] }];
  w.tenants.set("acme", { tenantId: "acme", deliveries: [cloudWatchDelivery()], invalid });
  const result = await processObject(REF, w.deps());
  equal(result.outcome, "delivered");
  deepEqual(result.invalid_deliveries, [{ delivery_id: "archive", problems: ["bucket_name is required"] }]);
});

Deno.test("a failed tenant lookup takes its class from the error", async () => {
  const w = world();
  w.tenantError = retryable("ProvisionedThroughputExceededException", "Cannot read tenant");
  const result = await processObject(REF, w.deps());
  equal(result.outcome, "retryable");
  equal(result.code, "ProvisionedThroughputExceededException");
  match(result.reason ?? "", /^Cannot deliver ".*" to tenant "acme": Cannot read tenant/);
});

Deno.test("an object that cannot be opened: outcome from the error, no sink built", async () => {
  const w = world();
  w.putObject(BUCKET, KEY, { openError: permanent("NoSuchKey", "Cannot read s3://central-logs/…: NoSuchKey") });
  let result = await processObject(REF, w.deps());
  equal(result.outcome, "permanent");
  equal(result.code, "NoSuchKey");
  w.putObject(BUCKET, KEY, { openError: awsError("SlowDown", 503) });
  result = await processObject(REF, w.deps());
  equal(result.outcome, "retryable");
  equal(result.code, "SlowDown");
  deepEqual(w.sinks, []);
});

Deno.test("a corrupt gzip aborts every sink and is permanent, naming key and tenant", async () => {
  const w = world();
  w.tenants.set("acme", {
    tenantId: "acme",
    deliveries: [cloudWatchDelivery(), cloudWatchDelivery({ deliveryId: "audit" })],
    invalid: [],
  });
  const gz = gzipSync(NDJSON);
  w.putObject(BUCKET, KEY, { chunks: [gz.subarray(0, gz.length - 5)] });
  const result = await processObject(REF, w.deps());
  equal(result.outcome, "permanent");
  equal(result.code, "CorruptGzip");
  match(result.reason ?? "", new RegExp(`^Cannot deliver "${KEY}" to tenant "acme": gzip data is corrupt`));
  for (const sink of w.sinks) {
    equal(sink.finished, false);
    match(sink.abortedWith ?? "", /gzip data is corrupt/);
  }
  deepEqual(result.deliveries.map((d) => [d.delivery_id, d.outcome, d.code]), [
    ["cloudwatch", "permanent", "Aborted"],
    ["audit", "permanent", "Aborted"],
  ]);
});

Deno.test("a network failure while streaming aborts the sinks and is retryable", async () => {
  const w = world();
  const reset = Object.assign(new Error("aborted"), { code: "ECONNRESET" });
  w.putObject(BUCKET, KEY, { chunks: ['{"message":"a"}\n{"message":"b"}\n'], streamError: reset });
  const result = await processObject(REF, w.deps());
  equal(result.outcome, "retryable");
  equal(result.code, "ECONNRESET");
  equal(w.sinks[0]!.abortedWith, "aborted");
  equal(result.events_read, 2, "what was read before the failure is reported");
});

Deno.test("an empty object is skipped; so is one with only unparsable lines", async () => {
  const w = world();
  w.putObject(BUCKET, KEY, { chunks: [] });
  let result = await processObject(REF, w.deps());
  equal(result.outcome, "skipped");
  equal(result.reason, "object has no events");
  w.putObject(BUCKET, KEY, { chunks: [gzipSync("")] });
  equal((await processObject(REF, w.deps())).reason, "object has no events");
  w.putObject(BUCKET, KEY, { chunks: ["not json\n[1]\n\n"] });
  result = await processObject(REF, w.deps());
  equal(result.outcome, "skipped");
  equal(result.reason, "object has no parsable events (2 unparsable lines)");
  equal(result.unparsable_lines, 2);
});

Deno.test("one delivery failing while another succeeds: the merged outcome names the failing one", async () => {
  const w = world();
  w.tenants.set("acme", {
    tenantId: "acme",
    deliveries: [cloudWatchDelivery(), cloudWatchDelivery({ deliveryId: "audit" })],
    invalid: [],
  });
  w.sinkResults.set("audit", { outcome: "permanent", code: "AccessDeniedException", reason: "role refused" });
  let result = await processObject(REF, w.deps());
  equal(result.outcome, "permanent");
  equal(result.code, "AccessDeniedException");
  equal(result.reason, `Cannot deliver "${KEY}" to tenant "acme" (delivery audit): role refused`);
  deepEqual(result.deliveries.map((d) => d.outcome), ["delivered", "permanent"]);

  w.sinkResults.set("cloudwatch", { outcome: "retryable", code: "ThrottlingException", reason: "slow down" });
  result = await processObject(REF, w.deps());
  equal(result.outcome, "retryable", "retryable wins: a retry may deliver everything");
  equal(result.code, "ThrottlingException");
  match(result.reason ?? "", /\(delivery cloudwatch\): slow down/);
});

Deno.test("a sink that cannot be built fails only its delivery", async () => {
  const w = world();
  w.tenants.set("acme", {
    tenantId: "acme",
    deliveries: [cloudWatchDelivery(), cloudWatchDelivery({ deliveryId: "unsupported" })],
    invalid: [],
  });
  w.sinkErrors.set("unsupported", permanent("UnsupportedDelivery", 'delivery type "x" is not supported'));
  const result = await processObject(REF, w.deps());
  equal(w.sinks.length, 1);
  equal(w.sinks[0]!.events.length, 2, "the working delivery still got every event");
  equal(result.outcome, "permanent");
  equal(result.code, "UnsupportedDelivery");
  deepEqual(result.deliveries.map((d) => [d.delivery_id, d.outcome]), [
    ["cloudwatch", "delivered"],
    ["unsupported", "permanent"],
  ]);
});

Deno.test("with CENTRAL_BUCKET set, an object of another bucket is refused before anything is read", async () => {
  const w = world();
  const result = await processObject({ bucket: "someone-elses-bucket", key: KEY }, {
    ...w.deps(),
    centralBucket: BUCKET,
  });
  equal(result.outcome, "permanent");
  equal(result.code, "UnexpectedBucket");
  match(result.reason!, /"someone-elses-bucket" is not the central bucket "central-logs"/);
  deepEqual(w.opened, []);
  equal((await processObject(REF, { ...w.deps(), centralBucket: BUCKET })).outcome, "delivered");
});

Deno.test("a cancelled object stops reading, aborts its sinks and ends retryable", async () => {
  const w = world();
  const cancel = new AbortController();
  cancel.abort();
  const result = await processObject(REF, w.deps(), { signal: cancel.signal });
  equal(result.outcome, "retryable");
  equal(result.code, "Cancelled");
  deepEqual(w.opened, [], "nothing is read once cancelled");
});
