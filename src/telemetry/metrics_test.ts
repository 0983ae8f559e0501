import { deepStrictEqual } from "node:assert/strict";
import { messageResult } from "../../tests/support/results.ts";
import { METRICS, Metrics } from "./metrics.ts";

Deno.test("metrics count messages, objects, events, rejections, failures and API calls from results", () => {
  const m = new Metrics();
  m.recordMessage(messageResult("delivered"));
  m.recordMessage(messageResult("retryable", "delivered", "retryable"));
  m.recordMessage(messageResult("permanent"));
  deepStrictEqual(m.value(METRICS.messages, { outcome: "delivered" }), 1);
  deepStrictEqual(m.value(METRICS.messages, { outcome: "retryable" }), 1);
  deepStrictEqual(m.value(METRICS.messages, { outcome: "permanent" }), 1);
  deepStrictEqual(m.value(METRICS.objects, { outcome: "delivered" }), 2);
  deepStrictEqual(m.value(METRICS.eventsDelivered, { type: "cloudwatch" }), 10);
  deepStrictEqual(m.value(METRICS.eventsRejected, { reason: "too_old" }), 8);
  deepStrictEqual(m.value(METRICS.failures, { class: "retryable", code: "Throttling" }), 1);
  deepStrictEqual(m.value(METRICS.failures, { class: "permanent", code: "AccessDenied" }), 1);
  deepStrictEqual(m.value(METRICS.apiCalls, { operation: "PutLogEvents" }), 4);
  deepStrictEqual(m.value(METRICS.unparsableLines), 4);
  deepStrictEqual(m.value(METRICS.bytesRead), 1200);
  deepStrictEqual(m.value(METRICS.bytesDelivered), 400);
  deepStrictEqual(m.value(METRICS.eventsTruncated), 4);
});

Deno.test("metrics labels never carry a tenant, key or stream", () => {
  const m = new Metrics();
  m.recordMessage(messageResult("permanent", "permanent", "delivered"));
  for (const s of m.samples()) {
    for (const value of Object.values(s.labels)) {
      deepStrictEqual(/t1|json\.gz|\//.test(value), false, `${s.family.name} has label value ${value}`);
    }
  }
});

Deno.test("metrics seeded outcomes start at zero and samples keep family order", () => {
  const m = new Metrics().seedOutcomes();
  m.inc(METRICS.apiCalls, { operation: "ReceiveMessage" });
  const names = m.samples().map((s) => s.family.name);
  deepStrictEqual(names.indexOf(METRICS.messages.name), 0);
  deepStrictEqual(names.at(-1), METRICS.apiCalls.name);
  deepStrictEqual(m.value(METRICS.objects, { outcome: "skipped" }), 0);
  deepStrictEqual(m.samples().length, 9);
});
