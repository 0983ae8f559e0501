import assert from "node:assert/strict";
import { observedFaults } from "../../../tests/support/vector_reference.ts";
import { VectorOutput } from "./vector_output.ts";

/** Error lines a run keeps (Vector rate-limits its own repeats; the output bounds the rest). */
const MAX_ERROR_LINES = 50;

/** The AWS error the output finds in an ERROR line saying `text`. */
function awsErrorIn(text: string) {
  const out = new VectorOutput();
  out.line(`2026-01-01T00:00:00.000Z ERROR vector::sinks: ${text}`);
  assert.equal(out.errorLines.length, 1);
  return out.awsErrors[0];
}

/** A counter as Vector's `json` codec writes an internal_metrics event. */
const counter = (name: string, value: string, extra = "", kind = "absolute") =>
  `{"name":"${name}","namespace":"vector","tags":{"component_id":"cloudwatch","component_kind":"sink",` +
  `"component_type":"aws_cloudwatch_logs"${extra},"host":"node-1"},"timestamp":"2026-12-01T07:24:32.460665Z",` +
  `"kind":"${kind}","counter":{"value":${value}}}`;

Deno.test("VectorOutput: the sink's sent counter is the latest absolute value", () => {
  const out = new VectorOutput();
  out.line(counter("component_sent_events_total", "3.0"));
  out.line(counter("component_sent_events_total", "25.0"));
  assert.equal(out.sent, 25);
  assert.equal(out.discarded, 0);
  // Another component's counter, or a source's, never confirms the sink's events.
  out.line(counter("component_sent_events_total", "99.0").replace('"component_id":"cloudwatch"', '"component_id":"x"'));
  out.line(
    counter("component_sent_events_total", "99.0").replace('"component_kind":"sink"', '"component_kind":"source"'),
  );
  assert.equal(out.sent, 25);
  assert.deepEqual(out.errorLines, []);
});

Deno.test("VectorOutput: series with different tags add up; incremental counters accumulate", () => {
  const out = new VectorOutput();
  out.line(counter("component_discarded_events_total", "2.0", ',"intentional":"false"'));
  out.line(counter("component_discarded_events_total", "1.0", ',"intentional":"true"'));
  out.line(counter("component_errors_total", "1.0", ',"error_type":"request_failed","stage":"sending"'));
  out.line(counter("component_sent_events_total", "4.0", "", "incremental"));
  out.line(counter("component_sent_events_total", "5.0", "", "incremental"));
  assert.equal(out.discarded, 3);
  assert.equal(out.errors, 1);
  assert.equal(out.sent, 9);
});

Deno.test("VectorOutput: every observed 0.58.0 fault yields its drop, its AWS error and no confirmation", () => {
  const status: Record<string, number> = { ServiceUnavailableException: 503 };
  for (const fault of observedFaults()) {
    const out = new VectorOutput();
    for (const line of fault.stdout.split("\n")) out.line(line);
    assert.equal(out.sent, 0, fault.name);
    assert.equal(out.discarded, 1, `${fault.name}: "Events dropped" count 1`);
    assert.deepEqual(out.awsErrors, [{ code: fault.code, status: status[fault.code] ?? 400 }], fault.name);
    assert.ok(out.errorLines.some((l) => l.startsWith("Events dropped: Service call failed.")), fault.name);
    assert.ok(out.errorLines.every((l) => l.length <= 2000), fault.name);
  }
  const throttled = observedFaults().find((f) => f.code === "ThrottlingException")!;
  const out = new VectorOutput();
  for (const line of throttled.stdout.split("\n")) out.line(line);
  assert.equal(out.lastWarning, "Internal log [Retrying after error.] is being suppressed to avoid flooding.");
});

Deno.test("VectorOutput: text lines count only when they say ERROR or panic; output is bounded", () => {
  const out = new VectorOutput();
  out.line("2026-01-01T00:00:00.000Z  INFO vector: Vector has stopped.");
  out.line("2026-01-01T00:00:00.000Z ERROR vector::topology: Configuration error. error=x");
  out.line("thread 'main' panicked at src/main.rs:1:1");
  out.line("{not json ERROR");
  out.line(JSON.stringify({ level: "WARN", fields: { message: "Retrying after error.", error: "Throttling" } }));
  assert.deepEqual(out.errorLines, [
    "2026-01-01T00:00:00.000Z ERROR vector::topology: Configuration error. error=x",
    "thread 'main' panicked at src/main.rs:1:1",
    "{not json ERROR",
  ]);
  assert.equal(out.lastWarning, "Retrying after error.: Throttling");
  for (let i = 0; i < 2 * MAX_ERROR_LINES; i++) out.line(JSON.stringify({ level: "ERROR", message: "x".repeat(5000) }));
  assert.equal(out.errorLines.length, MAX_ERROR_LINES);
  assert.ok(out.errorLines.every((l) => l.length <= 2000));
});

Deno.test("awsErrorIn: AWS codes and statuses, never Rust type names", () => {
  assert.deepEqual(awsErrorIn('meta: ErrorMetadata { code: Some("ThrottlingException") } StatusCode(400)'), {
    code: "ThrottlingException",
    status: 400,
  });
  assert.deepEqual(awsErrorIn("ExpiredTokenException: token expired"), { code: "ExpiredTokenException" });
  assert.deepEqual(awsErrorIn("AccessDenied: not authorized"), { code: "AccessDenied" });
  assert.deepEqual(awsErrorIn("StatusCode(503)"), { status: 503 });
  assert.equal(awsErrorIn("CloudwatchError::Put: service error"), undefined);
  assert.equal(
    awsErrorIn(
      'Some(Put(DispatchFailure(DispatchFailure { source: ConnectorError { kind: Io, source: "refused" } })))',
    ),
    undefined,
  );
});
