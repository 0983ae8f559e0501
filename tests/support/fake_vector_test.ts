/**
 * The Vector stand-in itself, run as the engine runs Vector: for every
 * observed 0.58.0 fault it prints exactly that run's stdout and exits with its
 * status once stopped, with the sink's counters (drops, no confirmation) on
 * the console sink's stream; on the happy path it confirms every event; and
 * like Vector it exits by itself only when every source has ended.
 */
import assert from "node:assert/strict";
import { vectorCloudWatchConfig } from "../../src/delivery/vector/vector_config.ts";

import { fakeVectorBin } from "./fake_vector.ts";
import { observedFaults } from "./vector_reference.ts";

const dir = await Deno.makeTempDir({ prefix: "fake-vector-test-" });
const config = vectorCloudWatchConfig({
  group: "/customer/acme/k8s",
  stream: "prod-1/api/api-7f9",
  region: "us-east-1",
  maxBatchSize: 100,
  retry: { retries: 0, baseDelayMs: 100, maxDelayMs: 1000 },
  dataDir: dir,
});
/** The command line the engine gives Vector (src/delivery/vector/vector_process.ts). */
const vectorArgs = (path: string) => [
  "--config",
  path,
  "--log-format",
  "json",
  "--color",
  "never",
  "--graceful-shutdown-limit-secs",
  "10",
];
const events = (n: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ timestamp_ms: Date.now(), message: `m${i}` }) + "\n").join("");

/** Runs the stand-in in `mode` on `cfg` with `input`; SIGTERM once `stop` says so (or never). */
async function run(mode: string, cfg: unknown, input: string, stop?: (stderr: string) => boolean) {
  const path = `${dir}/${crypto.randomUUID()}.json`;
  await Deno.writeTextFile(path, JSON.stringify(cfg));
  const child = new Deno.Command(await fakeVectorBin(mode, dir), {
    args: vectorArgs(path),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  let stderr = "";
  const decoder = new TextDecoder();
  const stdout = new Response(child.stdout).text();
  for await (const chunk of child.stderr) {
    stderr += decoder.decode(chunk, { stream: true });
    if (stop?.(stderr)) {
      child.kill("SIGTERM");
      stop = undefined;
    }
  }
  const status = await child.status;
  return { stdout: await stdout, stderr, code: status.code, signal: status.signal };
}

const metrics = (stderr: string) => stderr.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));

Deno.test("stand-in: every observed fault is replayed verbatim, exit status as observed, drops counted", async () => {
  for (const fault of observedFaults()) {
    const out = await run(fault.name, config, events(3), (e) => e.includes("component_discarded_events_total"));
    assert.equal(out.stdout, fault.stdout, fault.name);
    assert.equal(out.code, fault.exit, fault.name);
    const counters = metrics(out.stderr);
    assert.ok(counters.length > 0, fault.name);
    for (const m of counters) {
      assert.deepEqual(Object.keys(m), ["name", "namespace", "tags", "timestamp", "kind", "counter"]);
      assert.equal(m.tags.component_id, "cloudwatch");
      assert.equal(m.tags.component_kind, "sink");
      assert.equal(m.tags.component_type, "aws_cloudwatch_logs");
      assert.notEqual(m.name, "component_sent_events_total", "nothing was sent, so nothing is confirmed");
    }
    const dropped = counters.find((m) => m.name === "component_discarded_events_total");
    assert.deepEqual(dropped.counter, { value: 3 });
    assert.equal(dropped.tags.intentional, "false");
    assert.match(out.stderr, /"counter":\{"value":3\.0\}/, "serde_json's float form");
  }
});

Deno.test("stand-in: the happy path confirms every event on the console sink's stream, logs nothing", async () => {
  const out = await run("ok", config, events(7), (e) => e.includes("component_sent_events_total"));
  assert.equal(out.stdout, "");
  assert.equal(out.code, 0);
  const [sent] = metrics(out.stderr);
  assert.equal(sent.name, "component_sent_events_total");
  assert.equal(sent.kind, "absolute");
  assert.deepEqual(sent.counter, { value: 7 });
  assert.deepEqual(Object.keys(sent.tags), ["component_id", "component_kind", "component_type", "host"]);
});

Deno.test("stand-in: without internal_metrics it exits when stdin ends, as Vector does", async () => {
  const sources = { events: (config.sources as Record<string, unknown>).events };
  const transforms = { timestamps: (config.transforms as Record<string, unknown>).timestamps };
  const sinks = { cloudwatch: (config.sinks as Record<string, unknown>).cloudwatch };
  const fault = observedFaults()[0];
  const out = await run(fault!.name, { ...config, sources, transforms, sinks }, events(1));
  assert.equal(out.stdout, fault!.stdout);
  assert.equal(out.code, 0);
  assert.equal(out.stderr, "", "no metrics pipeline, no metrics");
});
