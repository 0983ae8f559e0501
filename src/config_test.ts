import { deepStrictEqual as deepEqual, ok, strictEqual as equal, throws } from "node:assert/strict";
import {
  DEFAULT_CLUSTER_CACHE_TTL_SECONDS,
  DEFAULT_RECEIVE_BUFFER,
  DEFAULT_RETRY_VISIBILITY_BASE_SECONDS,
  DEFAULT_RETRY_VISIBILITY_MAX_SECONDS,
  DEFAULT_TENANT_CACHE_TTL_SECONDS,
  loadConfig,
  loadQueueToolConfig,
  type Mode,
  parseListenAddress,
  resolveMode,
} from "./config.ts";
import { MAX_BATCH_EVENTS } from "./delivery/cloudwatch/limits.ts";
import { ConfigError } from "./errors.ts";

const BASE = {
  TENANT_CONFIG_TABLE: "tenants",
  CLUSTER_TABLE: "clusters",
  CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/central-log-distribution",
  AWS_REGION: "eu-west-1",
};

/** Asserts loading fails with a ConfigError naming `variable` (in the field and the message). */
function failsNaming(env: Record<string, string | undefined>, variable: string, mode: Mode = "manual"): string {
  let caught: unknown;
  throws(() => loadConfig(env, mode), (err) => (caught = err, true));
  ok(caught instanceof ConfigError, String(caught));
  equal(caught.variable, variable);
  ok(caught.message.startsWith(`${variable}: `), caught.message);
  return caught.message;
}

Deno.test("defaults for everything optional", () => {
  deepEqual(loadConfig(BASE, "manual"), {
    mode: "manual",
    tenantTable: "tenants",
    clusterTable: "clusters",
    clusterCacheTtlMs: DEFAULT_CLUSTER_CACHE_TTL_SECONDS * 1000,
    requireWriterIdentity: false,
    centralRoleArn: BASE.CENTRAL_LOG_DISTRIBUTION_ROLE_ARN,
    queueUrl: undefined,
    region: "eu-west-1",
    maxBatchSize: MAX_BATCH_EVENTS,
    retryAttempts: 3,
    retryBaseDelayMs: 200,
    retryMaxDelayMs: 20_000,
    logLevel: "info",
    tenantCacheTtlMs: DEFAULT_TENANT_CACHE_TTL_SECONDS * 1000,
    concurrency: 4,
    tenantMaxInFlight: 2,
    endpoints: {},
    centralBucket: undefined,
    deliveryStateTable: undefined,
    deliveryStateTtlSeconds: 14 * 86_400,
    progressCheckpointMs: 5_000,
    progressCheckpointEvents: 0,
    maxObjectBytes: 4096 * 1024 * 1024,
    maxObjectLines: 50_000_000,
    s3PartSizeBytes: 8 * 1024 * 1024,
    cloudWatchEngine: "native",
    vectorBin: "vector",
    vectorTimeoutMs: 300_000,
    runtimeApi: undefined,
    receiveBuffer: DEFAULT_RECEIVE_BUFFER,
    sqsWaitTimeSeconds: 20,
    sqsVisibilityTimeoutSeconds: 60,
    retryVisibilityBaseSeconds: DEFAULT_RETRY_VISIBILITY_BASE_SECONDS,
    retryVisibilityMaxSeconds: DEFAULT_RETRY_VISIBILITY_MAX_SECONDS,
    shutdownGraceMs: 25_000,
    lambdaDeadlineMarginMs: 3_000,
    serviceName: "log-processor",
    metricsNamespace: "LogProcessor",
    emfIntervalMs: 0, // the worker writes nothing on stdout unless asked
  });
  equal(MAX_BATCH_EVENTS, 10_000);
});

Deno.test("Powertools' service and namespace variables and Lambda's own description of the function", () => {
  const config = loadConfig({
    ...BASE,
    AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001",
    CENTRAL_BUCKET: "mtl-prod-logs",
    POWERTOOLS_SERVICE_NAME: " mtl-prod-log-processor ",
    POWERTOOLS_METRICS_NAMESPACE: "Mtl/LogProcessor",
    AWS_LAMBDA_FUNCTION_NAME: "mtl-prod-log-processor",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1024",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_INITIALIZATION_TYPE: "provisioned-concurrency",
  }, "lambda");
  deepEqual([config.serviceName, config.metricsNamespace], ["mtl-prod-log-processor", "Mtl/LogProcessor"]);
  deepEqual(config.lambdaFunction, {
    name: "mtl-prod-log-processor",
    memorySizeMb: 1024,
    version: "$LATEST",
    initializationType: "provisioned-concurrency",
  });
  failsNaming({ ...BASE, POWERTOOLS_METRICS_NAMESPACE: "AWS/Lambda" }, "POWERTOOLS_METRICS_NAMESPACE");
  failsNaming({ ...BASE, POWERTOOLS_METRICS_NAMESPACE: "a:b" }, "POWERTOOLS_METRICS_NAMESPACE");
  failsNaming({ ...BASE, POWERTOOLS_SERVICE_NAME: "x".repeat(256) }, "POWERTOOLS_SERVICE_NAME");
});

Deno.test("METRICS_EMF_INTERVAL_SECONDS: whole seconds, 0 (off) to an hour", () => {
  const sqs = { ...BASE, SQS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/q", CENTRAL_BUCKET: "b-1" };
  equal(loadConfig({ ...sqs, METRICS_EMF_INTERVAL_SECONDS: " 60 " }, "sqs").emfIntervalMs, 60_000);
  equal(loadConfig({ ...sqs, METRICS_EMF_INTERVAL_SECONDS: "0" }, "sqs").emfIntervalMs, 0);
  equal(loadConfig({ ...sqs, METRICS_EMF_INTERVAL_SECONDS: "3600" }, "sqs").emfIntervalMs, 3_600_000);
  for (const bad of ["3601", "-1", "1.5", "1m"]) {
    failsNaming({ ...sqs, METRICS_EMF_INTERVAL_SECONDS: bad }, "METRICS_EMF_INTERVAL_SECONDS", "sqs");
  }
});

Deno.test("the configuration is frozen", () => {
  const config = loadConfig(BASE, "manual");
  equal(Object.isFrozen(config), true);
});

Deno.test("every variable is read, trimmed where it matters", () => {
  const config = loadConfig({
    ...BASE,
    TENANT_CONFIG_TABLE: " tenants-prod ",
    SQS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/log-objects",
    MAX_BATCH_SIZE: "500",
    RETRY_ATTEMPTS: "0",
    RETRY_BASE_DELAY_MS: "10",
    RETRY_MAX_DELAY_MS: "50",
    LOG_LEVEL: " DEBUG ",
    TENANT_CACHE_TTL_SECONDS: "0",
    CONCURRENCY: "16",
    AWS_ENDPOINT_URL: "http://127.0.0.1:5000",
    CENTRAL_BUCKET: "central-logs",
    PROGRESS_CHECKPOINT_SECONDS: "0",
    PROGRESS_CHECKPOINT_EVENTS: "5000",
    MAX_OBJECT_MB: "64",
    MAX_OBJECT_LINES: "1000",
  }, "sqs");
  deepEqual(
    [
      config.tenantTable,
      config.queueUrl,
      config.maxBatchSize,
      config.retryAttempts,
      config.retryBaseDelayMs,
      config.retryMaxDelayMs,
      config.logLevel,
      config.tenantCacheTtlMs,
      config.concurrency,
      config.endpoints,
      config.centralBucket,
      config.progressCheckpointMs,
      config.progressCheckpointEvents,
      config.maxObjectBytes,
      config.maxObjectLines,
    ],
    [
      "tenants-prod",
      "https://sqs.eu-west-1.amazonaws.com/123456789012/log-objects",
      500,
      0,
      10,
      50,
      "debug",
      0,
      16,
      { AWS_ENDPOINT_URL: "http://127.0.0.1:5000" },
      "central-logs",
      0,
      5000,
      64 * 1024 * 1024,
      1000,
    ],
  );
});

Deno.test("required variables missing or blank are named", () => {
  for (const name of ["TENANT_CONFIG_TABLE", "CLUSTER_TABLE", "CENTRAL_LOG_DISTRIBUTION_ROLE_ARN", "AWS_REGION"]) {
    failsNaming({ ...BASE, [name]: undefined }, name);
    failsNaming({ ...BASE, [name]: "   " }, name);
  }
});

Deno.test("AWS_DEFAULT_REGION stands in for AWS_REGION", () => {
  equal(loadConfig({ ...BASE, AWS_REGION: undefined, AWS_DEFAULT_REGION: "us-west-2" }, "manual").region, "us-west-2");
  equal(loadConfig({ ...BASE, AWS_DEFAULT_REGION: "us-west-2" }, "manual").region, "eu-west-1");
});

Deno.test("without AWS_REGION the AWS profile's region applies; without either the error names the profile", () => {
  const env = { ...BASE, AWS_REGION: undefined, AWS_PROFILE: "ops" };
  equal(loadConfig(env, "manual", { profileRegion: "eu-west-3" }).region, "eu-west-3");
  equal(loadConfig(BASE, "manual", { profileRegion: "eu-west-3" }).region, "eu-west-1", "AWS_REGION wins");
  const message = failsNaming(env, "AWS_REGION");
  ok(message.includes('nor a region in AWS profile "ops"'), message);
});

Deno.test("every endpoint variable is kept for the clients and must be a URL", () => {
  const env = { ...BASE, AWS_ENDPOINT_URL: "http://all:1", AWS_ENDPOINT_URL_DYNAMODB: " http://ddb:2 " };
  deepEqual(loadConfig(env, "manual").endpoints, {
    AWS_ENDPOINT_URL: "http://all:1",
    AWS_ENDPOINT_URL_DYNAMODB: "http://ddb:2",
  });
  failsNaming({ ...BASE, AWS_ENDPOINT_URL_S3: "not a url" }, "AWS_ENDPOINT_URL_S3");
});

Deno.test("malformed values are named with what was wrong", () => {
  failsNaming({ ...BASE, CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: "central-role" }, "CENTRAL_LOG_DISTRIBUTION_ROLE_ARN");
  failsNaming({ ...BASE, AWS_REGION: "Europe" }, "AWS_REGION");
  failsNaming({ ...BASE, SQS_QUEUE_URL: "log-objects" }, "SQS_QUEUE_URL");
  failsNaming({ ...BASE, AWS_ENDPOINT_URL: "not a url" }, "AWS_ENDPOINT_URL");
  failsNaming({ ...BASE, LOG_LEVEL: "verbose" }, "LOG_LEVEL");
});

const CENTRAL = { ...BASE, CENTRAL_BUCKET: "central-logs" };

Deno.test("SQS_QUEUE_URL is required in sqs mode only", () => {
  failsNaming(CENTRAL, "SQS_QUEUE_URL", "sqs");
  equal(loadConfig({ ...CENTRAL, AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" }, "lambda").queueUrl, undefined);
  equal(loadConfig(BASE, "manual").queueUrl, undefined);
  equal(
    loadConfig({ ...CENTRAL, SQS_QUEUE_URL: "http://localhost:4566/000000000000/q.fifo" }, "sqs").queueUrl,
    "http://localhost:4566/000000000000/q.fifo",
  );
});

Deno.test("CENTRAL_BUCKET is required in sqs and lambda modes, so no other bucket's notification is read", () => {
  const queue = { SQS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/log-objects" };
  const runtime = { AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" };
  equal(
    failsNaming({ ...BASE, ...queue }, "CENTRAL_BUCKET", "sqs"),
    "CENTRAL_BUCKET: is required in sqs mode but not set",
  );
  failsNaming({ ...BASE, ...runtime, CENTRAL_BUCKET: " " }, "CENTRAL_BUCKET", "lambda");
  equal(loadConfig({ ...CENTRAL, ...queue }, "sqs").centralBucket, "central-logs");
  equal(loadConfig(BASE, "manual").centralBucket, undefined, "manual mode and the tools may go without");
});

Deno.test("whole-number variables reject non-numbers and out-of-range values, naming the variable", () => {
  const ranges: [string, number, number][] = [
    ["MAX_BATCH_SIZE", 1, 10_000],
    ["RETRY_ATTEMPTS", 0, 10],
    ["RETRY_BASE_DELAY_MS", 1, 60_000],
    ["TENANT_CACHE_TTL_SECONDS", 0, 3600],
    ["CONCURRENCY", 1, 64],
    ["PROGRESS_CHECKPOINT_SECONDS", 0, 3600],
    ["PROGRESS_CHECKPOINT_EVENTS", 0, 100_000_000],
    ["MAX_OBJECT_MB", 1, 1_048_576],
  ];
  for (const [name, min, max] of ranges) {
    equal(typeof loadConfig({ ...BASE, [name]: String(min) }, "manual"), "object", `${name}=${min}`);
    equal(typeof loadConfig({ ...BASE, [name]: String(max) }, "manual"), "object", `${name}=${max}`);
    if (min > 0) failsNaming({ ...BASE, [name]: String(min - 1) }, name);
    const message = failsNaming({ ...BASE, [name]: String(max + 1) }, name);
    ok(message.includes(`between ${min} and ${max}`), message);
    for (const bad of ["-1", "1.5", "ten", "1e3", "0x10"]) failsNaming({ ...BASE, [name]: bad }, name);
  }
});

Deno.test("MAX_BATCH_SIZE above the API maximum of 10 000 is refused", () => {
  const message = failsNaming({ ...BASE, MAX_BATCH_SIZE: "10001" }, "MAX_BATCH_SIZE");
  ok(message.includes("10000"), message);
});

Deno.test("RETRY_MAX_DELAY_MS is at least RETRY_BASE_DELAY_MS; its default follows a larger base", () => {
  failsNaming({ ...BASE, RETRY_BASE_DELAY_MS: "500", RETRY_MAX_DELAY_MS: "100" }, "RETRY_MAX_DELAY_MS");
  equal(loadConfig({ ...BASE, RETRY_BASE_DELAY_MS: "30000" }, "manual").retryMaxDelayMs, 30_000);
  equal(loadConfig({ ...BASE, RETRY_BASE_DELAY_MS: "100" }, "manual").retryMaxDelayMs, 20_000);
});

Deno.test("mode: the flag wins, then EXECUTION_MODE, then lambda inside Lambda, else manual", () => {
  equal(resolveMode("sqs", { EXECUTION_MODE: "lambda" }), "sqs");
  equal(resolveMode(undefined, { EXECUTION_MODE: " sqs " }), "sqs");
  equal(resolveMode(undefined, { EXECUTION_MODE: "manual", AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" }), "manual");
  equal(resolveMode(undefined, { AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" }), "lambda");
  equal(resolveMode(undefined, {}), "manual");
  equal(resolveMode("", { EXECUTION_MODE: "" }), "manual");
});

Deno.test("an unknown mode names where it came from", () => {
  for (
    const [flag, env, variable] of [["batch", {}, "--mode"], [
      undefined,
      { EXECUTION_MODE: "batch" },
      "EXECUTION_MODE",
    ]] as const
  ) {
    let caught: unknown;
    throws(() => resolveMode(flag, env), (err) => (caught = err, true));
    ok(caught instanceof ConfigError);
    equal(caught.variable, variable);
    ok(caught.message.includes("lambda, sqs, manual"), caught.message);
  }
});

Deno.test("run-mode timings are read and validated, errors name the variable", () => {
  const c = loadConfig({
    ...BASE,
    SQS_WAIT_TIME_SECONDS: "1",
    SQS_VISIBILITY_TIMEOUT_SECONDS: "3",
    RETRY_VISIBILITY_BASE_SECONDS: "0",
    RETRY_VISIBILITY_MAX_SECONDS: "0",
    SHUTDOWN_GRACE_SECONDS: "2",
    LAMBDA_DEADLINE_MARGIN_MS: "250",
    RECEIVE_BUFFER: "0",
  }, "manual");
  equal(c.receiveBuffer, 0);
  deepEqual(
    [c.sqsWaitTimeSeconds, c.sqsVisibilityTimeoutSeconds, c.retryVisibilityBaseSeconds, c.retryVisibilityMaxSeconds],
    [1, 3, 0, 0],
  );
  equal(c.shutdownGraceMs, 2000);
  equal(c.lambdaDeadlineMarginMs, 250);
  failsNaming({ ...BASE, SQS_WAIT_TIME_SECONDS: "21" }, "SQS_WAIT_TIME_SECONDS");
  failsNaming({ ...BASE, SQS_VISIBILITY_TIMEOUT_SECONDS: "0" }, "SQS_VISIBILITY_TIMEOUT_SECONDS");
  failsNaming(
    { ...BASE, RETRY_VISIBILITY_BASE_SECONDS: "60", RETRY_VISIBILITY_MAX_SECONDS: "30" },
    "RETRY_VISIBILITY_MAX_SECONDS",
  );
  failsNaming({ ...BASE, SHUTDOWN_GRACE_SECONDS: "soon" }, "SHUTDOWN_GRACE_SECONDS");
  failsNaming({ ...BASE, LAMBDA_DEADLINE_MARGIN_MS: "-1" }, "LAMBDA_DEADLINE_MARGIN_MS");
  failsNaming({ ...BASE, RECEIVE_BUFFER: "101" }, "RECEIVE_BUFFER");
});

Deno.test("TENANT_MAX_IN_FLIGHT defaults to half of CONCURRENCY, rounded up, and may not exceed it", () => {
  const at = (env: Record<string, string>) => loadConfig({ ...BASE, ...env }, "manual").tenantMaxInFlight;
  deepEqual([1, 3, 4, 16].map((c) => at({ CONCURRENCY: String(c) })), [1, 2, 2, 8]);
  equal(at({ CONCURRENCY: "8", TENANT_MAX_IN_FLIGHT: "8" }), 8);
  equal(at({ CONCURRENCY: "8", TENANT_MAX_IN_FLIGHT: "1" }), 1);
  const message = failsNaming({ ...BASE, CONCURRENCY: "4", TENANT_MAX_IN_FLIGHT: "5" }, "TENANT_MAX_IN_FLIGHT");
  ok(message.includes("between 1 and 4"), message);
  failsNaming({ ...BASE, TENANT_MAX_IN_FLIGHT: "0" }, "TENANT_MAX_IN_FLIGHT");
  // The retry visibility cap follows a larger base by default.
  equal(loadConfig({ ...BASE, RETRY_VISIBILITY_BASE_SECONDS: "1000" }, "manual").retryVisibilityMaxSeconds, 1000);
});

Deno.test("lambda mode needs the Runtime API address Lambda sets", () => {
  failsNaming(CENTRAL, "AWS_LAMBDA_RUNTIME_API", "lambda");
  equal(loadConfig({ ...CENTRAL, AWS_LAMBDA_RUNTIME_API: " 127.0.0.1:9001 " }, "lambda").runtimeApi, "127.0.0.1:9001");
});

Deno.test("--listen takes host:port and names itself when wrong", () => {
  deepEqual(parseListenAddress("0.0.0.0:9090"), { hostname: "0.0.0.0", port: 9090 });
  deepEqual(parseListenAddress("[::1]:8080"), { hostname: "::1", port: 8080 });
  deepEqual(parseListenAddress("localhost:1"), { hostname: "localhost", port: 1 });
  for (const bad of ["9090", "host:", "host:70000", ":80", "a b:80"]) {
    throws(() => parseListenAddress(bad), (err) => err instanceof ConfigError && err.variable === "--listen");
  }
});

Deno.test("the queue tools need only a region; what else is set is validated as the processor validates it", () => {
  deepEqual(loadQueueToolConfig({ AWS_REGION: "eu-west-1" }), {
    region: "eu-west-1",
    endpoints: {},
    queueUrl: undefined,
    tenantTable: undefined,
    clusterTable: undefined,
    centralBucket: undefined,
    deliveryStateTable: undefined,
    logLevel: "info",
  });
  const full = loadQueueToolConfig({
    ...BASE,
    SQS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/log-objects",
    CENTRAL_BUCKET: "central-logs",
    DELIVERY_STATE_TABLE: "state",
    AWS_ENDPOINT_URL: "http://127.0.0.1:5000",
  });
  deepEqual(
    [full.queueUrl, full.tenantTable, full.centralBucket, full.deliveryStateTable, full.endpoints],
    [
      "https://sqs.eu-west-1.amazonaws.com/123456789012/log-objects",
      "tenants",
      "central-logs",
      "state",
      { AWS_ENDPOINT_URL: "http://127.0.0.1:5000" },
    ],
  );
  for (
    const [env, variable] of [
      [{}, "AWS_REGION"],
      [{ AWS_REGION: "eu-west-1", SQS_QUEUE_URL: "log-objects" }, "SQS_QUEUE_URL"],
      [{ AWS_REGION: "eu-west-1", CENTRAL_BUCKET: "Bad_Bucket" }, "CENTRAL_BUCKET"],
      [{ AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL: "not a url" }, "AWS_ENDPOINT_URL"],
    ] as const
  ) {
    throws(() => loadQueueToolConfig(env), (err) => err instanceof ConfigError && err.variable === variable);
  }
});

Deno.test("the cluster registry is required in every mode; its cache TTL and the writer-identity switch are checked", () => {
  for (const mode of ["manual", "sqs", "lambda"] as const) {
    const env = {
      ...BASE,
      CLUSTER_TABLE: undefined,
      CENTRAL_BUCKET: "central-logs",
      SQS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/q",
      AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001",
    };
    equal(failsNaming(env, "CLUSTER_TABLE", mode), "CLUSTER_TABLE: is required but not set");
  }
  failsNaming({ ...BASE, CLUSTER_TABLE: "a b" }, "CLUSTER_TABLE");
  failsNaming({ ...BASE, CLUSTER_CACHE_TTL_SECONDS: "3601" }, "CLUSTER_CACHE_TTL_SECONDS");
  failsNaming({ ...BASE, REQUIRE_WRITER_IDENTITY: "yes" }, "REQUIRE_WRITER_IDENTITY");
  const strict = loadConfig({ ...BASE, REQUIRE_WRITER_IDENTITY: "TRUE", CLUSTER_CACHE_TTL_SECONDS: "5" }, "manual");
  deepEqual([strict.requireWriterIdentity, strict.clusterCacheTtlMs], [true, 5000]);
});
