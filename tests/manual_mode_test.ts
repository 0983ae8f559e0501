/**
 * Manual mode end to end, as a user runs it: `deno run -A src/main.ts --mode
 * manual` with SQS bodies on stdin, against moto through the recording proxy.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import {
  cloudWatchItem,
  encodeObject,
  eventBridgeBody,
  newCustomer,
  objectKey,
  processorEnv,
  putObject,
  putTenantItem,
  readLogGroup,
  REGION,
  registerCluster,
  runProcessor,
  s3Record,
  snsBody,
  startLocalAws,
  vectorRecord,
} from "./support/fixtures.ts";

const aws = await startLocalAws();
const customer = newCustomer(aws);
await putTenantItem(aws, cloudWatchItem(customer, { retention_days: 30 }));
await registerCluster(aws, [customer]);
const integration = { sanitizeOps: false, sanitizeResources: false };
const now = Date.now();
const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();

Deno.test({
  name: "manual mode delivers SNS, raw S3 and EventBridge bodies and reports every object",
  ...integration,
  fn: async () => {
    aws.proxy.reset();
    const t = customer.tenantId;
    // 1: SNS envelope, three gzip members, a file name with a space, a plus and unicode.
    const multi = `${t}/prod-1/api/api-7f9/20260101-120000-a b+c-ü.json.gz`;
    const records = Array.from({ length: 30 }, (_, i) => vectorRecord(`line ${i}`, iso(-60_000 + i)));
    await putObject(aws, multi, encodeObject(records, { members: 3 }));
    // 2: raw S3 event, plain NDJSON with CRLF, blank and invalid lines, non-string messages, timestamp forms.
    const plain = objectKey(t, "worker", "worker-1");
    const lines = [
      vectorRecord("iso with nanoseconds", new Date(now - 5000).toISOString().replace("Z", "123456Z")),
      vectorRecord("epoch seconds", (now - 4000) / 1000),
      vectorRecord("epoch millis", now - 3000),
      "",
      "   ",
      "this is not json",
      '{"truncated json":',
      vectorRecord({ level: "info", msg: "structured" }, now - 2000),
      { level: "warn", msg: "no message field", timestamp: now - 1000, customer_id: "x", kubernetes: {} },
      vectorRecord("no timestamp", undefined),
    ];
    await putObject(aws, plain, encodeObject(lines, { gzip: false, crlf: true }));
    // 3: EventBridge event for an empty object.
    const empty = objectKey(t, "api", "api-empty");
    await putObject(aws, empty, new Uint8Array());
    // 4: corrupt gzip.
    const corrupt = objectKey(t, "api", "api-corrupt");
    const gz = gzipSync("x".repeat(10_000));
    await putObject(aws, corrupt, gz.subarray(0, gz.length - 20));
    // 5: a key whose slashes arrive as %2F.
    const slashed = objectKey(t, "api", "api-slash");
    await putObject(aws, slashed, encodeObject([vectorRecord("slashed key")]));
    const slashedBody = JSON.stringify({
      Records: [{
        ...s3Record(aws.bucket, slashed),
        s3: { bucket: { name: aws.bucket }, object: { key: encodeURIComponent(slashed) } },
      }],
    });
    // 6: a key outside the layout.
    const badKey = "not/the/layout.json.gz";
    const stdin = [
      snsBody(aws.bucket, multi),
      JSON.stringify({ Records: [s3Record(aws.bucket, plain)] }),
      eventBridgeBody(aws.bucket, empty),
      snsBody(aws.bucket, corrupt),
      JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: aws.bucket }),
      // A Lambda SQS event wrapping a body, pretty-printed.
      JSON.stringify({ Records: [{ eventSource: "aws:sqs", messageId: "m1", body: slashedBody }] }, null, 2),
      snsBody(aws.bucket, badKey),
    ].join("\n");

    const run = await runProcessor(["--mode", "manual"], processorEnv(aws), stdin);
    assert.equal(run.code, 1, "a corrupt object and a bad key make the run fail");
    const byKey = new Map(run.results.map((r) => [r.key, r]));
    assert.equal(run.results.length, 7);

    const r1 = byKey.get(multi)!;
    assert.equal(r1.outcome, "delivered");
    assert.equal(r1.tenant, t);
    assert.equal(r1.events_read, 30);
    const d1 = (r1.deliveries as Record<string, unknown>[])[0];
    assert.equal(d1!.events_delivered, 30);
    assert.ok((d1!.api_calls as Record<string, number>).PutLogEvents! >= 1);

    const r2 = byKey.get(plain)!;
    assert.equal(r2.outcome, "delivered");
    assert.equal(r2.lines_read, 8, "blank lines are not counted");
    assert.equal(r2.unparsable_lines, 2);
    assert.equal(r2.events_read, 6);

    assert.equal(byKey.get(empty)!.outcome, "skipped");
    assert.match(String(byKey.get(empty)!.reason), /no events/);
    const r4 = byKey.get(corrupt)!;
    assert.equal(r4.outcome, "permanent");
    assert.equal(r4.code, "CorruptGzip");
    assert.match(String(r4.reason), new RegExp(`Cannot deliver "${corrupt}" to tenant "${t}"`));
    assert.equal(byKey.get(slashed)!.outcome, "delivered");
    const r7 = byKey.get(badKey)!;
    assert.equal(r7.outcome, "permanent");
    assert.equal(r7.code, "InvalidKey");
    assert.match(String(r7.reason), /not\/the\/layout\.json\.gz/);
    const test = run.results.find((r) => r.reason === "s3:TestEvent")!;
    assert.equal(test.outcome, "skipped");

    const streams = await readLogGroup(aws, customer.account, customer.logGroup);
    const api = streams.get("prod-1/api/api-7f9")!.map((e) => e.message);
    assert.deepEqual(api, records.map((r) => r.message));
    const worker = streams.get("prod-1/worker/worker-1")!;
    const messages = worker.map((e) => e.message);
    assert.deepEqual(messages, [
      "iso with nanoseconds",
      "epoch seconds",
      "epoch millis",
      '{"message":{"level":"info","msg":"structured"}}',
      '{"level":"warn","msg":"no message field"}',
      "no timestamp",
    ]);
    const ts = (m: string) => worker.find((e) => e.message === m)!.timestamp;
    assert.equal(ts("iso with nanoseconds"), now - 5000);
    assert.equal(ts("epoch seconds"), now - 4000);
    assert.equal(ts("epoch millis"), now - 3000);
    // Without a timestamp the object's LastModified (whole seconds, recent) is used.
    assert.ok(Math.abs(ts("no timestamp") - now) < 120_000);
    assert.deepEqual(streams.get("prod-1/api/api-slash")!.map((e) => e.message), ["slashed key"]);
    assert.equal(streams.has("prod-1/api/api-corrupt") && streams.get("prod-1/api/api-corrupt")!.length > 0, false);
    assert.deepEqual(aws.proxy.violations, []);
  },
});

Deno.test({
  name: "manual mode exits 0 when everything was delivered or skipped, logs JSON on stderr and never logs credentials",
  ...integration,
  fn: async () => {
    const key = objectKey(customer.tenantId, "api", "api-ok");
    await putObject(aws, key, encodeObject([vectorRecord("ok")]));
    const secret = `secret-${crypto.randomUUID()}`;
    const env = processorEnv(aws, { AWS_SECRET_ACCESS_KEY: secret, LOG_LEVEL: "debug" });
    const run = await runProcessor(["--mode", "manual"], env, snsBody(aws.bucket, key) + "\n" + snsBody(aws.bucket));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.results.map((r) => r.outcome), ["delivered", "skipped"]);
    assert.equal(run.results[1]!.reason, "S3 event has no records");
    for (const line of run.stderr.trim().split("\n").filter(Boolean)) {
      const entry = JSON.parse(line);
      assert.ok(entry.level && entry.msg && entry.time, line);
    }
    assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret));
    assert.ok(!customer.externalId || !run.stderr.includes(customer.externalId), "ExternalId is not logged");
  },
});

Deno.test({
  name: "invalid configuration fails at start naming the variable",
  ...integration,
  fn: async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ TENANT_CONFIG_TABLE: "" }, /TENANT_CONFIG_TABLE/],
      [{ CLUSTER_TABLE: "" }, /CLUSTER_TABLE: is required but not set/],
      [{ CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: "not-an-arn" }, /CENTRAL_LOG_DISTRIBUTION_ROLE_ARN/],
      [{ MAX_BATCH_SIZE: "20000" }, /MAX_BATCH_SIZE.*10000/],
      [{ RETRY_ATTEMPTS: "many" }, /RETRY_ATTEMPTS/],
      [{ AWS_REGION: "Mars" }, /AWS_REGION/],
      [{ EXECUTION_MODE: "batch" }, /EXECUTION_MODE/],
    ];
    for (const [override, pattern] of cases) {
      const run = await runProcessor([], { ...processorEnv(aws), ...override }, "");
      assert.equal(run.code, 2, `${JSON.stringify(override)}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
    }
    const sqs = await runProcessor(["--mode", "sqs"], processorEnv(aws), "");
    assert.equal(sqs.code, 2);
    assert.match(sqs.stderr, /SQS_QUEUE_URL/);
    assert.equal(REGION, "us-east-1");
  },
});

Deno.test({ name: "close local AWS (manual mode)", ...integration, fn: () => aws.close() });
