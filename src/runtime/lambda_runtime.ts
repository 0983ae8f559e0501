/**
 * The Lambda Runtime API, implemented directly (no runtime library):
 * `GET /invocation/next`, then `POST …/response` or `…/error`; a failure
 * before the first invocation goes to `…/init/error`.
 *
 * @module
 */
import { errorMessage } from "../errors.ts";
import type { Logger } from "../telemetry/logger.ts";

/** One invocation handed out by the Runtime API. */
export interface Invocation {
  readonly requestId: string;
  /** Epoch milliseconds after which Lambda kills the invocation. */
  readonly deadlineMs: number;
  readonly event: unknown;
  readonly traceId?: string;
  readonly functionArn?: string;
}

/** The error shape Lambda records for a failed invocation or init. */
export interface LambdaError {
  readonly errorType: string;
  readonly errorMessage: string;
}

/** What the loop needs from the Runtime API. */
export interface RuntimeApi {
  next(signal?: AbortSignal): Promise<Invocation>;
  respond(requestId: string, body: unknown): Promise<void>;
  fail(requestId: string, error: LambdaError): Promise<void>;
  initError(error: LambdaError): Promise<void>;
}

const VERSION = "2018-06-01";

/** {@link RuntimeApi} over HTTP at `host` (the value of AWS_LAMBDA_RUNTIME_API). */
export class HttpRuntimeApi implements RuntimeApi {
  readonly #base: string;

  constructor(host: string) {
    this.#base = `http://${host}/${VERSION}/runtime`;
  }

  async next(signal?: AbortSignal): Promise<Invocation> {
    const res = await fetch(`${this.#base}/invocation/next`, { signal });
    const text = await res.text();
    if (!res.ok) throw new Error(`Runtime API invocation/next answered ${res.status}: ${text.slice(0, 200)}`);
    const requestId = res.headers.get("lambda-runtime-aws-request-id");
    if (!requestId) throw new Error("Runtime API invocation/next sent no Lambda-Runtime-Aws-Request-Id");
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      event = text;
    }
    return {
      requestId,
      deadlineMs: Number(res.headers.get("lambda-runtime-deadline-ms")) || Number.POSITIVE_INFINITY,
      event,
      traceId: res.headers.get("lambda-runtime-trace-id") ?? undefined,
      functionArn: res.headers.get("lambda-runtime-invoked-function-arn") ?? undefined,
    };
  }

  respond(requestId: string, body: unknown): Promise<void> {
    return this.#post(`invocation/${encodeURIComponent(requestId)}/response`, JSON.stringify(body ?? null));
  }

  fail(requestId: string, error: LambdaError): Promise<void> {
    return this.#post(`invocation/${encodeURIComponent(requestId)}/error`, JSON.stringify(error), error.errorType);
  }

  initError(error: LambdaError): Promise<void> {
    return this.#post("init/error", JSON.stringify(error), error.errorType);
  }

  async #post(path: string, body: string, errorType?: string): Promise<void> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (errorType) headers["lambda-runtime-function-error-type"] = errorType;
    const res = await fetch(`${this.#base}/${path}`, { method: "POST", body, headers });
    const text = await res.text();
    if (!res.ok) throw new Error(`Runtime API ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  }
}

/** The Lambda error of any thrown value. */
function toLambdaError(err: unknown, fallbackType = "Runtime.HandlerError"): LambdaError {
  const type = err instanceof Error && err.name && err.name !== "Error" ? err.name : fallbackType;
  return { errorType: type, errorMessage: errorMessage(err) };
}

/** Handles one invocation; its result is the response body, a throw becomes `/error`. */
export type InvocationHandler = (invocation: Invocation) => Promise<unknown>;

/** How {@link runRuntimeLoop} runs. */
export interface RuntimeLoopOptions {
  readonly logger: Logger;
  /** Stops the loop (tests, benchmarks); Lambda itself never stops it. */
  readonly signal?: AbortSignal;
}

/**
 * Serves invocations until `options.signal` aborts.
 *
 * @throws {Error} when the Runtime API fails (Lambda then restarts the environment).
 */
export async function runRuntimeLoop(
  api: RuntimeApi,
  handler: InvocationHandler,
  options: RuntimeLoopOptions,
): Promise<void> {
  const { logger, signal } = options;
  while (!signal?.aborted) {
    let invocation: Invocation;
    try {
      invocation = await api.next(signal);
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    if (invocation.traceId) Deno.env.set("_X_AMZN_TRACE_ID", invocation.traceId);
    const log = logger.child({ function_request_id: invocation.requestId });
    let response: unknown;
    try {
      response = await handler(invocation);
    } catch (err) {
      log.error("invocation failed", { error: err });
      await api.fail(invocation.requestId, toLambdaError(err));
      continue;
    }
    await api.respond(invocation.requestId, response);
  }
}
