// deno-lint-ignore-file no-explicit-any
/**
 * scripts/generate_logs.ts as a user runs it: stdout mode feeding Vector, and
 * S3 mode writing objects into the central bucket (moto, through the
 * recording proxy) that the processor reads and delivers.
 */
import assert from "node:assert/strict";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { emptyReadStats, readRecords } from "../src/ingest/read_records.ts";
import { S3ObjectSource } from "../src/ingest/object_source.ts";
import { parseObjectKey } from "../src/notification/parse_key.ts";
import {
  cloudWatchItem,
  newCustomer,
  processorEnv,
  putTenantItem,
  readLogGroup,
  REGION,
  registerCluster,
  runDeno,
  snsBody,
  startLocalAws,
  uniq,
} from "./support/fixtures.ts";

const SCRIPT = new URL("../scripts/generate_logs.ts", import.meta.url).pathname;
const aws = await startLocalAws();
const integration = { sanitizeOps: false, sanitizeResources: false };
const s3Env = {
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
  AWS_REGION: REGION,
  AWS_ENDPOINT_URL: aws.proxy.url,
};

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await aws.s3.send(
      new ListObjectsV2Command({ Bucket: aws.bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

/** The raw NDJSON lines of an object, read the way the processor reads it. */
async function objectLines(key: string): Promise<{ lines: string[]; unparsable: number }> {
  const body = await new S3ObjectSource(aws.s3).open(aws.bucket, key);
  const stats = emptyReadStats();
  const lines: string[] = [];
  for await (const chunk of readRecords(body.chunks, { fallbackMs: 0, stats })) lines.push(...chunk.lines);
  return { lines, unparsable: stats.unparsable };
}

Deno.test({
  name: "S3 mode writes DESIGN 1.1 objects for every tenant that read back as Vector records",
  ...integration,
  async fn() {
    const [a, b] = [uniq("gen-a"), uniq("gen-b")];
    const args = ["--s3", "--bucket", aws.bucket, "--tenant-ids", `${a},${b}`, "--apps", "2", "--pods", "1"];
    args.push("--objects", "8", "--events-per-object", "40", "--seed", "123", "--concurrency", "3");
    args.push("--time", new Date().toISOString());
    const puts = aws.proxy.count("PutObject");
    const run = await runDeno(SCRIPT, args, { env: s3Env });
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.deepEqual(
      [summary.objects, summary.events, summary.seed, summary.tenants],
      [8, 320, 123, { [a]: { objects: 4, events: 160 }, [b]: { objects: 4, events: 160 } }],
    );
    assert.equal(aws.proxy.count("PutObject") - puts, 8);
    assert.match(run.stderr, /\] 100% 8\/8 objects, 320 events/);
    assert.doesNotMatch(run.stderr, /\r/, "no in-place redraws when stderr is not a terminal");

    const keys = [...await keysUnder(`${a}/`), ...await keysUnder(`${b}/`)];
    assert.equal(keys.length, 8);
    for (const key of keys) {
      const path = parseObjectKey(key);
      assert.match(path.fileName, /^\d{8}-\d{6}-[0-9a-f-]{36}\.json\.gz$/);
      const { lines, unparsable } = await objectLines(key);
      assert.equal(lines.length, 40);
      assert.equal(unparsable, 0);
      for (const line of lines) {
        const r = JSON.parse(line);
        assert.deepEqual(
          [r.customer_id, r.cluster_id, r.application, r.pod_name],
          [path.customerId, path.clusterId, path.application, path.podName],
        );
        assert.equal(r.kubernetes.pod_name, path.podName);
        assert.equal(typeof r.message, "string");
      }
    }
    assert.equal(new Set(keys.map((k) => k.split("/").slice(0, 4).join("/"))).size, 4, "2 tenants x 2 apps x 1 pod");

    // The same seed and time write the same keys again (overwrites, nothing new).
    const again = await runDeno(SCRIPT, args, { env: s3Env });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual([...await keysUnder(`${a}/`), ...await keysUnder(`${b}/`)], keys);
  },
});

Deno.test({
  name: "generated objects are delivered by the processor into the tenant's CloudWatch Logs",
  ...integration,
  async fn() {
    const customer = newCustomer(aws, uniq("gen-tenant"));
    await putTenantItem(aws, cloudWatchItem(customer));
    await registerCluster(aws, [customer]);
    const args = ["--s3", "--bucket", aws.bucket, "--tenant-ids", customer.tenantId, "--apps", "1", "--pods", "1"];
    args.push("--objects", "3", "--events-per-object", "25", "--format", "mixed", "--seed", "5");
    const run = await runDeno(SCRIPT, args, { env: s3Env });
    assert.equal(run.code, 0, run.stderr);
    const keys = await keysUnder(`${customer.tenantId}/`);
    assert.equal(keys.length, 3);
    const messages: string[] = [];
    for (const key of keys) for (const line of (await objectLines(key)).lines) messages.push(JSON.parse(line).message);

    const result = await runDeno(
      new URL("../src/main.ts", import.meta.url).pathname,
      ["--mode", "manual"],
      { env: processorEnv(aws), stdin: snsBody(aws.bucket, ...keys) },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.results.map((r: any) => [r.outcome, r.deliveries[0].events_delivered]), [
      ["delivered", 25],
      ["delivered", 25],
      ["delivered", 25],
    ]);
    const path = parseObjectKey(keys[0]!);
    const streams = await readLogGroup(aws, customer.account, customer.logGroup);
    assert.deepEqual([...streams.keys()], [`${path.clusterId}/${path.application}/${path.podName}`]);
    const delivered = [...streams.values()][0]!.map((e) => e.message);
    assert.deepEqual(delivered.sort(), messages.sort());
  },
});

Deno.test("stdout mode writes the requested batches of Vector input and a stats line per batch", async () => {
  const run = await runDeno(
    SCRIPT,
    "--total-batches 4 --min-batch-size 3 --max-batch-size 5 --min-sleep 0 --max-sleep 0 --seed 1".split(" "),
    { env: {} },
  );
  assert.equal(run.code, 0, run.stderr);
  const records = run.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.ok(records.length >= 12 && records.length <= 20, `${records.length} records`);
  for (const r of records) assert.equal(r.kubernetes.pod_annotations["customer-id"], "acme");
  const stats = run.stderr.split("\n").filter((l) => l.startsWith("batch "));
  assert.deepEqual(stats.map((l) => l.split(":")[0]), ["batch 1/4", "batch 2/4", "batch 3/4", "batch 4/4"]);
  assert.match(stats[3]!, new RegExp(`total ${records.length} records`));
});

Deno.test("a bad flag exits 2 with one line naming the flag", async () => {
  const run = await runDeno(SCRIPT, ["--format", "xml"], { env: {} });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^generate_logs: --format must be one of .* \(--help lists the options\)\n$/);
});
