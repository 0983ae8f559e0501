/**
 * `--mode lambda` run as Lambda runs it: under aws-lambda-rie with the
 * bootstrap script (or, when rie cannot be built, against the suite's own
 * Runtime API server; the harness logs which). SQS event batches in,
 * partial batch responses out, events in the customers' accounts.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  cloudWatchItem,
  encodeObject,
  newCustomer,
  processorEnv,
  putObject,
  putTenantItem,
  registerCluster,
  snsBody,
  startLocalAws,
} from "./support/fixtures.ts";
import { startLambda } from "./support/lambda_harness.ts";
import { sqsEvent } from "./support/queue_chain.ts";
import { deliveredLines, numberedLines, putLines } from "./support/worker_fixtures.ts";
import { vectorRecord } from "./support/fixtures.ts";

const it = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

const failures = (body: unknown) =>
  ((body as { batchItemFailures?: { itemIdentifier: string }[] }).batchItemFailures ?? []).map((f) => f.itemIdentifier)
    .sort();

it("lambda: SQS batch → partial batch response listing exactly the failed records; deliveries; warm caches", async () => {
  const aws = await startLocalAws();
  const a = newCustomer(aws);
  const denied = newCustomer(aws);
  const throttled = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(a));
  await putTenantItem(aws, cloudWatchItem(denied, { external_id: "not-the-customers-external-id" }));
  await putTenantItem(aws, cloudWatchItem(throttled));
  await registerCluster(aws, [a, denied, throttled, "tenant-nobody-configured"]);
  aws.proxy.inject({
    operation: "PutLogEvents",
    status: 400,
    code: "ThrottlingException",
    match: (c) => c.put?.group === throttled.logGroup,
  });
  const fn = await startLambda(processorEnv(aws, {
    RETRY_ATTEMPTS: "0",
    CONCURRENCY: "4",
    POWERTOOLS_SERVICE_NAME: "mtl-test-log-processor",
    AWS_LAMBDA_FUNCTION_NAME: "mtl-test-log-processor",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
  }));
  console.log(`lambda runtime under: ${fn.kind}`);
  try {
    const aLines = numberedLines(40, "lambda-a");
    const bodies = [
      snsBody(aws.bucket, await putLines(aws, a.tenantId, aLines.slice(0, 20))),
      snsBody(aws.bucket, await putLines(aws, a.tenantId, aLines.slice(20))),
      snsBody(aws.bucket, await putLines(aws, "tenant-nobody-configured", ["x"])), // skipped
      snsBody(aws.bucket, `${a.tenantId}/bad-key.json.gz`), // permanent: key layout
      snsBody(aws.bucket, await putLines(aws, denied.tenantId, ["denied"])), // permanent: AccessDenied
      snsBody(aws.bucket, await putLines(aws, throttled.tenantId, ["throttled"])), // retryable
    ];
    const event = sqsEvent(bodies);
    const ids = event.Records.map((r) => r.messageId);
    const reply = await fn.invoke(event);
    ok(reply.ok, reply.raw);
    deepStrictEqual(failures(reply.body), [ids[3], ids[4], ids[5]].sort());
    deepStrictEqual(await deliveredLines(aws, a.account, a.logGroup), aLines);
    deepStrictEqual(await deliveredLines(aws, denied.account, denied.logGroup), []);

    // Second invocation: credentials, clients and the tenant cache are still warm.
    aws.proxy.reset();
    const more = numberedLines(10, "lambda-warm");
    const warm = sqsEvent(
      await Promise.all(more.map(async (l) => snsBody(aws.bucket, await putLines(aws, a.tenantId, [l])))),
    );
    const second = await fn.invoke(warm);
    deepStrictEqual(second.body, { batchItemFailures: [] });
    strictEqual(aws.proxy.count("GetObject"), 10);
    strictEqual(aws.proxy.count("AssumeRole"), 0, "no STS call once warm");
    strictEqual(aws.proxy.count("Query") + aws.proxy.count("GetItem"), 0, "no DynamoDB call once warm");
    deepStrictEqual(await deliveredLines(aws, a.account, a.logGroup), [...aLines, ...more].sort());
    // EMF metrics on stdout in Powertools' layout (service dimension, ColdStart once), no tenant dimension.
    const output = fn.output().split("\n");
    const emf = output.filter((l) => l.startsWith('{"_aws"')).map((l) => JSON.parse(l));
    ok(emf.every((d) => d.service === "mtl-test-log-processor"));
    ok(emf.some((d) => d.Outcome === "delivered" && d.Messages >= 2));
    ok(emf.some((d) => d.Class === "permanent" && d.Code === "InvalidKey" && d.Failures === 1));
    deepStrictEqual(emf.filter((d) => "ColdStart" in d).map((d) => [d.ColdStart, d.function_name]), [
      [1, "mtl-test-log-processor"],
    ]);
    const ages = emf.filter((d) => d.DeliveryAge).map((d) => d.DeliveryAge);
    deepStrictEqual(ages.reduce((n, a) => n + a.Count, 0), 12, "one delivery age per delivered object");
    ok(ages.every((a) => a.Min >= 0 && a.Max < 120 && a.Values.length === a.Counts.length));
    ok(emf.every((d) => !JSON.stringify(d).includes(a.tenantId)));
    // Log lines carry Powertools' context keys; cold_start only on the first invocation.
    const logs = output.filter((l) => l.startsWith('{"time"')).map((l) => JSON.parse(l));
    const batches = logs.filter((l) => l.msg === "batch processed");
    deepStrictEqual(batches.map((l) => [l.service, l.cold_start, l.function_name, l.function_memory_size]), [
      ["mtl-test-log-processor", true, "mtl-test-log-processor", 512],
      ["mtl-test-log-processor", false, "mtl-test-log-processor", 512],
    ]);
    ok(batches.every((l) => typeof l.function_request_id === "string" && l.function_request_id.length > 0));
  } finally {
    await fn.stop();
    await aws.close();
  }
});

it("lambda: an invalid configuration is reported through init/error, naming the variable", async () => {
  const aws = await startLocalAws();
  const fn = await startLambda(processorEnv(aws, { MAX_BATCH_SIZE: "lots" }));
  try {
    const reply = await fn.invoke(sqsEvent([snsBody(aws.bucket, "t/c/a/p/f.json.gz")]));
    strictEqual(reply.ok, false);
    match(reply.raw, /MAX_BATCH_SIZE/);
    match(reply.raw, /Runtime\.ConfigError/);
  } finally {
    await fn.stop();
    await aws.close();
  }
});

it("lambda: near the deadline no new record starts and unfinished ones are reported, not killed", async () => {
  const aws = await startLocalAws();
  const a = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(a));
  await registerCluster(aws, [a]);
  // 6 s per invocation, 4 s kept in reserve: about 2 s of work per invocation.
  const fn = await startLambda(processorEnv(aws, { CONCURRENCY: "1", LAMBDA_DEADLINE_MARGIN_MS: "4000" }), 6);
  try {
    await fn.invoke(sqsEvent([snsBody(aws.bucket, await putLines(aws, a.tenantId, ["warm-up"]))]));
    const slowKey = await putLines(aws, a.tenantId, ["slow"]);
    aws.proxy.delay({ operation: "GetObject", ms: 30_000, times: 1, match: (c) => c.path.endsWith(slowKey) });
    const later = [await putLines(aws, a.tenantId, ["later-1"]), await putLines(aws, a.tenantId, ["later-2"])];
    const event = sqsEvent([slowKey, ...later].map((k) => snsBody(aws.bucket, k)));
    const reply = await fn.invoke(event);
    ok(reply.ok, `answered before the timeout: ${reply.raw}`);
    deepStrictEqual(failures(reply.body), event.Records.map((r) => r.messageId).sort());
    strictEqual(
      aws.proxy.count("GetObject", (c) => later.some((k) => c.path.endsWith(k))),
      0,
      "no record started late",
    );
    // The runtime is alive: the retried records are delivered by the next invocation.
    const retry = await fn.invoke(sqsEvent(later.map((k) => snsBody(aws.bucket, k))));
    deepStrictEqual(retry.body, { batchItemFailures: [] });
    deepStrictEqual(await deliveredLines(aws, a.account, a.logGroup), ["later-1", "later-2", "warm-up"]);
    ok(fn.output().includes('"DeadlineFailures":3'));
  } finally {
    await fn.stop();
    await aws.close();
  }
});

it("lambda: a direct S3 event invocation is processed as one message", async () => {
  const aws = await startLocalAws();
  const a = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(a));
  await registerCluster(aws, [a]);
  const fn = await startLambda(processorEnv(aws));
  try {
    const key = await putLines(aws, a.tenantId, ["direct"]);
    const ok1 = await fn.invoke(JSON.parse(JSON.parse(snsBody(aws.bucket, key)).Message));
    deepStrictEqual(ok1.body, { outcome: "delivered" });
    const badKey = `${a.tenantId}/oops.json.gz`;
    await putObject(aws, badKey, encodeObject([vectorRecord("x")]));
    const bad = await fn.invoke(JSON.parse(JSON.parse(snsBody(aws.bucket, badKey)).Message));
    strictEqual(bad.ok, false);
    match(bad.raw, /LogProcessor\.NotDelivered/);
    deepStrictEqual(await deliveredLines(aws, a.account, a.logGroup), ["direct"]);
  } finally {
    await fn.stop();
    await aws.close();
  }
});
