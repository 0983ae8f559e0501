/**
 * Wiring of `--mode lambda`: the Runtime API loop around a built pipeline
 * (its credentials, clients and tenant cache live across invocations), and
 * the `/init/error` report when the configuration is invalid.
 *
 * @module
 */
import { MODES } from "../config.ts";
import { type ConfigError, errorMessage } from "../errors.ts";
import type { Pipeline } from "../pipeline/create_pipeline.ts";
import type { Logger } from "../telemetry/logger.ts";
import { lambdaHandler } from "./lambda_handler.ts";
import { HttpRuntimeApi, runRuntimeLoop } from "./lambda_runtime.ts";

const encoder = new TextEncoder();
const writeStdout = (lines: string[]) => {
  if (lines.length > 0) Deno.stdout.writeSync(encoder.encode(lines.join("\n") + "\n"));
};

/** Serves invocations until the Runtime API goes away; resolves to the exit status. */
export async function runLambdaMode(pipeline: Pipeline, logger: Logger, runtimeApi: string): Promise<number> {
  const handler = lambdaHandler({
    processBody: pipeline.processBody,
    concurrency: pipeline.config.concurrency,
    deadlineMarginMs: pipeline.config.lambdaDeadlineMarginMs,
    logger,
    emit: writeStdout,
  });
  logger.info("lambda runtime started", { concurrency: pipeline.config.concurrency });
  await runRuntimeLoop(new HttpRuntimeApi(runtimeApi), handler, logger);
  return 0;
}

/**
 * Reports a configuration error to `/init/error` when running as a Lambda
 * runtime (AWS_LAMBDA_RUNTIME_API set and the mode is, or defaults to,
 * lambda, or is not a mode at all), so the invocation fails with the
 * variable's name instead of a bare "Runtime exited". Returns true when
 * reported.
 */
export async function reportInitError(
  err: ConfigError,
  flagMode: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<boolean> {
  const api = env.AWS_LAMBDA_RUNTIME_API?.trim();
  const mode = flagMode ?? (env.EXECUTION_MODE?.trim() || "lambda");
  const otherMode = (MODES as readonly string[]).includes(mode) && mode !== "lambda";
  if (!api || otherMode) return false;
  try {
    await new HttpRuntimeApi(api).initError({ errorType: "Runtime.ConfigError", errorMessage: err.message });
    return true;
  } catch (postErr) {
    logger.error("cannot report the init error to the Runtime API", { error: errorMessage(postErr) });
    return false;
  }
}
