/**
 * S3 deliveries end to end against moto: the processor (manual mode, as a
 * subprocess) writes into the customer's own bucket, read back from the
 * customer's account and compared line by line with the source.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import {
  CENTRAL_ACCOUNT,
  cloudWatchItem,
  createCustomerBucket,
  denyOnce,
  encodeObject,
  listCustomerKeys,
  newCustomer,
  objectKey,
  processorEnv,
  putObject,
  putTenantItem,
  readCustomerObject,
  readLogGroup,
  registerCluster,
  runProcessor,
  s3Item,
  snsBody,
  startLocalAws,
  vectorRecord,
} from "./support/fixtures.ts";

const aws = await startLocalAws();
const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

const fileOf = (key: string) => key.split("/").at(-1)!;

const keysIn = (account: string, bucket: string, prefix = "") => listCustomerKeys(aws, account, bucket, prefix);

/** `n` lines of incompressible text of about `bytes` each. */
function bigRecords(n: number, bytes: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const hex = Array.from(crypto.getRandomValues(new Uint8Array(bytes / 2)), (b) => b.toString(16).padStart(2, "0"));
    return vectorRecord(`line ${i} ${hex.join("")}`);
  });
}

test("s3 delivery: gzip NDJSON of the raw lines under the prefix, in the customer's account; a rerun overwrites", async () => {
  const customer = newCustomer(aws);
  await registerCluster(aws, [customer]);
  const bucket = await createCustomerBucket(aws, customer);
  await putTenantItem(aws, s3Item(customer, bucket, { bucket_prefix: "k8s/" }));
  const records = [
    vectorRecord("first line"),
    vectorRecord({ structured: true, level: "info" }),
    vectorRecord('unicode ✓ and "quotes"'),
    vectorRecord("epoch seconds", 1_767_225_600),
    vectorRecord("no timestamp", undefined),
  ];
  const source = records.map((r) => JSON.stringify(r));
  const key = objectKey(customer.tenantId, "api", "api-7f9", "prod-1");
  await putObject(aws, key, encodeObject([...source.slice(0, 2), "", "not json", ...source.slice(2)]));
  const env = processorEnv(aws);

  const run = await runProcessor(["--mode", "manual"], env, snsBody(aws.bucket, key));
  assert.equal(run.code, 0, run.stderr);
  const [result] = run.results as {
    outcome: string;
    unparsable_lines: number;
    deliveries: Record<string, unknown>[];
  }[];
  assert.equal(result!.outcome, "delivered");
  assert.equal(result!.unparsable_lines, 1);
  const destKey = `k8s/prod-1/api/api-7f9/${fileOf(key)}`;
  assert.equal(result!.deliveries[0]!.destination, `s3://${bucket}/${destKey}`);
  assert.equal(result!.deliveries[0]!.events_delivered, 5);

  const stored = await readCustomerObject(aws, customer.account, bucket, destKey);
  assert.equal(stored.contentEncoding, "gzip");
  assert.equal(stored.contentType, "application/x-ndjson");
  assert.deepEqual(stored.metadata, {});
  const text = new TextDecoder().decode(gunzipSync(stored.body));
  assert.deepEqual(text.split("\n"), [...source, ""]);
  assert.equal(text.includes(aws.bucket), false);
  assert.equal(text.includes(CENTRAL_ACCOUNT), false);

  const again = await runProcessor(["--mode", "manual"], env, snsBody(aws.bucket, key));
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await keysIn(customer.account, bucket), [destKey]);
  const restored = await readCustomerObject(aws, customer.account, bucket, destKey);
  assert.equal(new TextDecoder().decode(gunzipSync(restored.body)), text);
});

test("s3 delivery: the central bucket is refused as a destination, siblings still delivered", async () => {
  for (const centralBucketSet of [true, false]) {
    const customer = newCustomer(aws);
    await registerCluster(aws, [customer]);
    await putTenantItem(aws, cloudWatchItem(customer));
    await putTenantItem(aws, s3Item(customer, aws.bucket, { bucket_prefix: `${customer.tenantId}/` }));
    const key = objectKey(customer.tenantId);
    await putObject(aws, key, encodeObject([vectorRecord("hello")]));
    const env = processorEnv(aws, centralBucketSet ? {} : { CENTRAL_BUCKET: "" });
    const run = await runProcessor(["--mode", "manual"], env, snsBody(aws.bucket, key));
    const [result] = run.results as Record<string, unknown>[];
    const deliveries = result!.deliveries as Record<string, unknown>[];
    const cw = deliveries.find((d) => d.delivery_id === "cloudwatch")!;
    assert.equal(cw.outcome, "delivered");
    if (centralBucketSet) {
      // Invalid item: reported, disabled; the object counts as delivered by its valid sibling.
      assert.equal(run.code, 0, run.stderr);
      assert.equal(result!.outcome, "delivered");
      const invalid = result!.invalid_deliveries as { delivery_id: string; problems: string[] }[];
      assert.equal(invalid[0]!.delivery_id, "archive");
      assert.match(invalid[0]!.problems.join(";"), /central bucket/);
    } else {
      // Caught when the sink is built: that delivery fails permanently with InvalidConfig.
      assert.equal(run.code, 1);
      assert.equal(result!.outcome, "permanent");
      const s3 = deliveries.find((d) => d.delivery_id === "archive")!;
      assert.equal(s3.outcome, "permanent");
      assert.equal(s3.code, "InvalidConfig");
    }
    assert.deepEqual(await keysIn(CENTRAL_ACCOUNT, aws.bucket, `${customer.tenantId}/`), [key]);
    const events = await readLogGroup(aws, customer.account, customer.logGroup);
    assert.deepEqual([...events.values()].flat().map((e) => e.message), ["hello"]);
  }
});

test("s3 delivery: a large object is streamed in multipart parts and arrives intact", async () => {
  const customer = newCustomer(aws);
  await registerCluster(aws, [customer]);
  const bucket = await createCustomerBucket(aws, customer);
  await putTenantItem(aws, s3Item(customer, bucket));
  const records = bigRecords(1400, 10_000);
  const key = objectKey(customer.tenantId, "batch", "batch-1");
  await putObject(aws, key, encodeObject(records));
  const before = aws.proxy.counts();
  const run = await runProcessor(
    ["--mode", "manual"],
    processorEnv(aws, { S3_PART_SIZE_MB: "5" }),
    snsBody(aws.bucket, key),
  );
  assert.equal(run.code, 0, run.stderr);
  const after = aws.proxy.counts();
  const delta = (op: string) => (after[op] ?? 0) - (before[op] ?? 0);
  assert.equal(delta("CreateMultipartUpload"), 1);
  assert.ok(delta("UploadPart") >= 2, `UploadPart calls: ${delta("UploadPart")}`);
  assert.equal(delta("CompleteMultipartUpload"), 1);
  assert.equal(delta("PutObject"), 0);
  const stored = await readCustomerObject(aws, customer.account, bucket, `prod-1/batch/batch-1/${fileOf(key)}`);
  const lines = new TextDecoder().decode(gunzipSync(stored.body)).split("\n").slice(0, -1);
  assert.equal(lines.length, records.length);
  lines.forEach((line, i) => assert.equal(line, JSON.stringify(records[i]), `line ${i}`));
});

test("s3 delivery: AccessDenied on a part aborts the upload; nothing appears; permanent", async () => {
  const customer = newCustomer(aws);
  await registerCluster(aws, [customer]);
  const bucket = await createCustomerBucket(aws, customer);
  await putTenantItem(aws, s3Item(customer, bucket));
  const key = objectKey(customer.tenantId, "batch", "batch-2");
  await putObject(aws, key, encodeObject(bigRecords(1400, 10_000)));
  denyOnce(aws, "UploadPart", bucket);
  const aborts = aws.proxy.count("AbortMultipartUpload");
  const run = await runProcessor(
    ["--mode", "manual"],
    processorEnv(aws, { S3_PART_SIZE_MB: "5" }),
    snsBody(aws.bucket, key),
  );
  assert.equal(run.code, 1);
  const [result] = run.results as Record<string, unknown>[];
  assert.equal(result!.outcome, "permanent");
  assert.equal(result!.code, "AccessDenied");
  assert.equal(aws.proxy.count("AbortMultipartUpload") - aborts, 1);
  assert.deepEqual(await keysIn(customer.account, bucket), []);
});
