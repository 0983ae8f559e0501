import assert from "node:assert/strict";
import type { Delivery } from "../../tenant/delivery.ts";
import { type DeliveryReport, emptyReport } from "../../results.ts";
import {
  alreadyDeliveredReport,
  completedToRemember,
  expiryOf,
  pendingDeliveries,
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

const report = (id: string, outcome: DeliveryReport["outcome"]): DeliveryReport => ({
  ...emptyReport({ delivery_id: id, type: "cloudwatch", destination: "x" }),
  outcome,
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

Deno.test("pendingDeliveries: completed deliveries are skipped, the rest kept in order", () => {
  assert.deepEqual(pendingDeliveries([cw, s3], new Set()), { todo: [cw, s3], done: [] });
  assert.deepEqual(pendingDeliveries([cw, s3], new Set(["cloudwatch", "gone"])), { todo: [s3], done: [cw] });
});

Deno.test("completedToRemember: only when something failed and something succeeded", () => {
  assert.equal(completedToRemember([report("a", "delivered"), report("b", "delivered")]), undefined);
  assert.equal(completedToRemember([report("a", "retryable"), report("b", "permanent")]), undefined);
  assert.deepEqual(completedToRemember([report("b", "delivered"), report("a", "permanent")]), ["b"]);
  assert.deepEqual(completedToRemember([report("c", "retryable")], new Set(["a"])), ["a"]);
  assert.deepEqual(completedToRemember([report("c", "delivered"), report("d", "retryable")], new Set(["a"])), [
    "a",
    "c",
  ]);
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
