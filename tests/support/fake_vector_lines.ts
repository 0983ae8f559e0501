/**
 * The lines the Vector stand-in prints, shaped as a real Vector 0.58.0 prints
 * them: its JSON log lines for a failed CloudWatch call (the observed runs of
 * tests/testdata/vector-reference/observed-0.58.0, replayed verbatim when
 * the fault is one of them, otherwise the nearest observed run with the code,
 * status and count put in), and the `internal_metrics` counter events the
 * engine's `console` sink writes with the `json` codec.
 *
 * @module
 */
import { type ObservedFault, observedFaults } from "./vector_reference.ts";

/** A CloudWatch call that failed: which operation, the AWS code and HTTP status, how many events it dropped. */
export interface FailedCall {
  readonly operation: string;
  readonly code: string;
  readonly status: number;
  readonly events: number;
}

/** Codes Vector retries until `request.retry_attempts` run out (throttling, unavailability). */
export const isRetriedByVector = (call: Pick<FailedCall, "code" | "status">) =>
  /Throttl|ServiceUnavailable/.test(call.code) || call.status >= 500;

function nearest(call: FailedCall, faults: ObservedFault[]): ObservedFault {
  const exact = faults.find((f) => f.operation === call.operation && f.code === call.code);
  if (exact) return exact;
  const put = call.operation === "PutLogEvents";
  const name = !put
    ? "CreateLogStream-AccessDeniedException"
    : isRetriedByVector(call)
    ? "PutLogEvents-ThrottlingException"
    : "PutLogEvents-AccessDeniedException";
  return faults.find((f) => f.name === name)!;
}

/**
 * Vector's stdout for `call`: the observed run verbatim when there is one for
 * this operation and code; otherwise the nearest observed run with the code,
 * the status and the dropped count of this call.
 */
export function failedCallStdout(call: FailedCall, faults = observedFaults()): string {
  const base = nearest(call, faults);
  const status = (line: string) => line.match(/StatusCode\((\d{3})\)/)?.[1];
  if (base.operation === call.operation && base.code === call.code) return base.stdout;
  const baseStatus = base.stdout.split("\n").map(status).find((s) => s !== undefined) ?? "400";
  return base.stdout
    .replaceAll(base.code, call.code)
    .replaceAll(`StatusCode(${baseStatus})`, `StatusCode(${call.status})`)
    .replaceAll("CreateStream", call.operation === "CreateLogGroup" ? "CreateGroup" : "CreateStream")
    .replaceAll('"count":1,', `"count":${call.events},`);
}

/** One counter of the CloudWatch sink as the engine's console sink writes it (tags in Vector's sorted order). */
export function counterLine(
  name: string,
  value: number,
  sink: { id: string; type: string },
  extraTags: Record<string, string> = {},
  at = new Date(),
): string {
  const tags: Record<string, string> = {
    component_id: sink.id,
    component_kind: "sink",
    component_type: sink.type,
    host: Deno.hostname(),
    ...extraTags,
  };
  const sorted = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
  // serde_json writes an f64 with its fraction: 25.0, not 25.
  const number = Number.isInteger(value) ? value.toFixed(1) : String(value);
  return `{"name":${JSON.stringify(name)},"namespace":"vector","tags":${JSON.stringify(sorted)},` +
    `"timestamp":"${at.toISOString()}","kind":"absolute","counter":{"value":${number}}}`;
}

/** A JSON log line as Vector writes one with `--log-format json` (for the stand-in's own messages). */
export function logLine(level: string, message: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    timestamp: new Date().toISOString(),
    level,
    message,
    ...fields,
    target: "vector",
  });
}

/** Vector's WARN line when it retries a CloudWatch call (the first line of the observed throttling run, timestamp now). */
export function retryLine(faults = observedFaults()): string {
  const [first] = faults.find((f) => f.name === "PutLogEvents-ThrottlingException")!.stdout.split("\n");
  return first!.replace(/"timestamp":"[^"]+"/, `"timestamp":"${new Date().toISOString()}"`);
}
