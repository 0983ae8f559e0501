import assert from "node:assert/strict";
import type { Delivery } from "../../tenant/delivery.ts";
import {
  alreadyDeliveredReport,
  type DeliveryState,
  expiryOf,
  isEmptyState,
  mergeProgress,
  NO_STATE,
  planDeliveries,
  stateGrew,
  stateKey,
} from "./delivery_state.ts";

const base = {
  tenantId: "acme",
  enabled: true,
  roleArn: "arn:aws:iam::210987654321:role/log-delivery",
  externalId: "ext-123",
  applications: [],
};
const cw: Delivery = { ...base, deliveryId: "cloudwatch", type: "cloudwatch", logGroupName: "/acme" };
const s3: Delivery = { ...base, deliveryId: "archive", type: "s3", bucketName: "acme-logs", bucketPrefix: "" };
const state = (completed: string[], progress: [string, number][] = []): DeliveryState => ({
  completed: new Set(completed),
  progress: new Map(progress),
});

Deno.test("stateKey: one key per object version; no ETag, no key", () => {
  assert.equal(
    stateKey("central", "acme/c/api/p/f.json.gz", '"9b2cf535f27731c974343645a3985328"'),
    "central/acme/c/api/p/f.json.gz#9b2cf535f27731c974343645a3985328",
  );
  assert.equal(stateKey("central", "k", "abc-2"), "central/k#abc-2");
  assert.equal(stateKey("central", "k", undefined), undefined);
  assert.equal(stateKey("central", "k", '""'), undefined);
});

Deno.test("planDeliveries: completed deliveries are done, the others skip what they had handled, in order", () => {
  assert.deepEqual(planDeliveries([cw, s3], NO_STATE), {
    todo: [{ delivery: cw, skip: 0 }, { delivery: s3, skip: 0 }],
    done: [],
  });
  assert.deepEqual(planDeliveries([cw, s3], state(["archive", "gone"], [["cloudwatch", 7000]])), {
    todo: [{ delivery: cw, skip: 7000 }],
    done: [s3],
  });
});

Deno.test("mergeProgress: completions add up, progress only grows and is dropped once complete", () => {
  const before = state(["archive"], [["cloudwatch", 5000], ["audit", 100]]);
  const after = mergeProgress(before, [
    { deliveryId: "cloudwatch", completed: false, handled: 3000 }, // a slower concurrent copy
    { deliveryId: "audit", completed: true, handled: 0 },
    { deliveryId: "second", completed: false, handled: 40 },
    { deliveryId: "idle", completed: false, handled: 0 },
  ]);
  assert.deepEqual(after, state(["archive", "audit"], [["cloudwatch", 5000], ["second", 40]]));
  assert.deepEqual(before, state(["archive"], [["cloudwatch", 5000], ["audit", 100]]), "the input is unchanged");
});

Deno.test("stateGrew: only new completions or higher progress count", () => {
  const known = state(["archive"], [["cloudwatch", 5000]]);
  assert.equal(stateGrew(known, known), false);
  assert.equal(stateGrew(known, state(["archive"], [["cloudwatch", 4000]])), false);
  assert.equal(stateGrew(known, state(["archive"], [["cloudwatch", 5001]])), true);
  assert.equal(stateGrew(known, state(["archive", "cloudwatch"])), true);
  assert.equal(stateGrew(NO_STATE, NO_STATE), false);
  assert.equal(isEmptyState(NO_STATE), true);
  assert.equal(isEmptyState(known), false);
});

Deno.test("alreadyDeliveredReport: counts as delivered, says why, counts nothing", () => {
  const r = alreadyDeliveredReport(s3);
  assert.equal(r.outcome, "delivered");
  assert.equal(r.code, "AlreadyDelivered");
  assert.equal(r.events_delivered, 0);
  assert.equal(r.destination, "s3://acme-logs/");
});

Deno.test("expiryOf: epoch seconds plus the TTL", () => {
  assert.equal(expiryOf(1_700_000_000_500, 86_400), 1_700_086_400);
});
