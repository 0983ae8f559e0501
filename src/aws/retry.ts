/**
 * Exponential backoff with full jitter around one call, retrying only what
 * {@link classifyAwsError} calls retryable. Sleep and randomness are injected.
 *
 * @module
 */
import { classifyAwsError } from "./classify_error.ts";
import { ProcessingError } from "../errors.ts";

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
 * Runs `fn`, retrying retryable failures. Throws a {@link ProcessingError}
 * carrying the class of the last failure.
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
      const { failureClass, code } = classifyAwsError(err);
      if (failureClass === "retryable" && attempt < policy.retries) {
        const delay = backoffDelay(attempt + 1, policy, options.random);
        options.onRetry?.(attempt + 1, delay, err);
        await wait(delay);
        continue;
      }
      if (err instanceof ProcessingError) throw err;
      const detail = err instanceof Error && err.message ? `: ${err.message}` : "";
      const tries = failureClass === "retryable" ? ` after ${attempt + 1} attempts` : "";
      throw new ProcessingError(
        failureClass,
        code,
        `${options.what ?? "AWS call"} failed with ${code}${tries}${detail}`,
        { cause: err },
      );
    }
  }
}
