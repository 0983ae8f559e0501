/**
 * Wiring of `--mode lambda`: the Runtime API loop around a built pipeline
 * (its credentials, clients and tenant cache live across invocations), and
 * the `/init/error` report when the configuration is invalid.
 *
 * @module
 */
import type { Config } from "../config.ts";
import { type ConfigError, errorMessage } from "../errors.ts";
import type { MessageContext } from "../pipeline/pipeline_deps.ts";
import type { MessageResult } from "../results.ts";
import type { Logger } from "../telemetry/logger.ts";
import { lambdaHandler, type LambdaTelemetry } from "./lambda_handler.ts";
import { HttpRuntimeApi, runRuntimeLoop } from "./lambda_runtime.ts";
import { writeLinesSync } from "./stdout_lines.ts";

/** The handler's telemetry settings from the configuration (Powertools' variables and Lambda's own). */
export function lambdaTelemetry(
  config: Pick<Config, "serviceName" | "metricsNamespace" | "lambdaFunction">,
): LambdaTelemetry {
  const fn = config.lambdaFunction;
  return {
    namespace: config.metricsNamespace,
    service: config.serviceName,
    functionName: fn?.name,
    memorySizeMb: fn?.memorySizeMb,
    coldStarts: fn?.initializationType !== "provisioned-concurrency",
  };
}

/** What `--mode lambda` needs. */
export interface LambdaModeOptions {
  /** The Runtime API address, the concurrency and the deadline margin come from here. */
  readonly config: Config;
  processBody(body: string, context?: MessageContext): Promise<MessageResult>;
  readonly logger: Logger;
}

/** Serves invocations until the Runtime API goes away; resolves to the exit status. */
export async function runLambdaMode(options: LambdaModeOptions): Promise<number> {
  const { config, logger } = options;
  if (!config.runtimeApi) throw new Error("lambda mode needs AWS_LAMBDA_RUNTIME_API");
  const handler = lambdaHandler({
    processBody: options.processBody,
    concurrency: config.concurrency,
    deadlineMarginMs: config.lambdaDeadlineMarginMs,
    logger,
    emit: (lines) => writeLinesSync(lines),
    telemetry: lambdaTelemetry(config),
  });
  logger.info("lambda runtime started", { concurrency: config.concurrency });
  await runRuntimeLoop(new HttpRuntimeApi(config.runtimeApi), handler, { logger });
  return 0;
}

/**
 * Reports a configuration error to the Runtime API's `/init/error` at
 * `runtimeApi` (see `initErrorRuntimeApi` in config.ts; undefined: not a
 * Lambda runtime, nothing to report). Returns true when reported.
 */
export async function reportInitError(
  err: ConfigError,
  options: { readonly runtimeApi: string | undefined; readonly logger: Logger },
): Promise<boolean> {
  if (!options.runtimeApi) return false;
  try {
    await new HttpRuntimeApi(options.runtimeApi).initError({
      errorType: "Runtime.ConfigError",
      errorMessage: err.message,
    });
    return true;
  } catch (postErr) {
    options.logger.error("cannot report the init error to the Runtime API", { error: errorMessage(postErr) });
    return false;
  }
}
