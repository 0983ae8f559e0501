// deno-lint-ignore-file no-explicit-any
import assert from "node:assert/strict";
import { parseObjectKey } from "../../src/notification/parse_key.ts";
import { parseOptions, type S3Options } from "./options.ts";
import { fileTime, fleet, OBJECT_WINDOW_MS, objectNdjson, planObjects } from "./s3_objects.ts";
import { Random } from "./random.ts";

const TIME = "2026-03-04T05:06:07Z";
const options = (extra = "") =>
  parseOptions(
    `--s3 --bucket b --tenants 2 --clusters 2 --apps 3 --pods 2 --time ${TIME} ${extra}`.trim().split(" "),
  ) as S3Options;

Deno.test("the fleet has every tenant x cluster x app x pod", () => {
  const o = options("--seed 1");
  const pods = fleet(o, new Random(o.seed));
  assert.equal(pods.length, 2 * 2 * 3 * 2);
  assert.equal(new Set(pods.map((p) => p.podName)).size, pods.length);
  assert.deepEqual([...new Set(pods.map((p) => p.clusterId))], ["prod-1", "staging-1"]);
});

Deno.test("planned keys follow DESIGN 1.1, cover every pod and end at --time", () => {
  const o = options("--objects 30 --seed 2");
  const pods = fleet(o, new Random(o.seed));
  const plans = planObjects(o, pods);
  assert.equal(plans.length, 30);
  for (const p of plans) {
    const path = parseObjectKey(p.key);
    assert.deepEqual(
      [path.customerId, path.clusterId, path.application, path.podName],
      [p.pod.customerId, p.pod.clusterId, p.pod.application, p.pod.podName],
    );
    assert.match(
      path.fileName,
      /^\d{8}-\d{6}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.json\.gz$/,
    );
    assert.ok(path.fileName.startsWith(fileTime(p.end)));
  }
  assert.equal(new Set(plans.map((p) => p.pod.podName)).size, pods.length);
  assert.equal(new Set(plans.map((p) => p.key)).size, 30);
  assert.equal(Math.max(...plans.map((p) => p.end.getTime())), Date.parse(TIME));
  assert.equal(fileTime(new Date(TIME)), "20260304-050607");
});

Deno.test("an object holds its events in time order within its window", () => {
  const o = options("--objects 4 --events-per-object 250 --min-message-size 100 --max-message-size 200 --seed 3");
  const [plan] = planObjects(o, fleet(o, new Random(o.seed)));
  const records = objectNdjson(plan!, o).trimEnd().split("\n").map((l) => JSON.parse(l)) as any[];
  assert.equal(records.length, 250);
  const times = records.map((r) => Date.parse(r.timestamp));
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  assert.ok(times[0]! > plan!.end.getTime() - OBJECT_WINDOW_MS && times.at(-1)! <= plan!.end.getTime());
  for (const r of records) {
    assert.equal(r.customer_id, plan!.pod.customerId);
    assert.equal(r.pod_name, plan!.pod.podName);
    assert.ok(r.message.length >= 100 && r.message.length <= 200);
  }
});

Deno.test("a seed reproduces keys and content; another seed changes them", () => {
  const run = (seed: number) => {
    const o = options(`--objects 5 --events-per-object 3 --seed ${seed}`);
    const plans = planObjects(o, fleet(o, new Random(o.seed)));
    return plans.map((p) => [p.key, objectNdjson(p, o)]);
  };
  assert.deepEqual(run(9), run(9));
  assert.notDeepEqual(run(9)[0]![0], run(10)[0]![0]);
});
