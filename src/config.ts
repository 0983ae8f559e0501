/**
 * Typed, frozen configuration read once from the environment (DESIGN 1.4).
 * Invalid values fail at start with a {@link ConfigError} naming the variable.
 *
 * @module
 */
import type { ClientSettings } from "./aws/client_config.ts";
import { endpointNames } from "./aws/configured_endpoint.ts";
import { type ProfileFiles, profileRegion } from "./aws/profile_region.ts";
import { MAX_BATCH_EVENTS } from "./delivery/cloudwatch/limits.ts";
import { CLOUDWATCH_ENGINES, type CloudWatchEngine } from "./delivery/destination.ts";
import { ConfigError } from "./errors.ts";
import { EMF_NAMESPACE } from "./telemetry/emf.ts";
import { LOG_LEVELS, type LogLevel } from "./telemetry/logger.ts";
import type { ValidationContext } from "./tenant/delivery_type.ts";
import {
  arnAccount,
  bucketNameProblem,
  QUEUE_URL_PATTERN,
  REGION_PATTERN,
  ROLE_ARN_PATTERN,
  TABLE_NAME_PATTERN,
} from "./aws/name_rules.ts";

/** How the processor receives its work. */
export type Mode = "lambda" | "sqs" | "manual";

export const MODES: readonly Mode[] = ["lambda", "sqs", "manual"];

const DEFAULT_RETRY_ATTEMPTS = 3;
const DEFAULT_RETRY_BASE_DELAY_MS = 200;
const DEFAULT_RETRY_MAX_DELAY_MS = 20_000;
export const DEFAULT_TENANT_CACHE_TTL_SECONDS = 60;
/** How long a cluster-registry answer is used: also how long disabling or removing a cluster takes to apply. */
export const DEFAULT_CLUSTER_CACHE_TTL_SECONDS = 60;
const DEFAULT_CONCURRENCY = 4;
/**
 * SQS worker: received messages that may wait for a processing slot, so a
 * receive can take ten at a time (the API maximum) whatever CONCURRENCY is.
 */
export const DEFAULT_RECEIVE_BUFFER = 10;
/** SQS worker: a tenant may have this share of CONCURRENCY processing at once by default (rounded up). */
export const DEFAULT_TENANT_SHARE = 0.5;
/** SQS long-poll wait (the API maximum). */
const DEFAULT_SQS_WAIT_TIME_SECONDS = 20;
/** Visibility timeout set on receive and renewed by the heartbeat while a message is processed. */
const DEFAULT_SQS_VISIBILITY_TIMEOUT_SECONDS = 60;
/** Visibility of a retryable message: base · 2^(receives-1), capped at the max. */
export const DEFAULT_RETRY_VISIBILITY_BASE_SECONDS = 5;
export const DEFAULT_RETRY_VISIBILITY_MAX_SECONDS = 900;
/** Time in-flight work gets after SIGTERM/SIGINT (below Kubernetes' default 30 s). */
const DEFAULT_SHUTDOWN_GRACE_SECONDS = 25;
/** Lambda: stop starting records and answer when this little time is left. */
const DEFAULT_LAMBDA_DEADLINE_MARGIN_MS = 3_000;
/** Delivery-state items expire this long after their last write (SQS keeps a message 14 days at most). */
export const DEFAULT_DELIVERY_STATE_TTL_DAYS = 14;
/** Multipart part size for S3 deliveries; S3 needs at least 5 MiB per part but the last. */
export const DEFAULT_S3_PART_SIZE_MB = 8;
export const MIN_S3_PART_SIZE_MB = 5;
/** A long object writes its progress at least this often while it runs (0: only when an attempt ends). */
export const DEFAULT_PROGRESS_CHECKPOINT_SECONDS = 5;
/** …and after this many events handled by one delivery (0: no count limit). */
export const DEFAULT_PROGRESS_CHECKPOINT_EVENTS = 0;
/** Caps on one object, decompressed: past either it is permanent `ObjectTooLarge`. */
export const DEFAULT_MAX_OBJECT_MB = 4096;
export const DEFAULT_MAX_OBJECT_LINES = 50_000_000;
export const DEFAULT_VECTOR_BIN = "vector";
export const DEFAULT_VECTOR_TIMEOUT_SECONDS = 300;

/** Everything the processor reads from its environment. */
export interface Config {
  readonly mode: Mode;
  readonly tenantTable: string;
  /** The cluster registry (DESIGN 1.6): objects of clusters not registered there are refused. */
  readonly clusterTable: string;
  readonly clusterCacheTtlMs: number;
  /** Refuse objects whose notification names no writer (S3 always does; moto and replays do not). */
  readonly requireWriterIdentity: boolean;
  readonly centralRoleArn: string;
  readonly queueUrl?: string;
  readonly region: string;
  /** Events per PutLogEvents call, 1..10 000. */
  readonly maxBatchSize: number;
  /** Retries after the first attempt for retryable AWS errors. */
  readonly retryAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly logLevel: LogLevel;
  readonly tenantCacheTtlMs: number;
  /** Objects processed at once (SQS worker and Lambda batches). */
  readonly concurrency: number;
  /**
   * The endpoint variables set (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>,
   * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS): each client takes its service's
   * endpoint from them by the SDK's rule (local emulators, VPC endpoints).
   */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Lambda: the Runtime API host:port (AWS_LAMBDA_RUNTIME_API, set by Lambda). */
  readonly runtimeApi?: string;
  /** SQS worker: received messages waiting for a slot, beyond `concurrency` (0..100). */
  readonly receiveBuffer: number;
  /** SQS worker: messages of one tenant processed at once, 1..`concurrency`. */
  readonly tenantMaxInFlight: number;
  /** SQS worker: long-poll wait per ReceiveMessage, 0..20 s. */
  readonly sqsWaitTimeSeconds: number;
  /** SQS worker: visibility set on receive and renewed by the heartbeat. */
  readonly sqsVisibilityTimeoutSeconds: number;
  /** SQS worker: visibility of a retryable message grows from this base with its receive count… */
  readonly retryVisibilityBaseSeconds: number;
  /** …up to this cap. */
  readonly retryVisibilityMaxSeconds: number;
  /** SQS worker: how long in-flight work may finish after SIGTERM/SIGINT. */
  readonly shutdownGraceMs: number;
  /** Lambda: time kept in reserve before the invocation deadline. */
  readonly lambdaDeadlineMarginMs: number;
  /** The central bucket: objects of another bucket are refused, S3 deliveries into it are invalid (they would loop). */
  readonly centralBucket?: string;
  /** DynamoDB table remembering how far each delivery of an object got; unset = off. */
  readonly deliveryStateTable?: string;
  readonly deliveryStateTtlSeconds: number;
  /** A running object's progress is written at least this often (0 = only when an attempt ends)… */
  readonly progressCheckpointMs: number;
  /** …and after this many events of one delivery (0 = no count limit). */
  readonly progressCheckpointEvents: number;
  /** Decompressed bytes and lines one object may have. */
  readonly maxObjectBytes: number;
  readonly maxObjectLines: number;
  /** Bytes per multipart part of an S3 delivery (also its memory per delivery). */
  readonly s3PartSizeBytes: number;
  readonly cloudWatchEngine: CloudWatchEngine;
  /** The Vector executable for `cloudWatchEngine: "vector"`. */
  readonly vectorBin: string;
  readonly vectorTimeoutMs: number;
  /** `POWERTOOLS_SERVICE_NAME`: the `service` key of every log line and EMF metric. */
  readonly serviceName: string;
  /** `POWERTOOLS_METRICS_NAMESPACE`: the CloudWatch namespace of the EMF metrics. */
  readonly metricsNamespace: string;
  /** What Lambda says about the function (its reserved variables); absent outside Lambda. */
  readonly lambdaFunction?: LambdaFunctionInfo;
  /** SQS worker: write EMF metrics on stdout this often (`METRICS_EMF_INTERVAL_SECONDS`); 0 = off. */
  readonly emfIntervalMs: number;
}

/** An environment: variable name → value (the process environment, or a test's). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The function, from Lambda's reserved environment variables. */
export interface LambdaFunctionInfo {
  /** `AWS_LAMBDA_FUNCTION_NAME`. */
  readonly name: string;
  /** `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, MB. */
  readonly memorySizeMb?: number;
  /** `AWS_LAMBDA_FUNCTION_VERSION`. */
  readonly version?: string;
  /** `AWS_LAMBDA_INITIALIZATION_TYPE`: `on-demand`, `provisioned-concurrency` or `snap-start`. */
  readonly initializationType?: string;
}

/** The default `service` (Powertools' key) of logs and metrics. */
const DEFAULT_SERVICE_NAME = "log-processor";
/** The default CloudWatch namespace of the EMF metrics. */
const DEFAULT_METRICS_NAMESPACE = EMF_NAMESPACE;
/**
 * The SQS worker's EMF output on stdout: off unless asked for (each metric it
 * creates in CloudWatch is a custom metric; k8s/processor/processor.env turns it on).
 */
const DEFAULT_METRICS_EMF_INTERVAL_SECONDS = 0;
/** At most one EMF flush an hour (CloudWatch keeps 1-minute data 15 days). */
export const MAX_METRICS_EMF_INTERVAL_SECONDS = 3600;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, "is required but not set");
  return value;
}

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) {
    throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function oneOf<T extends string>(
  name: string,
  raw: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}

/**
 * The run mode: the `--mode` flag, else `EXECUTION_MODE`, else lambda inside Lambda, else manual.
 *
 * @throws {ConfigError} naming `--mode` or `EXECUTION_MODE` when it is not a mode.
 */
export function resolveMode(flag: string | undefined, env: Env): Mode {
  if (flag) return oneOf("--mode", flag, MODES);
  const fromEnv = env.EXECUTION_MODE?.trim();
  if (fromEnv) return oneOf("EXECUTION_MODE", fromEnv, MODES);
  return env.AWS_LAMBDA_RUNTIME_API ? "lambda" : "manual";
}

/** What the environment alone cannot say (read by the caller, see src/aws/profile_region.ts). */
export interface ConfigDefaults {
  /** The `region` of the active AWS profile, used when AWS_REGION and AWS_DEFAULT_REGION are unset. */
  readonly profileRegion?: string;
}

function regionOf(env: Env, defaults: ConfigDefaults): string {
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || defaults.profileRegion?.trim();
  if (!region) {
    const profile = env.AWS_PROFILE?.trim() || "default";
    throw new ConfigError("AWS_REGION", `is required but not set (nor a region in AWS profile "${profile}")`);
  }
  if (!REGION_PATTERN.test(region)) {
    throw new ConfigError("AWS_REGION", `is not a region name: "${region}"`);
  }
  return region;
}

function queueUrlOf(env: Env): string | undefined {
  const queueUrl = env.SQS_QUEUE_URL?.trim() || undefined;
  if (queueUrl && !QUEUE_URL_PATTERN.test(queueUrl)) {
    throw new ConfigError("SQS_QUEUE_URL", `is not an SQS queue URL: "${queueUrl}"`);
  }
  return queueUrl;
}

/**
 * The endpoint variables of `env` (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>,
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) for the SDK clients (clientConfig), as
 * the tools pass them; {@link loadConfig} also checks each is a URL.
 */
export function endpointSettings(env: Env): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of endpointNames(Object.keys(env))) {
    const value = env[name]?.trim();
    if (value) out[name] = value;
  }
  return Object.freeze(out);
}

/** The endpoint variables, each a URL. */
function endpointsOf(env: Env): Readonly<Record<string, string>> {
  const endpoints = endpointSettings(env);
  for (const [name, url] of Object.entries(endpoints)) {
    if (name.startsWith("AWS_ENDPOINT_URL") && !URL.canParse(url)) {
      throw new ConfigError(name, `is not a URL: "${url}"`);
    }
  }
  return endpoints;
}

/** Which AWS profile applies, in which files (AWS_PROFILE, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE). */
function profileFiles(env: Env): ProfileFiles {
  return {
    profile: env.AWS_PROFILE?.trim() || "default",
    configFile: env.AWS_CONFIG_FILE?.trim() || undefined,
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE?.trim() || undefined,
  };
}

/**
 * What {@link loadConfig} needs beyond the environment: the AWS profile's
 * region, read from its files only when AWS_REGION and AWS_DEFAULT_REGION are
 * unset.
 */
export async function configDefaults(env: Env): Promise<ConfigDefaults> {
  if (env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim()) return {};
  return { profileRegion: await profileRegion(profileFiles(env)) };
}

/** The region as the SDK resolves it: AWS_REGION, else AWS_DEFAULT_REGION, else the profile's; undefined: none. */
export async function resolveRegion(env: Env): Promise<string | undefined> {
  return env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || (await configDefaults(env)).profileRegion;
}

/**
 * CUSTOMER_ROLE_NAME_PATTERN (`tenants add`): the core stack's
 * CustomerRoleNamePattern, comma-separated role names with `*` wildcards,
 * for an operator who may not read the central role's policy; undefined when
 * unset.
 */
export function customerRoleNamePatterns(env: Env): string[] | undefined {
  const given = env.CUSTOMER_ROLE_NAME_PATTERN?.trim();
  return given ? given.split(",").map((p) => p.trim()).filter(Boolean) : undefined;
}

function centralBucketOf(env: Env): string | undefined {
  const centralBucket = env.CENTRAL_BUCKET?.trim() || undefined;
  const bucketProblem = centralBucket ? bucketNameProblem(centralBucket) : undefined;
  if (bucketProblem) {
    throw new ConfigError("CENTRAL_BUCKET", `is not a bucket name: "${centralBucket}" ${bucketProblem}`);
  }
  return centralBucket;
}

function deliveryStateTableOf(env: Env): string | undefined {
  const deliveryStateTable = env.DELIVERY_STATE_TABLE?.trim() || undefined;
  if (deliveryStateTable && !TABLE_NAME_PATTERN.test(deliveryStateTable)) {
    throw new ConfigError("DELIVERY_STATE_TABLE", `is not a DynamoDB table name: "${deliveryStateTable}"`);
  }
  return deliveryStateTable;
}

/**
 * The log level to use before the configuration is loaded (to report that it
 * is invalid): `LOG_LEVEL` when it names a level, else info.
 */
export function bootLogLevel(env: Env): LogLevel {
  return LOG_LEVELS.find((l) => l === env.LOG_LEVEL?.trim().toLowerCase()) ?? "info";
}

/**
 * Where to report an invalid configuration (`/init/error`): the Runtime API
 * address when running as a Lambda runtime (AWS_LAMBDA_RUNTIME_API set, and
 * the mode is, or defaults to, lambda, or is not a mode at all), so the
 * invocation fails with the variable's name instead of a bare "Runtime
 * exited"; otherwise undefined.
 */
export function initErrorRuntimeApi(flagMode: string | undefined, env: Env): string | undefined {
  const api = env.AWS_LAMBDA_RUNTIME_API?.trim();
  const mode = flagMode ?? (env.EXECUTION_MODE?.trim() || "lambda");
  const otherMode = (MODES as readonly string[]).includes(mode) && mode !== "lambda";
  return api && !otherMode ? api : undefined;
}

/**
 * Reads and validates the configuration (DESIGN 1.4), frozen; defaults are the named constants above.
 *
 * @throws {ConfigError} on the first missing or bad variable; its `variable` names it.
 *
 * @example
 * ```ts
 * const config = loadConfig(Deno.env.toObject(), resolveMode(undefined, Deno.env.toObject()));
 * const pipeline = createPipeline(config, createLogger(config.logLevel));
 * ```
 */
export function loadConfig(env: Env, mode: Mode, defaults: ConfigDefaults = {}): Config {
  const centralRoleArn = required(env, "CENTRAL_LOG_DISTRIBUTION_ROLE_ARN");
  if (!ROLE_ARN_PATTERN.test(centralRoleArn)) {
    throw new ConfigError(
      "CENTRAL_LOG_DISTRIBUTION_ROLE_ARN",
      `is not an IAM role ARN: "${centralRoleArn}"`,
    );
  }
  const region = regionOf(env, defaults);
  const queueUrl = queueUrlOf(env);
  if (mode === "sqs" && !queueUrl) {
    throw new ConfigError("SQS_QUEUE_URL", "is required in sqs mode but not set");
  }
  const runtimeApi = env.AWS_LAMBDA_RUNTIME_API?.trim() || undefined;
  if (mode === "lambda" && !runtimeApi) {
    throw new ConfigError("AWS_LAMBDA_RUNTIME_API", "is required in lambda mode (Lambda sets it) but not set");
  }
  const endpoints = endpointsOf(env);
  const centralBucket = centralBucketOf(env);
  if ((mode === "sqs" || mode === "lambda") && !centralBucket) {
    // Without it a notification naming any bucket the processor can read would be delivered.
    throw new ConfigError("CENTRAL_BUCKET", `is required in ${mode} mode but not set`);
  }
  const deliveryStateTable = deliveryStateTableOf(env);
  const concurrency = integer(env, "CONCURRENCY", DEFAULT_CONCURRENCY, 1, 64);
  const retryBaseDelayMs = integer(
    env,
    "RETRY_BASE_DELAY_MS",
    DEFAULT_RETRY_BASE_DELAY_MS,
    1,
    60_000,
  );
  return Object.freeze({
    mode,
    tenantTable: required(env, "TENANT_CONFIG_TABLE"),
    centralRoleArn,
    queueUrl,
    region,
    maxBatchSize: integer(env, "MAX_BATCH_SIZE", MAX_BATCH_EVENTS, 1, MAX_BATCH_EVENTS),
    retryAttempts: integer(env, "RETRY_ATTEMPTS", DEFAULT_RETRY_ATTEMPTS, 0, 10),
    retryBaseDelayMs,
    retryMaxDelayMs: integer(
      env,
      "RETRY_MAX_DELAY_MS",
      Math.max(DEFAULT_RETRY_MAX_DELAY_MS, retryBaseDelayMs),
      retryBaseDelayMs,
      300_000,
    ),
    logLevel: oneOf("LOG_LEVEL", env.LOG_LEVEL?.trim().toLowerCase() || "info", LOG_LEVELS),
    tenantCacheTtlMs: integer(
      env,
      "TENANT_CACHE_TTL_SECONDS",
      DEFAULT_TENANT_CACHE_TTL_SECONDS,
      0,
      3600,
    ) * 1000,
    concurrency,
    tenantMaxInFlight: integer(
      env,
      "TENANT_MAX_IN_FLIGHT",
      Math.ceil(concurrency * DEFAULT_TENANT_SHARE),
      1,
      concurrency,
    ),
    endpoints,
    centralBucket,
    deliveryStateTable,
    deliveryStateTtlSeconds: integer(
      env,
      "DELIVERY_STATE_TTL_DAYS",
      DEFAULT_DELIVERY_STATE_TTL_DAYS,
      1,
      365,
    ) * 86_400,
    progressCheckpointMs: integer(
      env,
      "PROGRESS_CHECKPOINT_SECONDS",
      DEFAULT_PROGRESS_CHECKPOINT_SECONDS,
      0,
      3600,
    ) * 1000,
    progressCheckpointEvents: integer(
      env,
      "PROGRESS_CHECKPOINT_EVENTS",
      DEFAULT_PROGRESS_CHECKPOINT_EVENTS,
      0,
      100_000_000,
    ),
    maxObjectBytes: integer(env, "MAX_OBJECT_MB", DEFAULT_MAX_OBJECT_MB, 1, 1_048_576) * 1024 * 1024,
    maxObjectLines: integer(env, "MAX_OBJECT_LINES", DEFAULT_MAX_OBJECT_LINES, 1, 1_000_000_000_000),
    s3PartSizeBytes: integer(env, "S3_PART_SIZE_MB", DEFAULT_S3_PART_SIZE_MB, MIN_S3_PART_SIZE_MB, 512) * 1024 * 1024,
    cloudWatchEngine: oneOf(
      "CLOUDWATCH_ENGINE",
      env.CLOUDWATCH_ENGINE?.trim().toLowerCase() || "native",
      CLOUDWATCH_ENGINES,
    ),
    vectorBin: env.VECTOR_BIN?.trim() || DEFAULT_VECTOR_BIN,
    vectorTimeoutMs: integer(env, "VECTOR_TIMEOUT_SECONDS", DEFAULT_VECTOR_TIMEOUT_SECONDS, 5, 3600) * 1000,
    runtimeApi,
    ...clusterSettings(env),
    ...runtimeSettings(env),
    ...telemetrySettings(env),
  });
}

/**
 * What the queue tools (`log-processor dlq …`) read: only the region is
 * required, so they run with just AWS_REGION and credentials; the rest, when
 * set, adds detail (the tenant table and central bucket to tell why a message
 * failed). Validated as {@link loadConfig} validates them.
 */
export interface QueueToolConfig {
  readonly region: string;
  /** As {@link Config.endpoints}. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** The source queue; its redrive policy names the DLQ. */
  readonly queueUrl?: string;
  readonly tenantTable?: string;
  /** The cluster registry: a dead-lettered refused write is told apart from a delivery failure. */
  readonly clusterTable?: string;
  readonly centralBucket?: string;
  readonly deliveryStateTable?: string;
  readonly logLevel: LogLevel;
}

/** Reads the queue tools' configuration; throws {@link ConfigError} on the first bad variable. */
export function loadQueueToolConfig(env: Env, defaults: ConfigDefaults = {}): QueueToolConfig {
  return Object.freeze({
    region: regionOf(env, defaults),
    endpoints: endpointsOf(env),
    queueUrl: queueUrlOf(env),
    tenantTable: env.TENANT_CONFIG_TABLE?.trim() || undefined,
    clusterTable: env.CLUSTER_TABLE?.trim() || undefined,
    centralBucket: centralBucketOf(env),
    deliveryStateTable: deliveryStateTableOf(env),
    logLevel: oneOf("LOG_LEVEL", env.LOG_LEVEL?.trim().toLowerCase() || "info", LOG_LEVELS),
  });
}

/**
 * The cluster registry: required in every mode (fail closed; there is no
 * setting that turns the writer check off).
 */
function clusterSettings(env: Env) {
  const clusterTable = required(env, "CLUSTER_TABLE");
  if (!TABLE_NAME_PATTERN.test(clusterTable)) {
    throw new ConfigError("CLUSTER_TABLE", `is not a DynamoDB table name: "${clusterTable}"`);
  }
  const flag = env.REQUIRE_WRITER_IDENTITY?.trim().toLowerCase() || "false";
  return {
    clusterTable,
    clusterCacheTtlMs: integer(env, "CLUSTER_CACHE_TTL_SECONDS", DEFAULT_CLUSTER_CACHE_TTL_SECONDS, 0, 3600) * 1000,
    requireWriterIdentity: oneOf("REQUIRE_WRITER_IDENTITY", flag, ["true", "false"]) === "true",
  };
}

/** Timing of the SQS worker and the Lambda runtime (all overridable so tests run fast). */
function runtimeSettings(env: Env) {
  const retryVisibilityBaseSeconds = integer(
    env,
    "RETRY_VISIBILITY_BASE_SECONDS",
    DEFAULT_RETRY_VISIBILITY_BASE_SECONDS,
    0,
    43_200,
  );
  return {
    receiveBuffer: integer(env, "RECEIVE_BUFFER", DEFAULT_RECEIVE_BUFFER, 0, 100),
    sqsWaitTimeSeconds: integer(env, "SQS_WAIT_TIME_SECONDS", DEFAULT_SQS_WAIT_TIME_SECONDS, 0, 20),
    sqsVisibilityTimeoutSeconds: integer(
      env,
      "SQS_VISIBILITY_TIMEOUT_SECONDS",
      DEFAULT_SQS_VISIBILITY_TIMEOUT_SECONDS,
      1,
      43_200,
    ),
    retryVisibilityBaseSeconds,
    retryVisibilityMaxSeconds: integer(
      env,
      "RETRY_VISIBILITY_MAX_SECONDS",
      Math.max(DEFAULT_RETRY_VISIBILITY_MAX_SECONDS, retryVisibilityBaseSeconds),
      retryVisibilityBaseSeconds,
      43_200,
    ),
    shutdownGraceMs: integer(env, "SHUTDOWN_GRACE_SECONDS", DEFAULT_SHUTDOWN_GRACE_SECONDS, 0, 3600) * 1000,
    lambdaDeadlineMarginMs: integer(
      env,
      "LAMBDA_DEADLINE_MARGIN_MS",
      DEFAULT_LAMBDA_DEADLINE_MARGIN_MS,
      0,
      600_000,
    ),
  };
}

/**
 * What validating tenant items needs from the deployment: the central bucket
 * (no delivery into it) and the central account (no delivery role in it),
 * the latter from the central role's ARN when known.
 */
export function validationContext(
  config: { readonly centralBucket?: string; readonly centralRoleArn?: string },
): ValidationContext {
  const centralAccount = config.centralRoleArn ? arnAccount(config.centralRoleArn) : undefined;
  return { centralBucket: config.centralBucket, ...(centralAccount ? { centralAccount } : {}) };
}

/** The SDK settings every client of `config` starts from: its region and endpoint variables. */
export function clientSettings(config: Pick<Config, "region" | "endpoints">): ClientSettings {
  return { region: config.region, endpoints: config.endpoints };
}

/**
 * Service name, metrics namespace and the Lambda function's own description
 * (Powertools' variables), and the SQS worker's EMF interval.
 */
export function telemetrySettings(
  env: Env,
): Pick<Config, "serviceName" | "metricsNamespace" | "lambdaFunction" | "emfIntervalMs"> {
  const serviceName = env.POWERTOOLS_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME;
  if (serviceName.length > 255) throw new ConfigError("POWERTOOLS_SERVICE_NAME", "must be at most 255 characters");
  const metricsNamespace = env.POWERTOOLS_METRICS_NAMESPACE?.trim() || DEFAULT_METRICS_NAMESPACE;
  if (!/^[\w.#/ -]{1,255}$/.test(metricsNamespace) || metricsNamespace.startsWith("AWS/")) {
    throw new ConfigError(
      "POWERTOOLS_METRICS_NAMESPACE",
      `is not a custom CloudWatch namespace (1-255 of A-Z a-z 0-9 . - _ / # space, not AWS/…): "${metricsNamespace}"`,
    );
  }
  const name = env.AWS_LAMBDA_FUNCTION_NAME?.trim();
  const memory = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE?.trim());
  const lambdaFunction: LambdaFunctionInfo | undefined = name
    ? {
      name,
      ...(Number.isInteger(memory) && memory > 0 ? { memorySizeMb: memory } : {}),
      ...(env.AWS_LAMBDA_FUNCTION_VERSION?.trim() ? { version: env.AWS_LAMBDA_FUNCTION_VERSION.trim() } : {}),
      ...(env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim()
        ? { initializationType: env.AWS_LAMBDA_INITIALIZATION_TYPE.trim() }
        : {}),
    }
    : undefined;
  const emfIntervalMs = integer(
    env,
    "METRICS_EMF_INTERVAL_SECONDS",
    DEFAULT_METRICS_EMF_INTERVAL_SECONDS,
    0,
    MAX_METRICS_EMF_INTERVAL_SECONDS,
  ) * 1000;
  return { serviceName, metricsNamespace, ...(lambdaFunction ? { lambdaFunction } : {}), emfIntervalMs };
}

/** A `--listen` address. */
export interface ListenAddress {
  readonly hostname: string;
  readonly port: number;
}

/**
 * Parses `host:port` (IPv6 as `[::1]:9090`).
 *
 * @throws {ConfigError} naming `--listen` when `raw` is not host:port with a port in 1..65535.
 */
export function parseListenAddress(raw: string): ListenAddress {
  const m = raw.trim().match(/^(?:\[([0-9a-fA-F:.]+)\]|([\w.-]+)):(\d{1,5})$/);
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65_535) {
    throw new ConfigError("--listen", `must be host:port (for example 0.0.0.0:9090), got "${raw}"`);
  }
  return { hostname: m[1] ?? m[2] ?? "", port };
}
