/**
 * `CLOUDWATCH_ENGINE=vector` end to end against moto: the processor (manual
 * mode, as a subprocess) drives the Vector stand-in, which writes through the
 * proxy with the customer-role credentials it finds in its environment, so
 * the events land in the customer's own account only if those are right.
 * Under each fault a real Vector 0.58.0 was observed under (injected by the
 * proxy), the stand-in prints what Vector printed and exits 0, and the
 * delivery must fail with the class of the AWS error, never be delivered.
 */
// deno-lint-ignore-file no-explicit-any
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
  registerCluster,
  runProcessor,
  snsBody,
  startLocalAws,
  vectorRecord,
} from "./support/fixtures.ts";
import { eventually, peekBodies, startQueueChain } from "./support/queue_chain.ts";
import {
  deliveredLines,
  numberedLines,
  putLines,
  queueEmpty,
  startWorker,
  terminate,
} from "./support/worker_fixtures.ts";

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
  await registerCluster(aws, [customer]);
  const messages = Array.from({ length: 25 }, (_, i) => `vector engine line ${i}`);
  const key = objectKey(customer.tenantId, "api", "api-7f9");
  const start = Date.now() - 60_000;
  const times = messages.map((_, i) => start + i * 1000);
  await putObject(aws, key, encodeObject(messages.map((m, i) => vectorRecord(m, new Date(times[i]!).toISOString()))));
  const { env, tmp, readReport } = await vectorEnv("deliver");

  const run = await runProcessor(["--mode", "manual"], env, snsBody(aws.bucket, key));
  assert.equal(run.code, 0, run.stderr);
  const [result] = run.results as { outcome: string; deliveries: Record<string, unknown>[] }[];
  assert.equal(result!.outcome, "delivered");
  assert.equal(result!.deliveries[0]!.events_delivered, 25);
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
    assert.equal(seen.configText.includes(secret!), false);
    assert.equal(run.stdout.includes(secret!) || run.stderr.includes(secret!), false);
  }
  // The run's temporary directory (config, data_dir) is gone.
  assert.deepEqual([...Deno.readDirSync(tmp)], []);
});

// Each fault Vector 0.58.0 was observed under, injected where it was observed; the stand-in prints what Vector printed.
const FAULTS = [
  { operation: "PutLogEvents", status: 400, code: "AccessDeniedException", outcome: "permanent" },
  { operation: "CreateLogStream", status: 400, code: "AccessDeniedException", outcome: "permanent" },
  { operation: "PutLogEvents", status: 400, code: "ThrottlingException", outcome: "retryable" },
  { operation: "PutLogEvents", status: 503, code: "ServiceUnavailableException", outcome: "retryable" },
];

for (const fault of FAULTS) {
  test(`vector engine: ${fault.operation} ${fault.code} inside Vector is ${fault.outcome}, never delivered`, async () => {
    const customer = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(customer));
    await registerCluster(aws, [customer]);
    const key = objectKey(customer.tenantId);
    await putObject(aws, key, encodeObject([vectorRecord("refused 1"), vectorRecord("refused 2")]));
    aws.proxy.inject({
      operation: fault.operation,
      status: fault.status,
      code: fault.code,
      match: (c) => c.put ? c.put.group === customer.logGroup : c.body.includes(customer.logGroup),
    });
    const { env, tmp } = await vectorEnv("deliver");
    const run = await runProcessor(["--mode", "manual"], { ...env, RETRY_ATTEMPTS: "1" }, snsBody(aws.bucket, key));
    assert.equal(run.code, 1, run.stderr);
    const [result] = run.results as { outcome: string; code: string; reason: string; deliveries: any[] }[];
    assert.equal(result!.outcome, fault.outcome);
    assert.equal(result!.code, fault.code);
    assert.match(result!.reason, /vector could not deliver \(confirmed 0 of 2 events sent, 2 dropped\)/);
    assert.equal(result!.deliveries[0].events_delivered, 0);
    const events = await readLogGroup(aws, customer.account, customer.logGroup);
    assert.deepEqual([...events.values()].flat(), [], "nothing arrived");
    const logged = run.stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    assert.ok(logged.some((l) => l.msg === "vector did not confirm every event" && l.events_fed === 2));
    assert.deepEqual([...Deno.readDirSync(tmp)], []);
  });
}

test("vector engine: throttled once, then accepted: Vector's retry delivers every event once", async () => {
  const customer = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(customer));
  await registerCluster(aws, [customer]);
  const key = objectKey(customer.tenantId);
  const messages = Array.from({ length: 12 }, (_, i) => `retried ${i}`);
  await putObject(aws, key, encodeObject(messages.map((m) => vectorRecord(m))));
  aws.proxy.inject({
    operation: "PutLogEvents",
    status: 400,
    code: "ThrottlingException",
    times: 1,
    match: (c) => c.put?.group === customer.logGroup,
  });
  const { env } = await vectorEnv("deliver");
  const run = await runProcessor(["--mode", "manual"], { ...env, RETRY_ATTEMPTS: "1" }, snsBody(aws.bucket, key));
  assert.equal(run.code, 0, run.stderr);
  const [result] = run.results as { outcome: string; deliveries: Record<string, unknown>[] }[];
  assert.equal(result!.outcome, "delivered");
  assert.equal(result!.deliveries[0]!.events_delivered, 12);
  const events = await readLogGroup(aws, customer.account, customer.logGroup);
  assert.deepEqual([...events.values()].flat().map((e) => e.message), messages);
});

test("vector engine through the SQS worker: a refused run keeps its message; nothing is lost, nothing doubled", async () => {
  const chain = await startQueueChain(aws, { maxReceiveCount: 2 });
  const throttled = newCustomer(aws);
  const denied = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(throttled));
  await putTenantItem(aws, cloudWatchItem(denied));
  await registerCluster(aws, [throttled, denied]);
  // The first run for `throttled` is refused (Vector drops the batch, exits 0); the retry is accepted.
  aws.proxy.inject({
    operation: "PutLogEvents",
    status: 400,
    code: "ThrottlingException",
    times: 1,
    match: (c) => c.put?.group === throttled.logGroup,
  });
  // `denied`'s role may never write: every run is refused.
  aws.proxy.inject({
    operation: "PutLogEvents",
    status: 400,
    code: "AccessDeniedException",
    match: (c) => c.put?.group === denied.logGroup,
  });
  const { env } = await vectorEnv("deliver");
  const worker = startWorker(aws, chain, {
    CLOUDWATCH_ENGINE: "vector",
    VECTOR_BIN: env.VECTOR_BIN!,
    TMPDIR: env.TMPDIR!,
  });
  try {
    const lines = numberedLines(40, "vector-worker");
    await putLines(aws, throttled.tenantId, lines);
    const deniedKey = await putLines(aws, denied.tenantId, numberedLines(5, "denied"));
    await eventually("the queue to drain", () => queueEmpty(chain));
    const dlq = await eventually("the refused message in the DLQ", async () => {
      const bodies = await peekBodies(chain, chain.dlqUrl);
      return bodies.length > 0 ? bodies : undefined;
    });
    // The permanently refused object was never deleted: its message is in the DLQ, its events nowhere.
    assert.equal(dlq.length, 1);
    assert.ok(dlq[0]!.includes(deniedKey.split("/").at(-1)!), "the DLQ holds the refused object's notification");
    assert.deepEqual(await deliveredLines(aws, denied.account, denied.logGroup), []);
    // The throttled object was retried, not deleted after the refused run: every line arrived exactly once.
    assert.deepEqual(await deliveredLines(aws, throttled.account, throttled.logGroup), lines);
    assert.equal(aws.proxy.count("PutLogEvents", (c) => c.put?.group === throttled.logGroup), 2);
    assert.equal(await terminate(worker), 0);
    const failures = worker.logs.filter((l) => l.msg === "vector did not confirm every event");
    assert.ok(failures.length >= 2, "both refusals were noticed");
  } finally {
    worker.kill("SIGKILL");
    await worker.exited;
    chain.close();
  }
});
