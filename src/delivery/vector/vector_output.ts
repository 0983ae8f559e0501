/**
 * Reads what a Vector run prints, line by line from stdout and stderr alike
 * (with `--log-format json` Vector logs to stdout; the engine's `console`
 * sink writes the metric events to stderr): the CloudWatch sink's own
 * counters from `internal_metrics`, its ERROR lines, and the AWS error codes
 * inside them. Pure: no I/O, no clock.
 *
 * A metric event, as Vector's `json` codec writes it:
 * `{"name":"component_sent_events_total","namespace":"vector","tags":{"component_id":"cloudwatch",
 * "component_kind":"sink","component_type":"aws_cloudwatch_logs","host":"…"},"timestamp":"…",
 * "kind":"absolute","counter":{"value":25.0}}`
 *
 * @module
 */
import { SINK_COUNTERS, SINK_ID } from "./vector_config.ts";

/** Error lines kept per run (Vector rate-limits its own repeats; this bounds the rest). */
const MAX_ERROR_LINES = 50;
/** Characters kept of one error line. */
export const MAX_LINE_CHARS = 2000;

/** An AWS error Vector reported: its code and HTTP status, as far as the line says. */
export interface VectorAwsError {
  readonly code?: string;
  readonly status?: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function parseJson(line: string): Json | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(line);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * AWS error codes as they appear in free text (`AccessDeniedException: …`).
 * Only AWS-shaped names: Rust type names such as `DispatchFailure` or
 * `ConnectorError` (a network failure) are not codes.
 */
const AWS_CODE =
  /\b([A-Z]\w*Exception|AccessDenied\w*|ExpiredToken|RequestExpired|Throttling|UnrecognizedClient|InvalidClientTokenId|SignatureDoesNotMatch)\b/;

/** The AWS error inside one of Vector's error texts (`code: Some("AccessDeniedException")`, `StatusCode(400)`). */
function awsErrorIn(text: string): VectorAwsError | undefined {
  const code = text.match(/\bcode: Some\("(\w+)"\)/)?.[1] ?? text.match(/"x-amzn-errortype": "(\w+)"/)?.[1] ??
    text.match(AWS_CODE)?.[1];
  const status = text.match(/\bStatusCode\((\d{3})\)/)?.[1];
  if (code === undefined && status === undefined) return undefined;
  return { ...(code ? { code } : {}), ...(status ? { status: Number(status) } : {}) };
}

/** Accumulates one run's output. Feed it every line of both streams with {@link line}. */
export class VectorOutput {
  readonly #series = new Map<string, number>();
  readonly #errorLines: string[] = [];
  readonly #awsErrors: VectorAwsError[] = [];
  #loggedDrops = 0;
  #lastWarning?: string;

  /** Takes one line of output (without its newline). */
  line(raw: string): void {
    const line = raw.trim();
    if (line === "") return;
    const json = parseJson(line);
    if (json && typeof json.name === "string" && isObject(json.tags)) this.#metric(json);
    else if (json && typeof json.level === "string") this.#log(json, line);
    else if (/\bERROR\b|panicked at/.test(line)) this.#error(line);
  }

  /** Events the sink confirmed it sent (its `component_sent_events_total`). */
  get sent(): number {
    return this.#total(SINK_COUNTERS.sent);
  }

  /** Events the sink says it dropped: its discard counter, or its logged drops when those say more. */
  get discarded(): number {
    return Math.max(this.#total(SINK_COUNTERS.discarded), this.#loggedDrops);
  }

  /** Errors the sink counted (`component_errors_total`). */
  get errors(): number {
    return this.#total(SINK_COUNTERS.errors);
  }

  /** Vector's ERROR lines as short texts (`message: error: reason`), oldest first. */
  get errorLines(): readonly string[] {
    return this.#errorLines;
  }

  /** The AWS errors named in the ERROR lines, oldest first. */
  get awsErrors(): readonly VectorAwsError[] {
    return this.#awsErrors;
  }

  /** The last WARN line (e.g. why Vector is retrying), for a run that never finished. */
  get lastWarning(): string | undefined {
    return this.#lastWarning;
  }

  #total(name: string): number {
    let sum = 0;
    for (const [key, value] of this.#series) if (key.startsWith(`${name}\n`)) sum += value;
    return sum;
  }

  #metric(m: Json): void {
    const tags = m.tags as Json;
    if (tags.component_id !== SINK_ID || tags.component_kind !== "sink") return;
    const value = isObject(m.counter) ? Number(m.counter.value) : NaN;
    if (!Number.isFinite(value)) return;
    // One series per tag set but the host (one run, one host).
    const { host: _host, ...rest } = tags;
    const key = `${m.name}\n${JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)))}`;
    this.#series.set(key, m.kind === "incremental" ? (this.#series.get(key) ?? 0) + value : value);
  }

  #log(log: Json, line: string): void {
    const fields = isObject(log.fields) ? log.fields : {};
    const level = String(log.level).toUpperCase();
    const parts = [log.message ?? fields.message, log.error ?? fields.error, log.reason ?? fields.reason]
      .filter((v) => v !== undefined && v !== null)
      .map(String);
    const text = parts.length > 0 ? parts.join(": ") : line;
    if (level === "WARN") this.#lastWarning = text.slice(0, MAX_LINE_CHARS);
    if (level !== "ERROR") return;
    const message = log.message ?? fields.message;
    const count = Number(log.count ?? fields.count);
    if (message === "Events dropped" && Number.isFinite(count)) this.#loggedDrops += count;
    this.#error(text);
  }

  #error(text: string): void {
    const error = awsErrorIn(text);
    if (error) this.#awsErrors.push(error);
    if (this.#errorLines.length < MAX_ERROR_LINES) this.#errorLines.push(text.slice(0, MAX_LINE_CHARS));
  }
}
