/**
 * `CLOUDWATCH_ENGINE=vector` end to end against moto: the processor (manual
 * mode, as a subprocess) drives the Vector stand-in, which writes through the
 * proxy with the customer-role credentials it finds in its environment, so
 * the events land in the customer's own account only if those are right.
 */
import assert from "node:assert/strict";
import { fakeVectorBin, type FakeVectorReport } from "./support/fake_vector.ts";
import {
  cloudWatchItem,
  encodeObject,
  newCustomer,
  objectKey,
  processorEnv,
  putObject,
  putTenantItem,
  readLogGroup,
  runProcessor,
  snsBody,
  startLocalAws,
  vectorRecord,
} from "./support/fixtures.ts";

const aws = await startLocalAws();
const dir = await Deno.makeTempDir({ prefix: "vector-engine-test-" });
const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

async function vectorEnv(mode: string) {
  const report = `${dir}/${mode}-${crypto.randomUUID()}.json`;
  const tmp = await Deno.makeTempDir({ dir, prefix: "processor-tmp-" });
  const env = processorEnv(aws, {
    CLOUDWATCH_ENGINE: "vector",
    VECTOR_BIN: await fakeVectorBin(mode, dir, report),
    TMPDIR: tmp,
  });
  return { env, tmp, readReport: async () => JSON.parse(await Deno.readTextFile(report)) as FakeVectorReport };
}

test("vector engine: events reach the customer's log group through Vector, credentials only in its environment", async () => {
  const customer = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(customer, { retention_days: 7 }));
  const messages = Array.from({ length: 25 }, (_, i) => `vector engine line ${i}`);
  const key = objectKey(customer.tenantId, "api", "api-7f9");
  const start = Date.now() - 60_000;
  const times = messages.map((_, i) => start + i * 1000);
  await putObject(aws, key, encodeObject(messages.map((m, i) => vectorRecord(m, new Date(times[i]).toISOString()))));
  const { env, tmp, readReport } = await vectorEnv("deliver");

  const run = await runProcessor(["--mode", "manual"], env, snsBody(aws.bucket, key));
  assert.equal(run.code, 0, run.stderr);
  const [result] = run.results as { outcome: string; deliveries: Record<string, unknown>[] }[];
  assert.equal(result.outcome, "delivered");
  assert.equal(result.deliveries[0].events_delivered, 25);
  const events = await readLogGroup(aws, customer.account, customer.logGroup);
  assert.deepEqual([...events.keys()], ["prod-1/api/api-7f9"]);
  assert.deepEqual(events.get("prod-1/api/api-7f9")!.map((e) => e.message), messages);
  assert.deepEqual(events.get("prod-1/api/api-7f9")!.map((e) => e.timestamp), times);

  const seen = await readReport();
  const sink = JSON.parse(seen.configText).sinks.cloudwatch;
  assert.equal(sink.endpoint, aws.proxy.url);
  assert.equal(sink.region, "us-east-1");
  assert.deepEqual(sink.retention, { enabled: true, days: 7 });
  const secrets = [seen.env.AWS_SECRET_ACCESS_KEY, seen.env.AWS_SESSION_TOKEN];
  assert.ok(secrets.every((s) => s && s !== "testing"), "the customer role's session credentials");
  for (const secret of secrets) {
    assert.equal(seen.configText.includes(secret), false);
    assert.equal(run.stdout.includes(secret) || run.stderr.includes(secret), false);
  }
  // The run's temporary directory (config, data_dir) is gone.
  assert.deepEqual([...Deno.readDirSync(tmp)], []);
});

test("vector engine: AccessDenied inside Vector makes the delivery permanent, nothing lost silently", async () => {
  const customer = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(customer));
  const key = objectKey(customer.tenantId);
  await putObject(aws, key, encodeObject([vectorRecord("denied")]));
  aws.proxy.inject({
    operation: "PutLogEvents",
    status: 400,
    code: "AccessDeniedException",
    match: (c) => c.put?.group === customer.logGroup,
  });
  const { env, tmp } = await vectorEnv("deliver");
  const run = await runProcessor(["--mode", "manual"], env, snsBody(aws.bucket, key));
  assert.equal(run.code, 1);
  const [result] = run.results as Record<string, unknown>[];
  assert.equal(result.outcome, "permanent");
  assert.equal(result.code, "AccessDeniedException");
  assert.match(String(result.reason), /vector could not deliver/);
  assert.deepEqual([...Deno.readDirSync(tmp)], []);
});
