/**
 * Entry point of `log-processor`: arguments and environment → Config → wired
 * pipeline → the selected mode. The only module that exits the process.
 *
 * It catches SIGTERM/SIGINT first thing and loads the modes (the AWS SDK, a
 * few hundred milliseconds) only then, through dynamic imports: a signal
 * that arrives while the process starts stops the worker gracefully (exit 0)
 * instead of killing it by the default action (exit 143). Its own static
 * imports stay light for that reason.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  bootLogLevel,
  configDefaults,
  initErrorRuntimeApi,
  type ListenAddress,
  loadConfig,
  parseListenAddress,
  resolveMode,
} from "./config.ts";
import { ConfigError, errorMessage } from "./errors.ts";
import { catchEarlySignals, type EarlySignals, signalExitStatus } from "./runtime/shutdown_signals.ts";
import { createLogger } from "./telemetry/logger.ts";

/** What `log-processor --version` prints (exported for the test that runs the packaged Lambda bootstrap). */
export const VERSION = "0.1.0";

const USAGE = `log-processor ${VERSION}: deliver tenant logs from the central bucket into customer accounts

Usage:
  log-processor [--mode lambda|sqs|manual] [--listen host:port]
  log-processor tenants add|get|list|remove|verify ...   (log-processor tenants --help)
  log-processor clusters add|get|list|remove|verify|... (log-processor clusters --help)
  log-processor replay --prefix <customer_id>[/...] ...  (log-processor replay --help)
  log-processor dlq stats|peek|redrive ...               (log-processor dlq --help)

Modes (default: EXECUTION_MODE, else lambda inside AWS Lambda, else manual):
  manual   read SQS message bodies (SNS envelope, S3 event or EventBridge event;
           one JSON document or several) on stdin, print one JSON result line per
           object, exit non-zero if anything was not delivered
  sqs      long-poll SQS_QUEUE_URL; delete what was delivered or skipped;
           SIGTERM/SIGINT finish in-flight work (SHUTDOWN_GRACE_SECONDS) and exit 0
  lambda   run as a Lambda custom runtime (SQS event batches, partial batch responses)

Options:
  --listen host:port   sqs mode: serve /livez, /healthz and Prometheus /metrics (off by default)

Environment: TENANT_CONFIG_TABLE, CLUSTER_TABLE, CENTRAL_LOG_DISTRIBUTION_ROLE_ARN,
AWS_REGION (else the AWS_PROFILE's region), SQS_QUEUE_URL (sqs), CLUSTER_CACHE_TTL_SECONDS, REQUIRE_WRITER_IDENTITY,
MAX_BATCH_SIZE, RETRY_ATTEMPTS, RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS,
TENANT_CACHE_TTL_SECONDS, CONCURRENCY, RECEIVE_BUFFER, TENANT_MAX_IN_FLIGHT, LOG_LEVEL,
AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, SQS_WAIT_TIME_SECONDS, SQS_VISIBILITY_TIMEOUT_SECONDS,
RETRY_VISIBILITY_BASE_SECONDS, RETRY_VISIBILITY_MAX_SECONDS, SHUTDOWN_GRACE_SECONDS,
LAMBDA_DEADLINE_MARGIN_MS, CENTRAL_BUCKET, DELIVERY_STATE_TABLE, DELIVERY_STATE_TTL_DAYS,
PROGRESS_CHECKPOINT_SECONDS, PROGRESS_CHECKPOINT_EVENTS, MAX_OBJECT_MB, MAX_OBJECT_LINES,
S3_PART_SIZE_MB, CLOUDWATCH_ENGINE, VECTOR_BIN, VECTOR_TIMEOUT_SECONDS,
POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE. See README.md.
`;

async function readStdin(): Promise<string> {
  return await new Response(Deno.stdin.readable).text();
}

/** What {@link main} may be given besides the arguments and environment. */
export interface MainOptions {
  /** Signals caught since the process started (see `catchEarlySignals`); the worker takes them over. */
  readonly early?: EarlySignals;
}

/**
 * Runs the processor with `args` (as `log-processor` would get them); resolves
 * to the exit status: 0 done, 1 failed or not everything delivered, 2 usage or
 * configuration error, 128 + n when signal n arrived before a mode that stops
 * gracefully took over. Never throws for an expected failure.
 *
 * @example
 * ```ts
 * // Manual mode on stdin, with the environment of the process:
 * Deno.exit(await main(["--mode", "manual"]));
 * ```
 */
export async function main(args: string[], env = Deno.env.toObject(), options: MainOptions = {}): Promise<number> {
  const io = { out: (text: string) => console.log(text), err: (text: string) => console.error(text) };
  const command = args[0];
  if (command === "tenants" || command === "clusters" || command === "replay" || command === "dlq") {
    const early = options.early?.release();
    if (early) return signalExitStatus(early);
    const rest = args.slice(1);
    if (command === "tenants") return await (await import("./cli/tenants_command.ts")).runTenants(rest, env, io);
    if (command === "clusters") return await (await import("./cli/clusters_command.ts")).runClusters(rest, env, io);
    if (command === "replay") return await (await import("./cli/replay_command.ts")).runReplay(rest, env, io);
    return await (await import("./cli/dlq_command.ts")).runDlq(rest, { env, io });
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        mode: { type: "string" },
        listen: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
      allowPositionals: false,
    });
  } catch (err) {
    console.error(`log-processor: ${errorMessage(err)} (log-processor --help lists the options)`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.values.version) {
    console.log(VERSION);
    return 0;
  }
  const bootLogger = createLogger(bootLogLevel(env));
  bootLogger.debug("loading the modes", { signalsCaught: options.early !== undefined });
  const { reportInitError, runLambdaMode } = await import("./runtime/run_lambda.ts");
  let config;
  let listen: ListenAddress | undefined;
  try {
    const mode = resolveMode(parsed.values.mode, env);
    config = loadConfig(env, mode, await configDefaults(env));
    if (parsed.values.listen !== undefined) listen = parseListenAddress(parsed.values.listen);
  } catch (err) {
    if (!(err instanceof ConfigError)) {
      console.error(`log-processor: ${errorMessage(err)}`);
      return 1;
    }
    bootLogger.error("invalid configuration", { variable: err.variable, error: err.message });
    await reportInitError(err, { runtimeApi: initErrorRuntimeApi(parsed.values.mode, env), logger: bootLogger });
    console.error(`log-processor: invalid configuration: ${err.message}`);
    return 2;
  }
  const logger = createLogger(config.logLevel, undefined, { service: config.serviceName, mode: config.mode });
  if (listen && config.mode !== "sqs") logger.warn("--listen is only used in sqs mode; ignored");
  if (!config.requireWriterIdentity && config.mode !== "manual") {
    logger.warn(
      "REQUIRE_WRITER_IDENTITY is off: an object whose notification names no writer is checked against the cluster " +
        "registry only (S3 always names the writer; set REQUIRE_WRITER_IDENTITY=true in production)",
    );
  }
  // Only the worker stops gracefully; the other modes get the default action back (and what came meanwhile).
  const early = config.mode === "sqs" ? undefined : options.early?.release();
  if (early) return signalExitStatus(early);
  const [{ createPipeline }, { runManual }, { runSqsMode }] = await Promise.all([
    import("./pipeline/create_pipeline.ts"),
    import("./runtime/manual.ts"),
    import("./runtime/run_sqs.ts"),
  ]);
  const pipeline = createPipeline(config, logger);
  try {
    switch (config.mode) {
      case "manual":
        return await runManual(await readStdin(), {
          processBody: pipeline.processBody,
          concurrency: config.concurrency,
          print: (line) => console.log(line),
        });
      case "sqs": {
        const signals = options.early?.handOver;
        return await runSqsMode({ config, processBody: pipeline.processBody, logger, listen, signals });
      }
      case "lambda":
        return await runLambdaMode({ config, processBody: pipeline.processBody, logger });
    }
  } catch (err) {
    logger.error("fatal", { error: err });
    console.error(`log-processor: ${errorMessage(err)}`);
    return 1;
  } finally {
    pipeline.close();
  }
}

if (import.meta.main) {
  const early = catchEarlySignals();
  try {
    Deno.exit(await main(Deno.args, Deno.env.toObject(), { early }));
  } catch (err) {
    // Every path above reports its own errors; this keeps anything unforeseen to one line too.
    console.error(`log-processor: ${errorMessage(err)}`);
    Deno.exit(1);
  }
}
