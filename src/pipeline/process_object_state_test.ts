import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { awsError, cloudWatchDelivery } from "../../tests/support/fakes.ts";
import { FakeDeliveryState, FakeTagger, FakeWorld } from "../../tests/support/pipeline_fakes.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import { permanent } from "../errors.ts";
import { snsBody } from "../../tests/support/fixtures.ts";
import type { S3Delivery } from "../tenant/delivery.ts";
import { processMessage } from "./process_message.ts";
import { processObject } from "./process_object.ts";

const REF: ObjectRef = { bucket: "central-logs", key: "acme/prod-1/api/api-7f9/f.json.gz", eTag: '"e1"' };
const PK = "central-logs/acme/prod-1/api/api-7f9/f.json.gz#e1";
const archive: S3Delivery = {
  ...cloudWatchDelivery(),
  type: "s3",
  deliveryId: "archive",
  bucketName: "acme-logs",
  bucketPrefix: "",
};

function world(state = new FakeDeliveryState(), tagCount?: number) {
  const w = new FakeWorld();
  const tagger = new FakeTagger();
  w.tenants.set("acme", { tenantId: "acme", deliveries: [cloudWatchDelivery(), archive], invalid: [] });
  w.putObject(REF.bucket, REF.key, { chunks: ['{"message":"a"}\n{"message":"b"}\n'], eTag: '"e1"', tagCount });
  w.resumable.add("cloudwatch");
  return { w, state, tagger, deps: { ...w.deps(), deliveryState: state, progressTagger: tagger } };
}

const sent = (w: FakeWorld) => w.sinks.map((s) => [s.delivery.deliveryId, s.events.map((e) => e.message)]);

Deno.test("delivery state: the happy path neither reads nor writes it, nor tags the object", async () => {
  const { state, tagger, deps } = world();
  equal((await processObject(REF, deps)).outcome, "delivered");
  equal((await processObject(REF, deps, { receiveCount: 1 })).outcome, "delivered");
  deepEqual([state.reads, state.writes, tagger.marked], [[], [], []]);
});

Deno.test("delivery state: a partial failure is remembered and tagged; the retry sends only to the failed delivery", async () => {
  const { w, state, tagger, deps } = world();
  w.sinkResults.set("archive", { outcome: "retryable", code: "SlowDown", reason: "slow down" });
  const first = await processObject(REF, deps, { receiveCount: 1 });
  equal(first.outcome, "retryable");
  deepEqual(state.writes, [{ pk: PK, ids: ["cloudwatch"] }]);
  deepEqual(tagger.marked, [{ key: REF.key, tagCount: 0 }]);

  w.sinkResults.delete("archive");
  w.sinks.length = 0;
  const retry = await processObject(REF, deps, { receiveCount: 2 });
  equal(retry.outcome, "delivered");
  equal(retry.reason, undefined);
  deepEqual(state.reads, [PK]);
  deepEqual(sent(w), [["archive", ["a", "b"]]]);
  deepEqual(retry.deliveries.map((d) => [d.delivery_id, d.outcome, d.code]), [
    ["cloudwatch", "delivered", "AlreadyDelivered"],
    ["archive", "delivered", undefined],
  ]);
  deepEqual(state.writes.at(-1), { pk: PK, ids: ["archive", "cloudwatch"] }, "now complete: a late copy sends nothing");
});

Deno.test("delivery state: a redriven message (receive count 1) finds the progress through the object's tag", async () => {
  const { w, state, deps } = world(new FakeDeliveryState(), 1);
  state.set(PK, ["archive"], { cloudwatch: 1 });
  const result = await processObject(REF, deps, { receiveCount: 1 });
  equal(result.outcome, "delivered");
  deepEqual(sent(w), [["cloudwatch", ["b"]]], "the first event was accepted before: only the second is sent");
  deepEqual(result.deliveries.map((d) => [d.delivery_id, d.code, d.resumed_from, d.events_delivered]), [
    ["archive", "AlreadyDelivered", undefined, 0],
    ["cloudwatch", undefined, 1, 1],
  ]);
  equal(result.events_read, 2, "the object is read whole: ordinals count from its first event");
});

Deno.test("delivery state: when every delivery completed before, the object is not read and stays delivered", async () => {
  const { w, state, deps } = world(new FakeDeliveryState(), 1);
  state.set(PK, ["archive", "cloudwatch"]);
  const result = await processObject(REF, deps);
  deepEqual([result.outcome, result.events_read, w.sinks.length], ["delivered", 0, 0]);
  deepEqual(w.discarded, [`${REF.bucket}/${REF.key}`]);
  deepEqual(state.writes, []);
});

Deno.test("delivery state: replay (ignoreProgress) delivers everything again and reads nothing", async () => {
  const { w, state, deps } = world(new FakeDeliveryState(), 1);
  state.set(PK, ["archive", "cloudwatch"]);
  equal((await processObject(REF, deps, { ignoreProgress: true, receiveCount: 4 })).outcome, "delivered");
  deepEqual([state.reads, sent(w).map(([id]) => id)], [[], ["cloudwatch", "archive"]]);
});

Deno.test("delivery state: a read failure flushes what resumes and remembers it; the rest is aborted", async () => {
  const { w, state, deps } = world();
  w.putObject(REF.bucket, REF.key, {
    chunks: ['{"message":"a"}\n', '{"message":"b"}\n'],
    streamError: permanent("CorruptGzip", "gzip data is corrupt or truncated"),
  });
  const result = await processObject(REF, deps);
  deepEqual([result.outcome, result.code], ["permanent", "CorruptGzip"]);
  const [cloudwatch, s3] = w.sinks;
  deepEqual([cloudwatch!.finished, cloudwatch!.events.length, s3!.abortedWith], [
    true,
    2,
    "gzip data is corrupt or truncated",
  ]);
  deepEqual(result.deliveries.map((d) => [d.delivery_id, d.outcome, d.code]), [
    ["cloudwatch", "permanent", "CorruptGzip"],
    ["archive", "permanent", "Aborted"],
  ]);
  deepEqual(state.writes, [{ pk: PK, ids: [], progress: { cloudwatch: 2 } }], "read, sent, not completed");
});

Deno.test("delivery state: when the table is down every delivery is sent again (at least once)", async () => {
  const { w, state, deps } = world();
  state.set(PK, ["cloudwatch"]);
  state.failWith = awsError("InternalServerError", 500);
  const result = await processObject(REF, deps, { receiveCount: 3 });
  equal(result.outcome, "delivered");
  deepEqual(sent(w).map(([id]) => id), ["cloudwatch", "archive"]);
});

Deno.test("delivery state: an object delivered in a message that failed is remembered as completed", async () => {
  const { w, state, deps } = world();
  const body = snsBody(REF.bucket, REF.key, "acme/not-the-layout.json.gz");
  const first = await processMessage(body, deps, { receiveCount: 1 });
  deepEqual([first.outcome, first.objects.map((o) => o.outcome)], ["permanent", ["delivered", "permanent"]]);
  deepEqual(state.writes, [{ pk: PK, ids: ["archive", "cloudwatch"] }]);
  w.putObject(REF.bucket, REF.key, { chunks: ['{"message":"a"}\n{"message":"b"}\n'], eTag: '"e1"', tagCount: 1 });
  w.sinks.length = 0;
  const again = await processMessage(body, deps, { receiveCount: 1 });
  deepEqual([again.outcome, w.sinks.length, state.writes.length], ["permanent", 0, 1]);
});
