import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { awsError, cloudWatchDelivery } from "../../tests/support/fakes.ts";
import { FakeDeliveryState, FakeWorld } from "../../tests/support/pipeline_fakes.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import type { S3Delivery } from "../tenant/delivery.ts";
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

function world(state: FakeDeliveryState) {
  const w = new FakeWorld();
  w.tenants.set("acme", { tenantId: "acme", deliveries: [cloudWatchDelivery(), archive], invalid: [] });
  w.putObject(REF.bucket, REF.key, { chunks: ['{"message":"a"}\n{"message":"b"}\n'] });
  return { w, deps: { ...w.deps(), deliveryState: state } };
}

Deno.test("delivery state: the happy path neither reads nor writes it", async () => {
  const state = new FakeDeliveryState();
  const { deps } = world(state);
  equal((await processObject(REF, deps)).outcome, "delivered");
  equal((await processObject(REF, deps, { receiveCount: 1 })).outcome, "delivered");
  deepEqual([state.reads, state.writes], [[], []]);
});

Deno.test("delivery state: a partial failure is remembered and the retry sends only to the failed delivery", async () => {
  const state = new FakeDeliveryState();
  const { w, deps } = world(state);
  w.sinkResults.set("archive", { outcome: "retryable", code: "SlowDown", reason: "slow down" });
  const first = await processObject(REF, deps, { receiveCount: 1 });
  equal(first.outcome, "retryable");
  deepEqual(state.writes, [{ pk: PK, ids: ["cloudwatch"] }]);

  w.sinkResults.delete("archive");
  w.sinks.length = 0;
  const retry = await processObject(REF, deps, { receiveCount: 2 });
  equal(retry.outcome, "delivered");
  equal(retry.reason, undefined);
  deepEqual(state.reads, [PK]);
  deepEqual(w.sinks.map((s) => s.delivery.deliveryId), ["archive"]);
  deepEqual(retry.deliveries.map((d) => [d.delivery_id, d.outcome, d.code]), [
    ["cloudwatch", "delivered", "AlreadyDelivered"],
    ["archive", "delivered", undefined],
  ]);
  equal(state.writes.length, 1);
});

Deno.test("delivery state: when the table is down every delivery is sent again (at least once)", async () => {
  const state = new FakeDeliveryState();
  state.items.set(PK, new Set(["cloudwatch"]));
  state.failWith = awsError("InternalServerError", 500);
  const { w, deps } = world(state);
  const result = await processObject(REF, deps, { receiveCount: 3 });
  equal(result.outcome, "delivered");
  deepEqual(w.sinks.map((s) => s.delivery.deliveryId), ["cloudwatch", "archive"]);
});
