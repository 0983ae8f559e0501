/**
 * Wiring of `--mode lambda`: the Runtime API loop around a built pipeline
 * (its credentials, clients and tenant cache live across invocations), and
 * the `/init/error` report when the configuration is invalid.
 *
 * @module
 */
import { type Config, MODES } from "../config.ts";
import { type ConfigError, errorMessage } from "../errors.ts";
import type { MessageContext } from "../pipeline/pipeline_deps.ts";
import type { MessageResult } from "../results.ts";
import type { Logger } from "../telemetry/logger.ts";
import { lambdaHandler } from "./lambda_handler.ts";
import { HttpRuntimeApi, runRuntimeLoop } from "./lambda_runtime.ts";

const encoder = new TextEncoder();
const writeStdout = (lines: string[]) => {
  if (lines.length > 0) Deno.stdout.writeSync(encoder.encode(lines.join("\n") + "\n"));
};

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
    emit: writeStdout,
  });
  logger.info("lambda runtime started", { concurrency: config.concurrency });
  await runRuntimeLoop(new HttpRuntimeApi(config.runtimeApi), handler, logger);
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
