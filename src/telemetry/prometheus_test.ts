import { deepStrictEqual, match, ok } from "node:assert/strict";
import { messageResult } from "../../tests/support/results.ts";
import { HISTOGRAMS } from "./histogram.ts";
import { METRICS, Metrics } from "./metrics.ts";
import { formatPrometheus } from "./prometheus.ts";

Deno.test("prometheus text has HELP/TYPE for every counter family and one line per series", () => {
  const m = new Metrics().seed(METRICS.messages, [{ outcome: "delivered" }, { outcome: "permanent" }]);
  m.recordMessage(messageResult("delivered"));
  const text = formatPrometheus(m, [{ name: "log_processor_in_flight_messages", help: "x", value: 3 }]);
  for (const family of Object.values(METRICS)) {
    match(text, new RegExp(`^# TYPE ${family.name} counter$`, "m"));
  }
  match(text, /^log_processor_messages_total\{outcome="delivered"\} 1$/m);
  match(text, /^log_processor_messages_total\{outcome="permanent"\} 0$/m);
  match(text, /^log_processor_events_rejected_total\{reason="too_old"\} 2$/m);
  match(text, /^log_processor_read_bytes_total 300$/m);
  match(text, /^# TYPE log_processor_in_flight_messages gauge\nlog_processor_in_flight_messages 3$/m);
  ok(text.endsWith("\n"));
});

Deno.test("prometheus histograms: cumulative _bucket lines with le last, +Inf, _sum and _count", () => {
  const m = new Metrics().seed(HISTOGRAMS.deliveryAge);
  m.observe(HISTOGRAMS.objectDuration, { outcome: "delivered" }, 0.2);
  m.observe(HISTOGRAMS.objectDuration, { outcome: "delivered" }, 3);
  const lines = formatPrometheus(m).split("\n");
  const duration = lines.filter((l) => l.startsWith("log_processor_object_duration_seconds"));
  deepStrictEqual(duration.length, DURATION_LINES);
  deepStrictEqual(duration.slice(4, 7), [
    'log_processor_object_duration_seconds_bucket{outcome="delivered",le="0.1"} 0',
    'log_processor_object_duration_seconds_bucket{outcome="delivered",le="0.25"} 1',
    'log_processor_object_duration_seconds_bucket{outcome="delivered",le="0.5"} 1',
  ]);
  deepStrictEqual(duration.slice(-3), [
    'log_processor_object_duration_seconds_bucket{outcome="delivered",le="+Inf"} 2',
    'log_processor_object_duration_seconds_sum{outcome="delivered"} 3.2',
    'log_processor_object_duration_seconds_count{outcome="delivered"} 2',
  ]);
  ok(lines.includes("# TYPE log_processor_object_duration_seconds histogram"));
  // A seeded, empty histogram is all zeros; a family with no series at all is left out.
  ok(lines.includes('log_processor_delivery_age_seconds_bucket{le="86400"} 0'));
  ok(lines.includes("log_processor_delivery_age_seconds_count 0"));
  ok(!lines.some((l) => l.includes(HISTOGRAMS.eventLoopLag.name)));
});

const DURATION_LINES = HISTOGRAMS.objectDuration.buckets.length + 3;

Deno.test("prometheus extra metrics carry their type", () => {
  const text = formatPrometheus(new Metrics(), [{
    name: "process_cpu_seconds_total",
    help: "c",
    value: 1.5,
    type: "counter",
  }]);
  match(text, /^# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1\.5$/m);
});

Deno.test("prometheus label values are escaped", () => {
  const m = new Metrics();
  m.inc(METRICS.failures, { class: "permanent", code: 'We"ird\\\n' });
  deepStrictEqual(
    formatPrometheus(m).split("\n").find((l) => l.startsWith("log_processor_failures_total{")),
    'log_processor_failures_total{class="permanent",code="We\\"ird\\\\\\n"} 1',
  );
});
