// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { parseOptions, type StdoutOptions } from "./options.ts";
import { type BatchStats, writeBatches } from "./stdout_batches.ts";

async function run(args: string) {
  const options = parseOptions(args.split(" ")) as StdoutOptions;
  const chunks: string[] = [];
  const sleeps: number[] = [];
  const reports: BatchStats[] = [];
  let clock = Date.parse("2026-03-04T05:06:07Z");
  const final = await writeBatches(options, {
    write: (c) => Promise.resolve(void chunks.push(new TextDecoder().decode(c))),
    sleep: (ms) => Promise.resolve(void sleeps.push(ms)),
    now: () => clock++,
    report: (s) => void reports.push(s),
  });
  return { chunks, sleeps, reports, final };
}

Deno.test("batches: the requested count, each within the size bounds, paused within the sleep bounds", async () => {
  const { chunks, sleeps, reports, final } = await run(
    "--total-batches 40 --min-batch-size 3 --max-batch-size 7 --min-sleep 0.5 --max-sleep 1.5 --seed 11",
  );
  assert.equal(chunks.length, 40);
  const sizes = chunks.map((c) => c.trimEnd().split("\n").length);
  for (const n of sizes) assert.ok(n >= 3 && n <= 7, `batch of ${n}`);
  assert.ok(new Set(sizes).size > 1, "batch sizes vary");
  assert.equal(sleeps.length, 39, "no pause after the last batch");
  for (const ms of sleeps) assert.ok(ms >= 500 && ms < 1500, `${ms} ms`);
  assert.deepEqual(reports.map((r) => r.batch), Array.from({ length: 40 }, (_, i) => i + 1));
  assert.equal(final.records, sizes.reduce((a, b) => a + b));
  assert.equal(final.bytes, new TextEncoder().encode(chunks.join("")).length);
});

Deno.test("records are Vector input for the given pod, with messages within the size bounds", async () => {
  const { chunks } = await run(
    "--total-batches 5 --min-batch-size 20 --max-batch-size 20 --min-sleep 0 --max-sleep 0 --customer-id globex --cluster-id eu-2 --application billing --pod-name billing-0 --min-message-size 150 --max-message-size 300 --format logfmt --seed 5",
  );
  const records = chunks.join("").trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(records.length, 100);
  for (const r of records as any[]) {
    assert.deepEqual(r.kubernetes.pod_annotations, {
      application: "billing",
      "cluster-id": "eu-2",
      "customer-id": "globex",
      environment: "development",
    });
    assert.equal(r.kubernetes.pod_name, "billing-0");
    assert.ok(r.message.length >= 150 && r.message.length <= 300);
    assert.match(r.message, /^time="/);
    assert.equal(new Date(r.timestamp).toISOString(), r.timestamp);
  }
});

Deno.test("a seed reproduces the same output", async () => {
  const args = "--total-batches 3 --min-sleep 0 --max-sleep 0 --seed 77";
  assert.deepEqual((await run(args)).chunks, (await run(args)).chunks);
});
