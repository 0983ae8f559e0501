import assert from "node:assert/strict";
import { unknownVectorOptions } from "../../../tests/support/vector_options.ts";
import { SINK_ID, vectorCloudWatchConfig } from "./vector_config.ts";

/** The generated config's component ids (Vector names them in its logs and metrics tags). */
const SOURCE_ID = "events";
const TRANSFORM_ID = "timestamps";
const METRICS_SOURCE_ID = "vector_metrics";
const METRICS_FILTER_ID = "sink_counters";
const METRICS_SINK_ID = "confirmations";

const params = {
  group: "/customer/acme/k8s",
  stream: "prod-1/api/api-7f9",
  region: "eu-west-1",
  maxBatchSize: 5000,
  retry: { retries: 3, baseDelayMs: 200, maxDelayMs: 20_000 },
  dataDir: "/tmp/log-processor-vector-x",
};

Deno.test("vectorCloudWatchConfig: only documented Vector options, wired stdin → remap → aws_cloudwatch_logs", () => {
  const config = vectorCloudWatchConfig({ ...params, endpoint: "http://127.0.0.1:5000", retentionDays: 30 });
  assert.deepEqual(unknownVectorOptions(config), []);
  const sources = config.sources as Record<string, Record<string, unknown>>;
  const transforms = config.transforms as Record<string, Record<string, unknown>>;
  const sink = (config.sinks as Record<string, Record<string, unknown>>)[SINK_ID];
  assert.equal(sources[SOURCE_ID]!.type, "stdin");
  assert.deepEqual(transforms[TRANSFORM_ID]!.inputs, [SOURCE_ID]);
  assert.deepEqual(sink!.inputs, [TRANSFORM_ID]);
  assert.equal(sink!.group_name, params.group);
  assert.equal(sink!.stream_name, params.stream);
  assert.equal(sink!.region, "eu-west-1");
  assert.equal(sink!.endpoint, "http://127.0.0.1:5000");
  assert.deepEqual(sink!.retention, { enabled: true, days: 30 });
  assert.deepEqual(sink!.batch, { max_events: 5000, max_bytes: 1_048_576, timeout_secs: 1 });
  assert.deepEqual(sink!.request, {
    retry_attempts: 3,
    retry_initial_backoff_secs: 1,
    retry_max_duration_secs: 20,
    timeout_secs: 30,
  });
  assert.equal(config.data_dir, params.dataDir);
});

Deno.test("vectorCloudWatchConfig: no endpoint or retention unless asked, and never any credential", () => {
  const config = vectorCloudWatchConfig(params);
  const sink = (config.sinks as Record<string, Record<string, unknown>>)[SINK_ID];
  assert.equal("endpoint" in sink!, false);
  assert.equal("retention" in sink!, false);
  assert.equal("auth" in sink!, false);
  assert.doesNotMatch(JSON.stringify(config), /access_key|secret|session_token|credentials/i);
});

Deno.test("vectorCloudWatchConfig: the sink's own counters go to stderr as JSON lines, nothing else", () => {
  const config = vectorCloudWatchConfig(params);
  const sources = config.sources as Record<string, Record<string, unknown>>;
  const transforms = config.transforms as Record<string, Record<string, unknown>>;
  const sinks = config.sinks as Record<string, Record<string, unknown>>;
  assert.deepEqual(sources[METRICS_SOURCE_ID], { type: "internal_metrics", scrape_interval_secs: 1 });
  assert.deepEqual(transforms[METRICS_FILTER_ID], {
    type: "filter",
    inputs: [METRICS_SOURCE_ID],
    condition:
      `.tags.component_id == "cloudwatch" && .tags.component_kind == "sink" && includes(["component_sent_events_total",` +
      `"component_discarded_events_total","component_errors_total"], .name)`,
  });
  assert.deepEqual(sinks[METRICS_SINK_ID], {
    type: "console",
    inputs: [METRICS_FILTER_ID],
    target: "stderr",
    encoding: { codec: "json" },
  });
  // The log events never reach the console, the metrics never reach CloudWatch.
  assert.deepEqual(Object.keys(sinks).sort(), [SINK_ID, METRICS_SINK_ID].sort());
});
