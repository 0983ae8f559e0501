/**
 * The process contract of the Vector CloudWatch engine, exercised with a
 * stand-in executable (tests/support/fake_vector.ts) that behaves as a real
 * Vector 0.58.0 was observed to: stdin, environment (credentials only
 * there), configuration file, the sink's confirmation counters, every
 * observed fault (logged to stdout, exit 0), exit codes, timeout, cleanup.
 */
import assert from "node:assert/strict";
import type { RecordChunk } from "../src/ingest/read_records.ts";
import { createLogger } from "../src/telemetry/logger.ts";
import type { CloudWatchDelivery } from "../src/tenant/delivery.ts";
import { VectorProcess } from "../src/delivery/vector/vector_process.ts";
import { VectorSink, type VectorSinkOptions } from "../src/delivery/vector/vector_sink.ts";
import { fakeVectorBin, type FakeVectorReport, WRAPPER_ENV } from "./support/fake_vector.ts";
import { observedFaults } from "./support/vector_reference.ts";

const CREDENTIALS = {
  accessKeyId: "ASIAFAKEACCESSKEY123",
  secretAccessKey: "fake-secret-key-that-must-not-leak",
  sessionToken: "fake-session-token-that-must-not-leak",
};
const delivery: CloudWatchDelivery = {
  tenantId: "acme",
  deliveryId: "cloudwatch",
  type: "cloudwatch",
  enabled: true,
  roleArn: "arn:aws:iam::210987654321:role/log-delivery",
  externalId: "ext-123",
  applications: [],
  logGroupName: "/customer/acme/k8s",
  region: "eu-west-1",
};
const path = { customerId: "acme", clusterId: "prod-1", application: "api", podName: "api-7f9", fileName: "f.json.gz" };

const dir = await Deno.makeTempDir({ prefix: "vector-process-test-" });
// A variable of the processor's own environment that must not reach Vector.
Deno.env.set("PROCESSOR_ONLY_SENTINEL", "do-not-inherit");

function setup(mode: string, timeoutMs = 60_000) {
  const report = `${dir}/${mode}-${crypto.randomUUID()}.json`;
  const lines: string[] = [];
  const options = async (): Promise<VectorSinkOptions> => ({
    bin: await fakeVectorBin(mode, dir, report),
    timeoutMs,
    maxBatchSize: 10_000,
    retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 1000 },
    region: "us-east-1",
    credentials: () => Promise.resolve(CREDENTIALS),
    logger: createLogger("debug", (line) => lines.push(line)),
  });
  const readReport = Object.assign(
    async () => JSON.parse(await Deno.readTextFile(report)) as FakeVectorReport,
    { path: report },
  );
  return { options, lines, readReport };
}

function chunk(n: number, from = 0): RecordChunk {
  const now = Date.now();
  const events = Array.from(
    { length: n },
    (_, i) => ({ timestamp: now - (n - i) * 1000, message: `event ${from + i}` }),
  );
  return { events, lines: events.map((e) => JSON.stringify(e)) };
}

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

Deno.test("vector engine: events go to stdin, credentials only in the environment, config removed afterwards", async () => {
  const { options, lines, readReport } = setup("ok");
  const sink = new VectorSink(delivery, path, await options());
  const a = chunk(3);
  const b = chunk(2, 3);
  await sink.write(a);
  await sink.write(b);
  const report = await sink.finish();
  assert.equal(report.outcome, "delivered", report.reason);
  assert.equal(report.events_delivered, 5);
  assert.equal(report.destination, "cloudwatch:/customer/acme/k8s@eu-west-1:prod-1/api/api-7f9");
  const seen = await readReport();
  assert.deepEqual(
    seen.lines.map((l) => JSON.parse(l)),
    [...a.events, ...b.events].map((e) => ({ timestamp_ms: e.timestamp, message: e.message })),
  );
  // Credentials: in the environment, nowhere in the configuration.
  assert.equal(seen.env.AWS_ACCESS_KEY_ID, CREDENTIALS.accessKeyId);
  assert.equal(seen.env.AWS_SECRET_ACCESS_KEY, CREDENTIALS.secretAccessKey);
  assert.equal(seen.env.AWS_SESSION_TOKEN, CREDENTIALS.sessionToken);
  assert.equal(seen.env.AWS_REGION, "eu-west-1");
  for (const secret of Object.values(CREDENTIALS)) assert.equal(seen.configText.includes(secret), false);
  // Nothing of the processor's environment but PATH is inherited.
  const passed = Object.keys(seen.env).filter((k) => !WRAPPER_ENV.includes(k) && k !== "SHLVL" && k !== "_").sort();
  assert.deepEqual(passed, [
    "AWS_ACCESS_KEY_ID",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_REGION",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "PATH",
    "VECTOR_LOG",
  ]);
  // Vector's documented flags, the config in a private temporary directory that is gone now.
  assert.deepEqual(seen.args.slice(0, 1), ["--config"]);
  assert.ok(seen.args.includes("--log-format"));
  assert.ok(seen.configPath.startsWith(seen.cwd + "/"));
  assert.equal(JSON.parse(seen.configText).sinks.cloudwatch.group_name, "/customer/acme/k8s");
  assert.equal(await exists(seen.configPath), false);
  assert.equal(await exists(seen.cwd), false);
  for (const line of lines) for (const secret of Object.values(CREDENTIALS)) assert.equal(line.includes(secret), false);
});

Deno.test("vector engine: every observed 0.58.0 fault is a failure, never delivered, though Vector exits 0", async () => {
  const expected: Record<string, [string, string]> = {
    "CreateLogStream-AccessDeniedException": ["permanent", "AccessDeniedException"],
    "PutLogEvents-AccessDeniedException": ["permanent", "AccessDeniedException"],
    "PutLogEvents-ServiceUnavailableException": ["retryable", "ServiceUnavailableException"],
    "PutLogEvents-ThrottlingException": ["retryable", "ThrottlingException"],
  };
  const faults = observedFaults();
  assert.deepEqual(faults.map((f) => f.name), Object.keys(expected));
  for (const fault of faults) {
    const { options, lines, readReport } = setup(fault.name);
    const sink = new VectorSink(delivery, path, await options());
    await sink.write(chunk(10));
    const report = await sink.finish();
    const [failureClass, code] = expected[fault.name]!;
    assert.equal(report.outcome, failureClass, fault.name);
    assert.equal(report.code, code, fault.name);
    assert.equal(report.events_delivered, 0, fault.name);
    assert.match(report.reason ?? "", /^vector could not deliver \(confirmed 0 of 10 events sent, 10 dropped\)/);
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "vector did not confirm every event");
    assert.ok(logged, fault.name);
    assert.equal(logged.exit_code, fault.exit, "Vector exited as observed once stopped");
    assert.equal(logged.events_fed, 10);
    assert.equal(logged.events_confirmed, 0);
    // The stand-in was stopped (it does not exit by itself with the engine's configuration).
    assert.equal(await exists(`/proc/${(await readReport()).pid}`), false, fault.name);
  }
});

Deno.test("vector engine: silence or a partial confirmation is not a delivery", async () => {
  for (const [mode, confirmed] of [["silent", 0], ["partial", 9]] as const) {
    const { options } = setup(mode);
    const sink = new VectorSink(delivery, path, { ...(await options()), timeoutMs: 5_000 });
    await sink.write(chunk(10));
    const report = await sink.finish();
    assert.equal(report.outcome, "retryable", mode);
    assert.equal(report.code, "VectorTimeout", mode);
    assert.match(report.reason ?? "", new RegExp(`confirmed ${confirmed} of 10 events sent`), mode);
    assert.equal(report.events_delivered, 0, mode);
  }
});

Deno.test("vector engine: a crash mid-stream is retryable and write never throws", async () => {
  const { options } = setup("crash");
  const sink = new VectorSink(delivery, path, await options());
  for (let i = 0; i < 50; i++) await sink.write(chunk(2000, i * 2000));
  const report = await sink.finish();
  assert.equal(report.outcome, "retryable");
  assert.match(report.code ?? "", /^Vector(Failed|StdinClosed)$/);
});

Deno.test("vector engine: a hung Vector is killed at the timeout; retryable; its directory removed", async () => {
  const { options, readReport } = setup("hang", 5_000);
  const sink = new VectorSink(delivery, path, await options());
  await sink.write(chunk(5));
  const report = await sink.finish();
  assert.equal(report.outcome, "retryable");
  assert.equal(report.code, "VectorTimeout");
  const seen = await readReport();
  assert.equal(await exists(`/proc/${seen.pid}`), false, "the stand-in is still running");
  assert.equal(await exists(seen.cwd), false);
});

Deno.test("vector engine: invented options make (the stand-in of) Vector exit 78: permanent", async () => {
  const { options } = setup("ok");
  const opts = await options();
  const proc = await VectorProcess.start({
    bin: opts.bin,
    timeoutMs: 60_000,
    env: {},
    secrets: [],
    config: (d) => ({ data_dir: d, sources: { in: { type: "stdin", framing: { method: "x", wat: 1 } } } }),
  });
  assert.ok(proc instanceof VectorProcess);
  const run = await proc.finish();
  assert.equal(run.exit.code, 78);
  assert.match(run.errorLines.join("\n"), /sources\.in\.framing\.wat/);
  assert.equal(await exists(run.dir), false);
});

Deno.test("vector engine: a missing binary is a permanent VectorNotFound and leaves nothing behind", async () => {
  const run = await VectorProcess.start({
    bin: `${dir}/no-such-vector`,
    timeoutMs: 60_000,
    env: {},
    secrets: [],
    config: () => ({}),
  });
  assert.ok(!(run instanceof VectorProcess));
  assert.ok(run.exit.spawnError);
  assert.equal(await exists(run.dir), false);
  const { options } = setup("ok");
  const sink = new VectorSink(delivery, path, { ...(await options()), bin: `${dir}/no-such-vector` });
  await sink.write(chunk(1));
  const report = await sink.finish();
  assert.equal(report.outcome, "permanent");
  assert.equal(report.code, "VectorNotFound");
});

Deno.test("vector engine: secrets Vector prints are scrubbed from the result and the logs", async () => {
  const { options, lines } = setup("leak");
  const sink = new VectorSink(delivery, path, await options());
  await sink.write(chunk(1));
  const report = await sink.finish();
  assert.equal(report.outcome, "retryable");
  assert.match(report.reason ?? "", /\[redacted\]/);
  const everything = JSON.stringify(report) + lines.join("\n");
  for (const secret of Object.values(CREDENTIALS)) assert.equal(everything.includes(secret), false);
});

Deno.test("vector engine: abort kills Vector; nothing to send starts nothing", async () => {
  const { options, readReport } = setup("hang");
  const sink = new VectorSink(delivery, path, await options());
  await sink.write(chunk(3));
  // Let the stand-in start and say who it is before the object "fails".
  for (let i = 0; i < 600 && !(await exists(readReport.path)); i++) await new Promise((r) => setTimeout(r, 50));
  const report = await sink.abort("gzip data is corrupt");
  assert.equal(report.code, "Aborted");
  const seen = await readReport();
  assert.equal(await exists(`/proc/${seen.pid}`), false);
  assert.equal(await exists(seen.cwd), false);

  const idle = new VectorSink(delivery, path, await setup("crash").options());
  await idle.write({ events: [{ timestamp: 1_000, message: "ancient" }], lines: ["{}"] });
  const idleReport = await idle.finish();
  assert.equal(idleReport.outcome, "delivered");
  assert.deepEqual(idleReport.rejected, { too_old: 1 });
  assert.deepEqual(idleReport.api_calls, {});
});

Deno.test("vector engine: expired credentials are retryable and reported so the next run gets fresh ones", async () => {
  const { options } = setup("expired");
  const expired: string[] = [];
  const sink = new VectorSink(delivery, path, {
    ...(await options()),
    onCredentialsExpired: () => expired.push(delivery.deliveryId),
  });
  await sink.write(chunk(2));
  const report = await sink.finish();
  assert.equal(report.outcome, "retryable");
  assert.deepEqual(expired, ["cloudwatch"]);
});
