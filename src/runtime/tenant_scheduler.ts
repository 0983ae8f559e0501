/**
 * The SQS worker's scheduling policy, the {@link SchedulingPolicy} its
 * lifecycle asks: how many messages to receive, which received messages
 * wait and which are deferred, and when a waiting one may start. With a
 * per-tenant cap below `concurrency` that is per-tenant fairness:
 *
 * - **cap**: at most `tenantMaxInFlight` messages of a tenant process at once,
 *   halved for each retryable outcome in a row (the adaptive cap), and a
 *   failing tenant's next start is held back ({@link TenantShares});
 * - **share**: a tenant may have its cap plus as many messages waiting (at
 *   most `receiveBuffer`); what arrives beyond that is **parked** (it waits,
 *   but leaves the buffer's room to others), up to `receiveBuffer` parked
 *   messages, and beyond the parking **deferred** (made visible again later);
 * - **pacing**: with the parking full, receives that bring no other tenant
 *   wait {@link RECEIVE_PACE_BASE_MS}, doubling to {@link RECEIVE_PACE_MAX_MS}.
 *
 * Without a cap it only sizes receives. Pure; the clock is injected.
 *
 * @module
 */
import { NO_TENANT } from "./message_tenants.ts";
import { type TenantLoad, TenantShares } from "./tenant_shares.ts";
import type { SchedulingPolicy, Tenants } from "./scheduling_policy.ts";

/** ReceiveMessage returns at most this many messages. */
export const RECEIVE_MAX_MESSAGES = 10;
/** With the parking full, a receive that found no other tenant makes the next one wait this long, doubling… */
const RECEIVE_PACE_BASE_MS = 100;
/** …up to this (so a tenant alone sees at most ten messages deferred this often); finding another resets it. */
const RECEIVE_PACE_MAX_MS = 10_000;

/** Options of {@link TenantScheduler}. */
export interface TenantSchedulerOptions {
  /** Messages processed at the same time. */
  readonly concurrency: number;
  /** Received messages that may wait for a slot, beyond `concurrency` (default 0: receive only for free slots). */
  readonly receiveBuffer?: number;
  /** Messages of one tenant processed at the same time (default `concurrency`: no cap, no fairness). */
  readonly tenantMaxInFlight?: number;
  readonly now: () => number;
}

/** Per-tenant fairness for one worker. */
export class TenantScheduler implements SchedulingPolicy {
  readonly #o: TenantSchedulerOptions;
  readonly #buffer: number;
  /** Fairness is on: a tenant may have fewer than `concurrency` messages processing. */
  readonly #fair: boolean;
  readonly #shares: TenantShares;
  /** Receives in a row that deferred messages and found no other tenant, and when the last one returned. */
  #fruitless = 0;
  #lastReceiveAt = Number.NEGATIVE_INFINITY;

  constructor(options: TenantSchedulerOptions) {
    this.#o = options;
    const cap = Math.min(options.tenantMaxInFlight ?? options.concurrency, options.concurrency);
    this.#buffer = options.receiveBuffer ?? 0;
    this.#fair = cap < options.concurrency;
    this.#shares = new TenantShares({ cap, buffer: this.#buffer, adaptive: this.#fair });
  }

  /**
   * A full receive (ten) once `concurrency + receiveBuffer` has room for it
   * (parked messages do not count); else the room that is left when nothing
   * waiting could take the next free slot — nothing waits at all, or what
   * waits is capped while another tenant is about — so the next slot to free
   * has work at once, for another tenant if one is capped. 0 while paced.
   */
  receiveSize(waiting: readonly Tenants[], processing: number): number {
    const { inShare, parked } = this.#split(waiting);
    const room = this.#o.concurrency + this.#buffer - processing - inShare;
    if (room <= 0 || (this.#parkingFull(parked) && this.receiveDelayMs() > 0)) return 0;
    if (room >= RECEIVE_MAX_MESSAGES) return RECEIVE_MAX_MESSAGES;
    if (waiting.length === 0) return room;
    const now = this.#o.now();
    const blocked = waiting.every((t) => !this.#shares.underCap(t, now));
    return blocked && this.#shares.othersActive(this.#shares.capped(), now, { underCap: true }) ? room : 0;
  }

  /**
   * Milliseconds the next receive waits: after a receive that deferred
   * messages and brought none of a tenant that was not beyond its share
   * lately, 100 ms, doubling up to {@link RECEIVE_PACE_MAX_MS}; 0 once a
   * receive brings one.
   */
  receiveDelayMs(): number {
    if (this.#fruitless === 0) return 0;
    const pace = Math.min(RECEIVE_PACE_MAX_MS, RECEIVE_PACE_BASE_MS * 2 ** (this.#fruitless - 1));
    return Math.max(0, this.#lastReceiveAt + pace - this.#o.now());
  }

  /** A tenant's messages beyond its share are parked, and beyond the parking (while `mayDefer`) deferred. */
  admit(fresh: readonly Tenants[], waiting: readonly Tenants[], mayDefer: boolean): boolean[] {
    const now = this.#o.now();
    for (const tenants of fresh) this.#shares.received(tenants, now);
    let { parked } = this.#split(waiting);
    let found = false;
    // Each admitted message counts while the rest of the batch is decided; the lifecycle counts it for good.
    const admitted: Tenants[] = [];
    const verdicts = fresh.map((tenants) => {
      // Another tenant than those recently beyond their share: what a paced receive looks for.
      found ||= tenants.some((t) => t !== NO_TENANT && !this.#shares.recentlyBeyond(t, now));
      const beyond = this.#fair && this.#shares.atLimit(tenants);
      const defer = beyond && mayDefer && parked >= this.#buffer;
      if (beyond) this.#shares.beyond(tenants, now);
      if (beyond && !defer) parked++;
      if (!defer) {
        admitted.push(tenants);
        this.#shares.count(tenants, "waiting", 1);
      }
      return defer;
    });
    for (const tenants of admitted) this.#shares.count(tenants, "waiting", -1);
    if (found) this.#fruitless = 0;
    else if (verdicts.includes(true)) this.#fruitless++;
    this.#lastReceiveAt = now;
    this.#shares.prune(now);
    return verdicts;
  }

  /** 0 when no tenant of the message is held back or at its cap; the hold-back's end; else infinite. */
  startInMs(tenants: Tenants): number {
    const now = this.#o.now();
    const held = this.#shares.heldUntil(tenants) - now;
    if (held > 0) return held;
    return this.#shares.underCap(tenants, now) ? 0 : Number.POSITIVE_INFINITY;
  }

  count(tenants: Tenants, state: keyof TenantLoad, delta: 1 | -1): void {
    this.#shares.count(tenants, state, delta);
  }

  outcome(tenants: Tenants, retryable: boolean): void {
    this.#shares.outcome(tenants, retryable, this.#o.now());
  }

  /**
   * How many receives to add to a message's own when backing it off (retry or
   * deferral): the run of retryable outcomes of its tenants (0 to
   * `MAX_TENANT_STREAK`), so a tenant that keeps failing backs off longer as
   * a whole, not message by message.
   */
  backoff(tenants: Tenants): number {
    return this.#shares.streak(tenants);
  }

  /** What `tenant` has processing and waiting here. */
  load(tenant: string): TenantLoad {
    return this.#shares.load(tenant);
  }

  /** Whether a receive could bring more than the parking takes (then receives are paced). */
  #parkingFull(parked: number): boolean {
    return this.#fair && parked > 0 && parked + RECEIVE_MAX_MESSAGES > this.#buffer;
  }

  /** `waiting` (oldest first) split into messages within their tenants' share and parked ones beyond it. */
  #split(waiting: readonly Tenants[]): { inShare: number; parked: number } {
    return this.#fair ? this.#shares.split(waiting) : { inShare: waiting.length, parked: 0 };
  }
}
