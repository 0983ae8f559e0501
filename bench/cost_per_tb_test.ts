import { strictEqual as equal, throws } from "node:assert/strict";
import { costPerTb, type Prices, UNCACHED_CALLS_PER_OBJECT, US_EAST_1_LIST_PRICES } from "./cost_per_tb.ts";

const line = (cost: ReturnType<typeof costPerTb>, item: string) => cost.central.find((l) => l.item === item)!.usd;
const close = (actual: number, expected: number) =>
  equal(Math.abs(actual - expected) < 1e-9, true, `${actual} vs ${expected}`);

Deno.test("1 MB objects: one GET, SNS publish and SQS delivery each, per TB at list prices", () => {
  const cost = costPerTb({
    bytes: 1e6,
    cpuSeconds: 0.01,
    calls: { GetObject: 1, PutLogEvents: 1, ReceiveMessage: 0.1, DeleteMessageBatch: 0.1 },
    ingestedBytes: 300_000,
  });
  equal(cost.objectsPerTb, 1e6);
  close(line(cost, "S3 GET"), 0.4); // 1 M GETs at $0.0004 per 1 000
  close(line(cost, "S3 PUT (agents)"), 5);
  close(line(cost, "SQS"), 1.2 * 0.4); // 1 delivery + 0.2 worker calls per object
  close(line(cost, "SNS"), 0.5);
  close(line(cost, "DynamoDB"), 0);
  close(line(cost, "STS"), 0);
  // 10 000 CPU seconds = 2.78 vCPU-hours at $0.04048, plus 0.5 GB each at $0.004445.
  close(line(cost, "worker vCPU-hours"), (1e4 / 3600) * (0.04048 + 0.5 * 0.004445));
  close(cost.centralUsd, cost.central.reduce((t, l) => t + l.usd, 0));
  close(cost.customerCloudWatchUsd, 300 * 0.5); // 300 GB ingested
});

Deno.test("the uncached processor pays DynamoDB and more SQS per object; STS is free", () => {
  const profile = { bytes: 1e6, cpuSeconds: 0, ingestedBytes: 0 };
  const cached = costPerTb({ ...profile, calls: { GetObject: 1, PutLogEvents: 1 } });
  const uncached = costPerTb({ ...profile, calls: UNCACHED_CALLS_PER_OBJECT });
  close(line(uncached, "DynamoDB"), 0.125);
  close(line(uncached, "SQS"), 3 * 0.4);
  close(line(uncached, "STS"), 0);
  equal(uncached.centralUsd > cached.centralUsd, true);
  equal(Object.values(UNCACHED_CALLS_PER_OBJECT).reduce((a, b) => a + b), 10);
});

Deno.test("prices are a parameter, and an object without bytes is refused", () => {
  const prices: Prices = { ...US_EAST_1_LIST_PRICES, s3GetRequest: 1 };
  close(
    line(costPerTb({ bytes: 1e12, cpuSeconds: 0, calls: { GetObject: 2 }, ingestedBytes: 0 }, prices), "S3 GET"),
    2,
  );
  throws(() => costPerTb({ bytes: 0, cpuSeconds: 0, calls: {}, ingestedBytes: 0 }), RangeError);
});
