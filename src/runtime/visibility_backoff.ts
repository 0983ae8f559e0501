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

/** SQS accepts visibility timeouts up to 12 hours. */
export const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Visibility timeout (whole seconds) after the `receiveCount`-th receive
 * failed retryably: `base · 2^(receiveCount-1)` capped at `max`, with "equal
 * jitter" (between half and all of it) so a burst of throttled messages does
 * not come back at the same instant.
 */
export function retryVisibilitySeconds(
  receiveCount: number,
  backoff: VisibilityBackoff,
  random: () => number = Math.random,
): number {
  const attempt = Number.isFinite(receiveCount) && receiveCount >= 1 ? Math.floor(receiveCount) : 1;
  const ceiling = Math.min(backoff.maxSeconds, MAX_VISIBILITY_SECONDS, backoff.baseSeconds * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
