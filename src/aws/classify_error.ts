/**
 * Pure retry classification of AWS SDK and network errors (DESIGN 1.5):
 * throttling, 5xx, timeouts, network and expired credentials are retryable;
 * everything else (AccessDenied, validation, missing resources) is permanent.
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

/** True when the error says the caller is not allowed (a customer role problem). */
export function isAccessDenied(err: unknown): boolean {
  const { code } = classifyAwsError(err);
  return /AccessDenied|UnauthorizedOperation|InvalidClientTokenId|NotAuthorized/.test(code);
}
