/**
 * What the worker's lifecycle (`worker_lifecycle.ts`) asks about what to
 * receive, what waits and what starts — the interface; the policy itself is
 * `tenant_scheduler.ts` (per-tenant fairness). The policy sees a message as
 * its tenants only, and keeps its own counts from {@link SchedulingPolicy.count}.
 *
 * @module
 */

/** A message's tenants (every announced object's `customer_id`), all the policy knows of it. */
export type Tenants = readonly string[];

/** Decides for the lifecycle what is received, what waits or is deferred, and what may start. */
export interface SchedulingPolicy {
  /** How many messages to ask SQS for while running (0: none), with `waiting` (oldest first) and `processing`. */
  receiveSize(waiting: readonly Tenants[], processing: number): number;
  /**
   * The new messages of one receive (in order), with what already waits:
   * for each, whether to defer it (make it visible again later, unstarted)
   * rather than let it wait. Never defers unless `mayDefer`.
   */
  admit(fresh: readonly Tenants[], waiting: readonly Tenants[], mayDefer: boolean): boolean[];
  /** Milliseconds until a waiting message of `tenants` may start: 0 now, infinite while none can tell. */
  startInMs(tenants: Tenants): number;
  /** A message of `tenants` starts (`1`) or stops (`-1`) counting as `state`. */
  count(tenants: Tenants, state: "waiting" | "processing", delta: 1 | -1): void;
  /** A processed message of `tenants` was delivered or skipped, or (`retryable`) will be tried again. */
  outcome(tenants: Tenants, retryable: boolean): void;
}
