/**
 * Exponential backoff with full jitter around one call, retrying only what
 * {@link classifyAwsError} calls retryable. Sleep and randomness are injected.
 *
 * @module
 */
import { classifyAwsError, isExpiredCredentials, type OnCredentialsExpired, wrapAwsError } from "./classify_error.ts";

/** How often and how long to retry. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Options for {@link withRetry}. */
export interface RetryOptions {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Called before each retry with the attempt number (1-based) and delay. */
  readonly onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
  /** Describes the call in the final error ("PutLogEvents to g/s"). */
  readonly what?: string;
  /** Called before a retry when AWS said the credentials expired, so the retry starts from fresh ones. */
  readonly onCredentialsExpired?: OnCredentialsExpired;
}

/** Delay before retry number `attempt` (1-based): uniform in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn`, retrying retryable failures with backoff.
 *
 * @throws {ProcessingError} when `fn` fails permanently or keeps failing
 * retryably after `policy.retries` retries: it carries the class and code of
 * the last failure (a {@link ProcessingError} thrown by `fn` is rethrown as it is).
 *
 * @example
 * ```ts
 * const out = await withRetry(() => client.send(command), { retries: 3, baseDelayMs: 200, maxDelayMs: 20_000 }, {
 *   what: "PutLogEvents to /customer/acme:stream",
 * });
 * ```
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<T> {
  const wait = options.sleep ?? sleep;
  for (let attempt = 0;; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (classifyAwsError(err).failureClass === "retryable" && attempt < policy.retries) {
        const delay = backoffDelay(attempt + 1, policy, options.random);
        if (isExpiredCredentials(err)) options.onCredentialsExpired?.();
        options.onRetry?.(attempt + 1, delay, err);
        await wait(delay);
        continue;
      }
      throw wrapAwsError(err, ({ failureClass, code, message }) => {
        const tries = failureClass === "retryable" ? ` after ${attempt + 1} attempts` : "";
        return `${options.what ?? "AWS call"} failed with ${code}${tries}${message ? `: ${message}` : ""}`;
      });
    }
  }
}
