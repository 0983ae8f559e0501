import { deepEqual, equal, throws } from "node:assert/strict";
import {
  DEFAULT_LAMBDA_DEADLINE_MARGIN_MS,
  DEFAULT_SHUTDOWN_GRACE_SECONDS,
  DEFAULT_SQS_VISIBILITY_TIMEOUT_SECONDS,
  DEFAULT_SQS_WAIT_TIME_SECONDS,
  loadConfig,
  parseListenAddress,
} from "./config.ts";
import { ConfigError } from "./errors.ts";

const base = {
  TENANT_CONFIG_TABLE: "tenants",
  CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/central",
  AWS_REGION: "eu-west-1",
  SQS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/logs",
};

const failsOn = (variable: string, env: Record<string, string>, mode: "sqs" | "lambda" = "sqs") =>
  throws(() => loadConfig({ ...base, ...env }, mode), (err) => err instanceof ConfigError && err.variable === variable);

Deno.test("runtime timing settings have documented defaults", () => {
  const c = loadConfig(base, "sqs");
  equal(c.sqsWaitTimeSeconds, DEFAULT_SQS_WAIT_TIME_SECONDS);
  equal(c.sqsVisibilityTimeoutSeconds, DEFAULT_SQS_VISIBILITY_TIMEOUT_SECONDS);
  equal(c.shutdownGraceMs, DEFAULT_SHUTDOWN_GRACE_SECONDS * 1000);
  equal(c.lambdaDeadlineMarginMs, DEFAULT_LAMBDA_DEADLINE_MARGIN_MS);
  equal(c.retryVisibilityMaxSeconds >= c.retryVisibilityBaseSeconds, true);
});

Deno.test("runtime timing settings are read and validated, errors name the variable", () => {
  const c = loadConfig({
    ...base,
    SQS_WAIT_TIME_SECONDS: "1",
    SQS_VISIBILITY_TIMEOUT_SECONDS: "3",
    RETRY_VISIBILITY_BASE_SECONDS: "0",
    RETRY_VISIBILITY_MAX_SECONDS: "0",
    SHUTDOWN_GRACE_SECONDS: "2",
    LAMBDA_DEADLINE_MARGIN_MS: "250",
  }, "sqs");
  deepEqual(
    [c.sqsWaitTimeSeconds, c.sqsVisibilityTimeoutSeconds, c.retryVisibilityBaseSeconds, c.retryVisibilityMaxSeconds],
    [1, 3, 0, 0],
  );
  equal(c.shutdownGraceMs, 2000);
  equal(c.lambdaDeadlineMarginMs, 250);
  failsOn("SQS_WAIT_TIME_SECONDS", { SQS_WAIT_TIME_SECONDS: "21" });
  failsOn("SQS_VISIBILITY_TIMEOUT_SECONDS", { SQS_VISIBILITY_TIMEOUT_SECONDS: "0" });
  failsOn("RETRY_VISIBILITY_MAX_SECONDS", { RETRY_VISIBILITY_BASE_SECONDS: "60", RETRY_VISIBILITY_MAX_SECONDS: "30" });
  failsOn("SHUTDOWN_GRACE_SECONDS", { SHUTDOWN_GRACE_SECONDS: "soon" });
  failsOn("LAMBDA_DEADLINE_MARGIN_MS", { LAMBDA_DEADLINE_MARGIN_MS: "-1" });
});

Deno.test("lambda mode needs the Runtime API address Lambda sets", () => {
  failsOn("AWS_LAMBDA_RUNTIME_API", {}, "lambda");
  equal(loadConfig({ ...base, AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" }, "lambda").runtimeApi, "127.0.0.1:9001");
});

Deno.test("--listen takes host:port and names itself when wrong", () => {
  deepEqual(parseListenAddress("0.0.0.0:9090"), { hostname: "0.0.0.0", port: 9090 });
  deepEqual(parseListenAddress("[::1]:8080"), { hostname: "::1", port: 8080 });
  deepEqual(parseListenAddress("localhost:1"), { hostname: "localhost", port: 1 });
  for (const bad of ["9090", "host:", "host:70000", ":80", "a b:80"]) {
    throws(() => parseListenAddress(bad), (err) => err instanceof ConfigError && err.variable === "--listen");
  }
});
