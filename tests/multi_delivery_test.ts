/**
 * Several deliveries per tenant against moto, through the wired pipeline
 * (in-process, so the test can say how often a message was received): two
 * tenants in their own accounts, each with a CloudWatch and an S3 delivery,
 * allow-lists admitting different applications (DynamoDB list and string
 * set), one delivery failing with AccessDenied while its sibling succeeds and
 * is not repeated on the retry (delivery-state table).
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import type { ObjectResult } from "../src/results.ts";
import {
  cloudWatchItem,
  createCustomerBucket,
  createDeliveryStateTable,
  type Customer,
  denyOnce,
  encodeObject,
  listCustomerKeys,
  newCustomer,
  objectKey,
  putObject,
  putTenantItem,
  readCustomerObject,
  readLogGroup,
  registerCluster,
  s3Item,
  snsBody,
  startLocalAws,
  vectorRecord,
} from "./support/fixtures.ts";
import { testPipeline } from "./support/pipeline.ts";

const aws = await startLocalAws();
const stateTable = await createDeliveryStateTable(aws);

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

/** Puts an object of `n` records for `customer`/`app`; returns its key and source lines. */
async function logObject(customer: Customer, app: string, n: number) {
  // One timestamp for the object's records: read back (sorted by timestamp), a delivery repeated by a retry then comes
  // after the first, instead of interleaving with it when a millisecond boundary falls between two records.
  const at = new Date().toISOString();
  const lines = Array.from(
    { length: n },
    (_, i) => JSON.stringify(vectorRecord(`${customer.tenantId} ${app} #${i}`, at)),
  );
  const key = objectKey(customer.tenantId, app, `${app}-pod`);
  await putObject(aws, key, encodeObject(lines));
  return { key, lines, messages: lines.map((l) => JSON.parse(l).message as string) };
}

const s3Keys = (customer: Customer, bucket: string) => listCustomerKeys(aws, customer.account, bucket);

async function s3Lines(customer: Customer, bucket: string, key: string): Promise<string[]> {
  const stored = await readCustomerObject(aws, customer.account, bucket, key);
  return new TextDecoder().decode(gunzipSync(stored.body)).split("\n").slice(0, -1);
}

const destKeyOf = (key: string) => key.split("/").slice(1).join("/");
const byStream = async (customer: Customer) =>
  Object.fromEntries(
    [...(await readLogGroup(aws, customer.account, customer.logGroup))].map(([s, es]) => [s, es.map((e) => e.message)]),
  );

test("two tenants, CloudWatch + S3 each, allow-lists, one failing delivery not blocking or repeating its sibling", async () => {
  const alpha = newCustomer(aws);
  const beta = newCustomer(aws);
  const alphaBucket = await createCustomerBucket(aws, alpha);
  const betaBucket = await createCustomerBucket(aws, beta);
  // alpha: CloudWatch for api and web (a list), S3 for api only (a string set).
  await putTenantItem(aws, cloudWatchItem(alpha, { applications: ["api", "web"] }));
  await putTenantItem(aws, s3Item(alpha, alphaBucket, { applications: new Set(["api"]) }));
  // beta: CloudWatch for everything, S3 for worker only.
  await putTenantItem(aws, cloudWatchItem(beta));
  await putTenantItem(aws, s3Item(beta, betaBucket, { applications: ["worker"] }));
  await registerCluster(aws, [alpha, beta]);

  const a1 = await logObject(alpha, "api", 30);
  const a2 = await logObject(alpha, "web", 20);
  const a3 = await logObject(alpha, "batch", 5);
  const b1 = await logObject(beta, "api", 10);
  const b2 = await logObject(beta, "worker", 40);

  const { pipeline } = testPipeline(aws, { DELIVERY_STATE_TABLE: stateTable });
  const before = aws.proxy.counts();
  const delta = (op: string, since = before) => (aws.proxy.counts()[op] ?? 0) - (since[op] ?? 0);
  const stateReads = () => aws.proxy.count("GetItem", (c) => c.body.includes(stateTable));
  try {
    // Round 1: beta's bucket refuses the first PutObject.
    denyOnce(aws, "PutObject", betaBucket);
    const m1 = await pipeline.processBody(snsBody(aws.bucket, a1.key, a2.key, a3.key, b1.key), { receiveCount: 1 });
    const m2 = await pipeline.processBody(snsBody(aws.bucket, b2.key), { receiveCount: 1 });
    assert.equal(m1.outcome, "delivered");
    const [r1, r2, r3, r4] = m1.objects;
    const ids = (r: ObjectResult) => r.deliveries.map((d) => `${d.delivery_id}:${d.outcome}`).sort();
    assert.deepEqual(ids(r1!), ["archive:delivered", "cloudwatch:delivered"]);
    assert.deepEqual(ids(r2!), ["cloudwatch:delivered"]);
    assert.equal(r3!.outcome, "skipped");
    assert.match(r3!.reason ?? "", /application "batch" is not allowed/);
    assert.deepEqual(ids(r4!), ["cloudwatch:delivered"]);
    assert.equal(m2.outcome, "permanent");
    assert.deepEqual(ids(m2.objects[0]!), ["archive:permanent", "cloudwatch:delivered"]);
    assert.equal(m2.objects[0]!.code, "AccessDenied");
    // Each object read once, however many deliveries; the skipped one not at all.
    assert.equal(delta("GetObject"), 4);
    // The happy path costs nothing: no state read on a first receive, one write for the failed object only,
    // which is tagged so that any later message of it finds the state.
    assert.equal(stateReads(), 0);
    assert.equal(delta("UpdateItem"), 1);
    assert.equal(delta("PutObjectTagging"), 1);
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: aws.bucket, Key: b2.key }));
    const pk = `${aws.bucket}/${b2.key}#${head.ETag!.replaceAll('"', "")}`;
    const item = (await aws.dynamo.send(new GetItemCommand({ TableName: stateTable, Key: { pk: { S: pk } } }))).Item;
    assert.deepEqual(item?.completed?.SS, ["cloudwatch"]);
    const ttl = Number(item?.ttl?.N);
    const nowSeconds = Date.now() / 1000;
    assert.ok(ttl > nowSeconds + 13 * 86_400 && ttl < nowSeconds + 15 * 86_400, `ttl ${ttl}`);

    // Round 2: the message comes back (receive count 2); only the failed delivery is sent again.
    const round2 = aws.proxy.counts();
    const retry = await pipeline.processBody(snsBody(aws.bucket, b2.key), { receiveCount: 2 });
    assert.equal(retry.outcome, "delivered");
    const [again] = retry.objects;
    assert.deepEqual(ids(again!), ["archive:delivered", "cloudwatch:delivered"]);
    assert.equal(again!.deliveries.find((d) => d.delivery_id === "cloudwatch")!.code, "AlreadyDelivered");
    assert.equal(aws.proxy.count("PutLogEvents", (c) => c.put?.group === beta.logGroup) > 0, true);
    assert.equal(delta("PutLogEvents", round2), 0);
    assert.equal(delta("GetItem", round2), 1);
    assert.equal(delta("UpdateItem", round2), 1, "now complete, so that a late copy sends nothing");
    assert.equal(delta("PutObjectTagging", round2), 0, "tagged already");
    assert.equal(delta("GetObject", round2), 1);
  } finally {
    pipeline.close();
  }

  // What each customer sees, in its own account only, each line exactly once.
  assert.deepEqual(await byStream(alpha), {
    "prod-1/api/api-pod": a1.messages,
    "prod-1/web/web-pod": a2.messages,
  });
  assert.deepEqual(await byStream(beta), {
    "prod-1/api/api-pod": b1.messages,
    "prod-1/worker/worker-pod": b2.messages,
  });
  assert.equal((await readLogGroup(aws, beta.account, alpha.logGroup)).size, 0);
  assert.equal((await readLogGroup(aws, alpha.account, beta.logGroup)).size, 0);
  assert.deepEqual(await s3Keys(alpha, alphaBucket), [destKeyOf(a1.key)]);
  assert.deepEqual(await s3Keys(beta, betaBucket), [destKeyOf(b2.key)]);
  assert.deepEqual(await s3Lines(alpha, alphaBucket, destKeyOf(a1.key)), a1.lines);
  assert.deepEqual(await s3Lines(beta, betaBucket, destKeyOf(b2.key)), b2.lines);
});

test("without DELIVERY_STATE_TABLE the protection is off: a retry sends to every delivery again", async () => {
  const gamma = newCustomer(aws);
  const bucket = await createCustomerBucket(aws, gamma);
  await putTenantItem(aws, cloudWatchItem(gamma));
  await putTenantItem(aws, s3Item(gamma, bucket));
  await registerCluster(aws, [gamma]);
  const g1 = await logObject(gamma, "api", 3);
  const { pipeline } = testPipeline(aws);
  const before = { calls: aws.proxy.calls.length };
  try {
    denyOnce(aws, "PutObject", bucket);
    assert.equal((await pipeline.processBody(snsBody(aws.bucket, g1.key), { receiveCount: 1 })).outcome, "permanent");
    assert.equal((await pipeline.processBody(snsBody(aws.bucket, g1.key), { receiveCount: 2 })).outcome, "delivered");
  } finally {
    pipeline.close();
  }
  // No delivery-state read: the only GetItem is the cluster registry's, once (then cached).
  const reads = aws.proxy.calls.slice(before.calls).filter((c) => c.operation === "GetItem");
  assert.deepEqual(reads.map((c) => JSON.parse(c.body).TableName), [aws.clusterTable]);
  assert.deepEqual(await byStream(gamma), { "prod-1/api/api-pod": [...g1.messages, ...g1.messages] });
});
