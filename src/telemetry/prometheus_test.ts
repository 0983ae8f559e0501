import { deepStrictEqual, match, ok } from "node:assert/strict";
import { messageResult } from "../../tests/support/results.ts";
import { METRICS, Metrics } from "./metrics.ts";
import { formatPrometheus } from "./prometheus.ts";

Deno.test("prometheus text has HELP/TYPE for every family and one line per series", () => {
  const m = new Metrics().seedOutcomes();
  m.recordMessage(messageResult("delivered"));
  const text = formatPrometheus(m.samples(), [{ name: "log_processor_in_flight_messages", help: "x", value: 3 }]);
  for (const family of Object.values(METRICS)) {
    match(text, new RegExp(`^# TYPE ${family.name} counter$`, "m"));
  }
  match(text, /^log_processor_messages_total\{outcome="delivered"\} 1$/m);
  match(text, /^log_processor_messages_total\{outcome="permanent"\} 0$/m);
  match(text, /^log_processor_events_rejected_total\{reason="too_old"\} 2$/m);
  match(text, /^log_processor_bytes_read_total 300$/m);
  match(text, /^# TYPE log_processor_in_flight_messages gauge\nlog_processor_in_flight_messages 3$/m);
  ok(text.endsWith("\n"));
});

Deno.test("prometheus label values are escaped", () => {
  const m = new Metrics();
  m.inc(METRICS.failures, { class: "permanent", code: 'We"ird\\\n' });
  deepStrictEqual(
    formatPrometheus(m.samples()).split("\n").find((l) => l.startsWith("log_processor_failures_total{")),
    'log_processor_failures_total{class="permanent",code="We\\"ird\\\\\\n"} 1',
  );
});
