import assert from "node:assert/strict";
import { type DeliveryReport, emptyReport } from "../results.ts";
import { awsError } from "../../tests/support/fakes.ts";
import { FakeDeliveryState } from "../../tests/support/pipeline_fakes.ts";
import { createLogger } from "../telemetry/logger.ts";
import { recallCompleted, rememberCompleted } from "./delivery_memory.ts";

const report = (id: string, outcome: DeliveryReport["outcome"]): DeliveryReport => ({
  ...emptyReport({ delivery_id: id, type: "s3", destination: "x" }),
  outcome,
});

Deno.test("recallCompleted: reads only for a message received before", async () => {
  const store = new FakeDeliveryState();
  store.items.set("pk", new Set(["cloudwatch"]));
  const logger = createLogger("error", () => {});
  assert.deepEqual(await recallCompleted(store, { pk: "pk", receiveCount: undefined, logger }), new Set());
  assert.deepEqual(await recallCompleted(store, { pk: "pk", receiveCount: 1, logger }), new Set());
  assert.deepEqual(store.reads, []);
  assert.deepEqual(await recallCompleted(store, { pk: "pk", receiveCount: 2, logger }), new Set(["cloudwatch"]));
  assert.deepEqual(await recallCompleted(undefined, { pk: "pk", receiveCount: 5, logger }), new Set());
  assert.deepEqual(await recallCompleted(store, { pk: undefined, receiveCount: 5, logger }), new Set());
  assert.deepEqual(store.reads, ["pk"]);
});

Deno.test("rememberCompleted: writes only after a partial failure; outages only log", async () => {
  const store = new FakeDeliveryState();
  const lines: string[] = [];
  const logger = createLogger("warn", (l) => lines.push(l));
  await rememberCompleted(store, {
    pk: "pk",
    reports: [report("a", "delivered")],
    previously: new Set(),
    logger,
    nowMs: 0,
  });
  assert.deepEqual(store.writes, []);
  await rememberCompleted(store, {
    pk: "pk",
    reports: [report("a", "delivered"), report("b", "retryable")],
    previously: new Set(),
    logger,
    nowMs: 0,
  });
  assert.deepEqual(store.writes, [{ pk: "pk", ids: ["a"] }]);
  store.failWith = awsError("InternalServerError", 500);
  await rememberCompleted(store, {
    pk: "pk",
    reports: [report("a", "delivered"), report("b", "retryable")],
    previously: new Set(),
    logger,
    nowMs: 0,
  });
  assert.deepEqual(await recallCompleted(store, { pk: "pk", receiveCount: 3, logger }), new Set());
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /cannot write delivery state/);
  assert.match(lines[1]!, /cannot read delivery state/);
});
