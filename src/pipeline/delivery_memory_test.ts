import assert from "node:assert/strict";
import type { DeliveryProgress } from "../delivery/state/delivery_state.ts";
import type { ObjectBody } from "../ingest/object_source.ts";
import { awsError, streamOf } from "../../tests/support/fakes.ts";
import { FakeDeliveryState, FakeTagger } from "../../tests/support/pipeline_fakes.ts";
import { createLogger } from "../telemetry/logger.ts";
import { type CheckpointPolicy, type MemoryDeps, ObjectMemory } from "./delivery_memory.ts";

const REF = { bucket: "central", key: "acme/c/api/p/f.json.gz" };
const PK = "central/acme/c/api/p/f.json.gz#e1";

function setup(options: { tagCount?: number; checkpoint?: CheckpointPolicy } = {}) {
  const store = new FakeDeliveryState();
  const tagger = new FakeTagger();
  const lines: string[] = [];
  let clock = 0;
  const deps: MemoryDeps = {
    store,
    tagger,
    checkpoint: options.checkpoint ?? { everyMs: 0, everyEvents: 0 },
    logger: createLogger("warn", (l) => lines.push(l)),
    now: () => clock,
  };
  const body: ObjectBody = { chunks: streamOf(), eTag: '"e1"', tagCount: options.tagCount };
  const open = (attempt: { receiveCount?: number; ignoreProgress?: boolean } = {}) =>
    ObjectMemory.open(deps, { ref: REF, body }, attempt);
  return { store, tagger, lines, open, tick: (ms: number) => (clock += ms) };
}

const at = (deliveryId: string, handled: number, completed = false): DeliveryProgress => ({
  deliveryId,
  completed,
  handled,
});

Deno.test("recall: only for a tagged object or a message received before; never when ignoring progress", async () => {
  for (
    const [tagCount, receiveCount, ignoreProgress, reads] of [
      [undefined, 1, false, 0],
      [0, undefined, false, 0],
      [1, 1, false, 1],
      [0, 2, false, 1],
      [3, 5, true, 0],
    ] as const
  ) {
    const { store, open } = setup({ tagCount });
    store.set(PK, ["archive"], { cloudwatch: 700 });
    const memory = await open({ receiveCount, ignoreProgress });
    assert.equal(store.reads.length, reads, JSON.stringify({ tagCount, receiveCount, ignoreProgress }));
    assert.deepEqual([...memory.recalled.completed], reads ? ["archive"] : []);
    assert.equal(memory.recalled.progress.get("cloudwatch"), reads ? 700 : undefined);
  }
});

Deno.test("settle: an object completed in one go, untagged, writes nothing; an incomplete one writes and tags once", async () => {
  const quiet = setup();
  await (await quiet.open()).settle([at("cloudwatch", 50, true), at("archive", 0, true)]);
  assert.deepEqual([quiet.store.writes, quiet.tagger.marked], [[], []]);

  const { store, tagger, open } = setup();
  const memory = await open();
  await memory.settle([at("cloudwatch", 1200), at("archive", 0, true)]);
  await memory.settle([at("cloudwatch", 1200), at("archive", 0, true)]); // nothing new: no second write
  assert.deepEqual(store.writes, [{ pk: PK, ids: ["archive"], progress: { cloudwatch: 1200 } }]);
  assert.deepEqual(tagger.marked, [{ key: REF.key, tagCount: 0 }]);
});

Deno.test("settle: once state exists, completing writes it, so a late copy of the message sends nothing", async () => {
  const { store, tagger, open } = setup({ tagCount: 1 });
  store.set(PK, [], { cloudwatch: 1200 });
  const memory = await open();
  await memory.settle([at("cloudwatch", 3000, true)]);
  assert.deepEqual(store.writes, [{ pk: PK, ids: ["cloudwatch"] }]);
  assert.deepEqual(tagger.marked, [], "a tagged object with state carries our tag already");
});

Deno.test("checkpoint: by time and by events, only when progress grew", async () => {
  const timed = setup({ checkpoint: { everyMs: 1000, everyEvents: 0 } });
  const memory = await timed.open();
  await memory.checkpoint(() => [at("cloudwatch", 100)]);
  timed.tick(999);
  await memory.checkpoint(() => [at("cloudwatch", 200)]);
  assert.equal(timed.store.writes.length, 0);
  timed.tick(1);
  await memory.checkpoint(() => [at("cloudwatch", 300)]);
  timed.tick(1000);
  await memory.checkpoint(() => [at("cloudwatch", 300)]); // due, but nothing new
  assert.deepEqual(timed.store.writes, [{ pk: PK, ids: [], progress: { cloudwatch: 300 } }]);
  assert.equal(timed.tagger.marked.length, 1);

  const counted = setup({ checkpoint: { everyMs: 0, everyEvents: 500 } });
  const byEvents = await counted.open();
  for (const handled of [100, 499, 500, 900, 1000, 1001]) await byEvents.checkpoint(() => [at("cloudwatch", handled)]);
  assert.deepEqual(counted.store.writes.map((w) => w.progress?.cloudwatch), [500, 1000]);
});

Deno.test("completed: the deliveries of an object whose message failed are remembered as completed", async () => {
  const { store, open } = setup();
  const memory = await open();
  await memory.completed(["cloudwatch", "archive"]);
  await memory.completed(["cloudwatch"]);
  assert.deepEqual(store.writes, [{ pk: PK, ids: ["archive", "cloudwatch"] }]);
});

Deno.test("outages of the table or the tagging only log; tagging is not retried within an attempt", async () => {
  const { store, tagger, lines, open } = setup({ tagCount: 2 });
  store.failWith = awsError("InternalServerError", 500);
  const memory = await open({ receiveCount: 3 });
  assert.equal(memory.recalled.completed.size, 0);
  await memory.settle([at("cloudwatch", 10)]);
  assert.deepEqual(tagger.marked, [], "no tag without stored state");
  store.failWith = undefined;
  tagger.failWith = awsError("AccessDenied", 403);
  await memory.settle([at("cloudwatch", 20)]);
  await memory.settle([at("cloudwatch", 30)]);
  assert.deepEqual(store.writes.map((w) => w.progress?.cloudwatch), [10, 20, 30]);
  assert.deepEqual(tagger.marked, [{ key: REF.key, tagCount: 2 }]);
  assert.deepEqual(lines.map((l) => JSON.parse(l).msg), [
    "cannot read delivery state; delivering from the first event",
    "cannot write delivery state; a retry will deliver from the last state known",
    "cannot tag the object as having delivery state; only a later receive of its message finds it",
  ]);
});

Deno.test("without a table or without an ETag the memory is off", async () => {
  const lines: string[] = [];
  const deps: MemoryDeps = {
    checkpoint: { everyMs: 1, everyEvents: 1 },
    logger: createLogger("warn", (l) => lines.push(l)),
    now: () => 0,
  };
  const memory = await ObjectMemory.open(deps, { ref: REF, body: { chunks: streamOf(), tagCount: 1 } }, {
    receiveCount: 9,
  });
  await memory.checkpoint(() => [at("cloudwatch", 10)]);
  await memory.settle([at("cloudwatch", 10)]);
  const store = new FakeDeliveryState();
  const noTag = await ObjectMemory.open({ ...deps, store }, { ref: REF, body: { chunks: streamOf() } }, {
    receiveCount: 9,
  });
  await noTag.settle([at("cloudwatch", 10)]);
  assert.deepEqual([store.reads, store.writes, lines], [[], [], []]);
});
