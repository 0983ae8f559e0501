/**
 * The Vector configuration the `vector` CloudWatch engine runs: a `stdin`
 * source reading our NDJSON events (`{"timestamp_ms": <epoch ms>, "message": …}`),
 * a `remap` turning the epoch milliseconds into Vector's timestamp, and an
 * `aws_cloudwatch_logs` sink writing the message text to one group/stream.
 *
 * Beside it, the confirmation channel: Vector's own `internal_metrics`,
 * filtered to the sink's event counters (`component_sent_events_total`,
 * `component_discarded_events_total`, `component_errors_total`), written by a
 * `console` sink to stderr as JSON lines (Vector's logs go to stdout with
 * `--log-format json`). The engine counts only what that counter confirms.
 * Because `internal_metrics` never ends, Vector no longer exits when stdin
 * does: the engine stops it (SIGTERM) once the counters account for every
 * event. Pure. Credentials are never part of it: Vector reads them from its
 * environment.
 *
 * @module
 */
import type { RetryPolicy } from "../../aws/retry.ts";
import { MAX_BATCH_BYTES } from "../cloudwatch/limits.ts";

/** What one run delivers and how. */
export interface VectorCloudWatchParams {
  readonly group: string;
  readonly stream: string;
  readonly region: string;
  /** Custom endpoint (AWS_ENDPOINT_URL), for a local emulator. */
  readonly endpoint?: string;
  /** Retention set when Vector creates the group. */
  readonly retentionDays?: number;
  /** Events per PutLogEvents (MAX_BATCH_SIZE). */
  readonly maxBatchSize: number;
  readonly retry: RetryPolicy;
  /** Vector's data directory (the run's temporary directory). */
  readonly dataDir: string;
}

/** Component ids in the generated configuration. */
const SOURCE_ID = "events";
const TRANSFORM_ID = "timestamps";
export const SINK_ID = "cloudwatch";
const METRICS_SOURCE_ID = "vector_metrics";
const METRICS_FILTER_ID = "sink_counters";
const METRICS_SINK_ID = "confirmations";
/** Seconds between two snapshots of Vector's internal metrics (whole seconds: Vector's default). */
export const METRICS_INTERVAL_SECS = 1;
/** Where the console sink writes the metric events (Vector's own logs go to stdout). */
export const METRICS_TARGET = "stderr";
/** The sink's counters the engine reads, by their names in Vector's `internal_metrics`. */
export const SINK_COUNTERS = {
  sent: "component_sent_events_total",
  discarded: "component_discarded_events_total",
  errors: "component_errors_total",
} as const;
/** VRL condition keeping only the CloudWatch sink's counters. */
const SINK_COUNTERS_CONDITION = `.tags.component_id == "${SINK_ID}" && .tags.component_kind == "sink" && ` +
  `includes(${JSON.stringify(Object.values(SINK_COUNTERS))}, .name)`;
/** Per-request timeout Vector applies to PutLogEvents (seconds). */
export const VECTOR_REQUEST_TIMEOUT_SECS = 30;

/**
 * The field carrying each event's epoch milliseconds. Not `timestamp`: the
 * stdin source fills that with the time of reading.
 */
export const TIMESTAMP_MS_FIELD = "timestamp_ms";
/** VRL: epoch milliseconds → the event's timestamp, which the sink uses as the event time. */
export const TIMESTAMP_VRL =
  `.timestamp = from_unix_timestamp!(to_int!(.${TIMESTAMP_MS_FIELD}), unit: "milliseconds")\ndel(.${TIMESTAMP_MS_FIELD})`;

/** Whole seconds, at least 1 (Vector's retry settings are whole non-zero seconds). */
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** The configuration (as JSON-ready data) for one CloudWatch delivery. */
export function vectorCloudWatchConfig(p: VectorCloudWatchParams): Record<string, unknown> {
  const sink: Record<string, unknown> = {
    type: "aws_cloudwatch_logs",
    inputs: [TRANSFORM_ID],
    region: p.region,
    group_name: p.group,
    stream_name: p.stream,
    create_missing_group: true,
    create_missing_stream: true,
    encoding: { codec: "text" },
    batch: { max_events: p.maxBatchSize, max_bytes: MAX_BATCH_BYTES, timeout_secs: 1 },
    request: {
      retry_attempts: p.retry.retries,
      retry_initial_backoff_secs: seconds(p.retry.baseDelayMs),
      retry_max_duration_secs: seconds(p.retry.maxDelayMs),
      timeout_secs: VECTOR_REQUEST_TIMEOUT_SECS,
    },
    // The healthcheck would need logs:DescribeLogGroups, which the customer role need not grant.
    healthcheck: { enabled: false },
  };
  if (p.endpoint) sink.endpoint = p.endpoint;
  if (p.retentionDays) sink.retention = { enabled: true, days: p.retentionDays };
  return {
    data_dir: p.dataDir,
    sources: {
      [SOURCE_ID]: {
        type: "stdin",
        decoding: { codec: "json" },
        framing: { method: "newline_delimited" },
      },
      [METRICS_SOURCE_ID]: { type: "internal_metrics", scrape_interval_secs: METRICS_INTERVAL_SECS },
    },
    transforms: {
      [TRANSFORM_ID]: { type: "remap", inputs: [SOURCE_ID], source: TIMESTAMP_VRL, drop_on_error: false },
      [METRICS_FILTER_ID]: { type: "filter", inputs: [METRICS_SOURCE_ID], condition: SINK_COUNTERS_CONDITION },
    },
    sinks: {
      [SINK_ID]: sink,
      [METRICS_SINK_ID]: {
        type: "console",
        inputs: [METRICS_FILTER_ID],
        target: METRICS_TARGET,
        encoding: { codec: "json" },
      },
    },
  };
}
