import assert from "node:assert/strict";
import { ConfigError } from "./errors.ts";
import { loadConfig } from "./config.ts";

const base = {
  TENANT_CONFIG_TABLE: "tenants",
  CLUSTER_TABLE: "clusters",
  CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/central-log-distribution",
  AWS_REGION: "us-east-1",
};

const failsOn = (env: Record<string, string>, variable: string) =>
  assert.throws(
    () => loadConfig({ ...base, ...env }, "manual"),
    (e) => e instanceof ConfigError && e.variable === variable,
  );

Deno.test("config (deliveries): defaults keep every optional feature off or native", () => {
  const c = loadConfig(base, "manual");
  assert.equal(c.centralBucket, undefined);
  assert.equal(c.deliveryStateTable, undefined);
  assert.equal(c.deliveryStateTtlSeconds, 14 * 86_400);
  assert.equal(c.s3PartSizeBytes, 8 * 1024 * 1024);
  assert.equal(c.cloudWatchEngine, "native");
  assert.equal(c.vectorBin, "vector");
  assert.equal(c.vectorTimeoutMs, 300_000);
});

Deno.test("config (deliveries): values are read and validated, errors name the variable", () => {
  const c = loadConfig({
    ...base,
    CENTRAL_BUCKET: "central-logs",
    DELIVERY_STATE_TABLE: "log-delivery-state",
    DELIVERY_STATE_TTL_DAYS: "3",
    S3_PART_SIZE_MB: "16",
    CLOUDWATCH_ENGINE: "Vector",
    VECTOR_BIN: "/opt/vector/bin/vector",
    VECTOR_TIMEOUT_SECONDS: "60",
  }, "manual");
  assert.equal(c.centralBucket, "central-logs");
  assert.equal(c.deliveryStateTable, "log-delivery-state");
  assert.equal(c.deliveryStateTtlSeconds, 3 * 86_400);
  assert.equal(c.s3PartSizeBytes, 16 * 1024 * 1024);
  assert.equal(c.cloudWatchEngine, "vector");
  assert.equal(c.vectorBin, "/opt/vector/bin/vector");
  assert.equal(c.vectorTimeoutMs, 60_000);
  failsOn({ CENTRAL_BUCKET: "Not_A_Bucket" }, "CENTRAL_BUCKET");
  failsOn({ DELIVERY_STATE_TABLE: "a b" }, "DELIVERY_STATE_TABLE");
  failsOn({ DELIVERY_STATE_TTL_DAYS: "0" }, "DELIVERY_STATE_TTL_DAYS");
  failsOn({ S3_PART_SIZE_MB: "4" }, "S3_PART_SIZE_MB");
  failsOn({ CLOUDWATCH_ENGINE: "fluentbit" }, "CLOUDWATCH_ENGINE");
  failsOn({ VECTOR_TIMEOUT_SECONDS: "soon" }, "VECTOR_TIMEOUT_SECONDS");
});
