/**
 * How long a message whose outcome was retryable stays invisible before SQS
 * hands it out again: short at first, growing with its receive count, so a
 * throttled delivery is retried soon without hammering the destination.
 * Pure; randomness is injected.
 *
 * @module
 */

/** Base and cap of the retry visibility, in seconds. */
export interface VisibilityBackoff {
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

/** Options of the backoff functions. */
export interface BackoffOptions {
  /** The jitter's source, in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
}

/** SQS accepts visibility timeouts up to 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

/** A deferral's backoff starts at the retry base but at least here (never back at once)… */
export const MIN_DEFER_SECONDS = 1;
/** …and its cap is the retry cap but at least this, so a tenant deferred again and again thins out. */
export const MIN_DEFER_CAP_SECONDS = 60;

/**
 * Visibility timeout (whole seconds) of a message deferred unstarted at its
 * `receiveCount`-th receive because its tenant held its share of the worker:
 * the retry backoff, from at least {@link MIN_DEFER_SECONDS} up to at least
 * {@link MIN_DEFER_CAP_SECONDS}. A deferral counts as a receive toward the
 * queue's maxReceiveCount; the backoff grows with it so that a message
 * deferred often comes back less often, and the worker gets through the rest
 * of the queue meanwhile.
 */
export function deferVisibilitySeconds(
  receiveCount: number,
  backoff: VisibilityBackoff,
  options: BackoffOptions = {},
): number {
  const baseSeconds = Math.max(MIN_DEFER_SECONDS, backoff.baseSeconds);
  const maxSeconds = Math.max(MIN_DEFER_CAP_SECONDS, backoff.maxSeconds, baseSeconds);
  return Math.max(MIN_DEFER_SECONDS, retryVisibilitySeconds(receiveCount, { baseSeconds, maxSeconds }, options));
}

/**
 * Visibility timeout (whole seconds) after the `receiveCount`-th receive
 * failed retryably: `base · 2^(receiveCount-1)` capped at `max`, with "equal
 * jitter" (between half and all of it) so a burst of throttled messages does
 * not come back at the same instant.
 */
export function retryVisibilitySeconds(
  receiveCount: number,
  backoff: VisibilityBackoff,
  options: BackoffOptions = {},
): number {
  const random = options.random ?? Math.random;
  const attempt = Number.isFinite(receiveCount) && receiveCount >= 1 ? Math.floor(receiveCount) : 1;
  const ceiling = Math.min(backoff.maxSeconds, MAX_VISIBILITY_SECONDS, backoff.baseSeconds * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
