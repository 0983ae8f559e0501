/**
 * Pure retry classification of AWS SDK and network errors (DESIGN 1.5):
 * throttling, 5xx, timeouts, network and expired credentials are retryable;
 * everything else (AccessDenied, validation, missing resources) is permanent.
 * Also the AWS error handling every edge shares: {@link wrapAwsError} and
 * {@link isExpiredCredentials}.
 *
 * @module
 */
import { type FailureClass, ProcessingError } from "../errors.ts";

/** The class of a failure and a short code naming it. */
export interface Classification {
  readonly failureClass: FailureClass;
  readonly code: string;
}

const RETRYABLE_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
  "RequestLimitExceeded",
  "ProvisionedThroughputExceededException",
  "SlowDown",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalFailure",
  "InternalError",
  "InternalServerError",
  "InternalServerException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "IDPCommunicationError",
  "OperationAbortedException",
  "TransactionConflictException",
]);

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
]);

const NETWORK_MESSAGE =
  /socket hang up|connection (reset|refused|closed)|network|timed? ?out|error sending request|broken pipe/i;

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  cause?: unknown;
};

/** Causes looked through at most (a cycle of causes must not recurse forever). */
const MAX_CAUSE_DEPTH = 8;

/** Classifies any thrown value. */
export function classifyAwsError(err: unknown, depth = 0): Classification {
  if (err instanceof ProcessingError) return { failureClass: err.failureClass, code: err.code };
  const e = (err ?? {}) as ErrorLike;
  const name = typeof e.name === "string" ? e.name : "";
  const awsCode = typeof e.Code === "string" ? e.Code : "";
  const sysCode = typeof e.code === "string" ? e.code : "";
  const code = awsCode || (name && name !== "Error" ? name : "") || sysCode || "UnknownError";
  const status = e.$metadata?.httpStatusCode;

  if (RETRYABLE_CODES.has(code) || RETRYABLE_CODES.has(name)) return { failureClass: "retryable", code };
  if (NETWORK_CODES.has(sysCode)) return { failureClass: "retryable", code: sysCode };
  if (status === 429 || (typeof status === "number" && status >= 500)) {
    return { failureClass: "retryable", code };
  }
  if (e.$retryable) return { failureClass: "retryable", code };
  if (typeof status === "number" && status >= 400) return { failureClass: "permanent", code };
  // No HTTP response at all: a transport failure is worth another try.
  const message = typeof e.message === "string" ? e.message : "";
  if (status === undefined && NETWORK_MESSAGE.test(message)) {
    return { failureClass: "retryable", code: sysCode || "NetworkError" };
  }
  if (e.cause !== undefined && e.cause !== err && depth < MAX_CAUSE_DEPTH) {
    const inner = classifyAwsError(e.cause, depth + 1);
    if (inner.failureClass === "retryable") return inner;
  }
  return { failureClass: "permanent", code };
}

/** What an AWS failure was, for the message of {@link wrapAwsError}. */
export interface AwsFailure extends Classification {
  /** The SDK's message; "" when there is none. */
  readonly message: string;
}

/**
 * The {@link ProcessingError} callers branch on, for any error an AWS call
 * threw: the class and code of {@link classifyAwsError}, `err` as its cause,
 * and a message `describe` writes (it should name what was being done). A
 * {@link ProcessingError} is already classified and is returned as it is.
 *
 * @example
 * ```ts
 * try {
 *   await client.send(command);
 * } catch (err) {
 *   throw wrapAwsError(err, ({ code }) => `Cannot read tenant "acme" from table tenants: ${code}`);
 * }
 * ```
 */
export function wrapAwsError(err: unknown, describe: (failure: AwsFailure) => string): ProcessingError {
  if (err instanceof ProcessingError) return err;
  const { failureClass, code } = classifyAwsError(err);
  const message = err instanceof Error ? err.message : "";
  return new ProcessingError(failureClass, code, describe({ failureClass, code, message }), { cause: err });
}

const EXPIRED = /ExpiredToken|RequestExpired/;

/**
 * True when `err` says the credentials expired (ExpiredToken,
 * ExpiredTokenException, RequestExpired). A string is read as a line of a
 * tool's output (Vector's error lines).
 */
export function isExpiredCredentials(err: unknown): boolean {
  return EXPIRED.test(typeof err === "string" ? err : classifyAwsError(err).code);
}

/**
 * How every sink says its credentials expired: called with nothing, by the
 * sink of one delivery, so the next attempt starts from fresh credentials and
 * clients (the factory binds it to the delivery).
 */
export type OnCredentialsExpired = () => void;
