import { deepStrictEqual } from "node:assert/strict";
import { messageResult, objectResult } from "../../tests/support/results.ts";
import { HISTOGRAMS } from "./histogram.ts";
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

Deno.test("metrics observe each object's processing time by outcome, and the age of delivered objects only", () => {
  const m = new Metrics();
  m.recordObject(objectResult("delivered", { duration_ms: 250, age_ms: 90_000 }));
  m.recordObject(objectResult("delivered", { duration_ms: 1500, age_ms: 30_000 }));
  m.recordObject(objectResult("retryable", { duration_ms: 40, age_ms: 5_000 }));
  m.recordObject(objectResult("skipped"));
  const byName = (name: string) => m.histograms().filter((h) => h.family.name === name);
  const durations = byName(HISTOGRAMS.objectDuration.name);
  deepStrictEqual(durations.map((h) => [h.labels, h.count, h.sum]), [
    [{ outcome: "delivered" }, 2, 1.75],
    [{ outcome: "retryable" }, 1, 0.04],
  ]);
  const [age] = byName(HISTOGRAMS.deliveryAge.name);
  deepStrictEqual([age?.labels, age?.count, age?.sum, age?.min, age?.max], [{}, 2, 120, 30, 90]);
});

Deno.test("metrics labels never carry a tenant, key or stream", () => {
  const m = new Metrics();
  m.recordMessage(messageResult("permanent", "permanent", "delivered"));
  for (const s of [...m.samples(), ...m.histograms()]) {
    for (const value of Object.values(s.labels)) {
      deepStrictEqual(/t1|json\.gz|\//.test(value), false, `${s.family.name} has label value ${value}`);
    }
  }
});

Deno.test("seeded series start at zero, histograms empty, and samples keep family order", () => {
  const m = new Metrics()
    .seed(METRICS.messages, [{ outcome: "delivered" }, { outcome: "skipped" }])
    .seed(METRICS.bytesRead)
    .seed(HISTOGRAMS.objectDuration, [{ outcome: "delivered" }]);
  m.inc(METRICS.apiCalls, { operation: "ReceiveMessage" });
  deepStrictEqual(m.samples().map((s) => [s.family.name, s.labels, s.value]), [
    [METRICS.messages.name, { outcome: "delivered" }, 0],
    [METRICS.messages.name, { outcome: "skipped" }, 0],
    [METRICS.bytesRead.name, {}, 0],
    [METRICS.apiCalls.name, { operation: "ReceiveMessage" }, 1],
  ]);
  deepStrictEqual(m.histograms().map((h) => [h.family.name, h.labels, h.count]), [
    [HISTOGRAMS.objectDuration.name, { outcome: "delivered" }, 0],
  ]);
  // Seeding again changes nothing.
  m.seed(METRICS.apiCalls, [{ operation: "ReceiveMessage" }]);
  deepStrictEqual(m.value(METRICS.apiCalls, { operation: "ReceiveMessage" }), 1);
});

Deno.test("metric names follow Prometheus conventions: counters end in _total, byte counters in _bytes_total", () => {
  for (const f of Object.values(METRICS)) {
    deepStrictEqual(/^log_processor_[a-z_]+_total$/.test(f.name), true, f.name);
    deepStrictEqual(f.unit === "Bytes", f.name.endsWith("_bytes_total"), f.name);
  }
});
