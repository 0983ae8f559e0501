/**
 * Outcomes (DESIGN 1.5) and how several merge into one.
 *
 * @module
 */

/** What happened to an object, a delivery or a message. */
export type Outcome = "delivered" | "skipped" | "retryable" | "permanent";
/** Every outcome, in the order reports list them. */
export const OUTCOMES: readonly Outcome[] = ["delivered", "skipped", "retryable", "permanent"];

const RANK: Record<Outcome, number> = { skipped: 0, delivered: 1, permanent: 2, retryable: 3 };

/**
 * The outcome of a whole made of parts: retryable wins (a retry may fix it),
 * then permanent, then delivered; no parts means skipped.
 */
export function mergeOutcomes(outcomes: Iterable<Outcome>): Outcome {
  let merged: Outcome = "skipped";
  for (const o of outcomes) if (RANK[o] > RANK[merged]) merged = o;
  return merged;
}

/** Delivered and skipped messages are deleted from SQS; the others stay. */
export function isDone(outcome: Outcome): boolean {
  return outcome === "delivered" || outcome === "skipped";
}
