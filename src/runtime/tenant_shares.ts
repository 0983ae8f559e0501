/**
 * The per-tenant bookkeeping behind the worker's fairness: how many messages
 * each tenant has processing and waiting here, and when the worker last
 * received one of its messages. Pure; the clock is passed in. A message with
 * several tenants counts for each.
 *
 * @module
 */
import { NO_TENANT } from "./message_tenants.ts";

/** How long after its last received message a tenant still counts as wanting slots. */
const ACTIVE_TENANT_WINDOW_MS = 10_000;
/** Retryable outcomes in a row past which a tenant's backoff stops growing. */
const MAX_TENANT_STREAK = 4;
/** After a retryable outcome a tenant's next message starts this much later, doubling per outcome in a row. */
const TENANT_HOLD_BASE_MS = 500;

/** What one tenant has here. */
export interface TenantLoad {
  readonly processing: number;
  readonly waiting: number;
}

interface Load {
  processing: number;
  waiting: number;
  lastReceivedAt: number;
  /** When a message of the tenant last arrived beyond its share here. */
  lastBeyondAt: number;
  /** Retryable outcomes in a row (a delivery resets it), and when the last one came. */
  streak: number;
  lastRetryableAt: number;
}

/** Options of {@link TenantShares}. */
export interface TenantSharesOptions {
  /** Messages of one tenant processed at once. */
  readonly cap: number;
  /** The receive buffer: a tenant may have its cap plus as many waiting there, at most this many. */
  readonly buffer: number;
  /** Whether retryable outcomes shrink a tenant's cap and hold it back (fairness on). */
  readonly adaptive: boolean;
}

/** Per-tenant counts of one worker. */
export class TenantShares {
  readonly #o: TenantSharesOptions;
  readonly #loads = new Map<string, Load>();

  constructor(options: TenantSharesOptions) {
    this.#o = options;
  }

  /** Counts `tenants` one more (`+1`) or one less (`-1`) message in `state`. */
  count(tenants: readonly string[], state: keyof TenantLoad, delta: 1 | -1): void {
    for (const t of tenants) this.#load(t)[state] += delta;
  }

  /** A message of `tenants` was received at `now`. */
  received(tenants: readonly string[], now: number): void {
    for (const t of tenants) this.#load(t).lastReceivedAt = now;
  }

  /** A message of `tenants` arrived beyond one of their shares at `now` (parked or deferred). */
  beyond(tenants: readonly string[], now: number): void {
    for (const t of tenants) this.#load(t).lastBeyondAt = now;
  }

  /** Whether `tenant` had a message beyond its share within {@link ACTIVE_TENANT_WINDOW_MS}. */
  recentlyBeyond(tenant: string, now: number): boolean {
    return (this.#loads.get(tenant)?.lastBeyondAt ?? Number.NEGATIVE_INFINITY) >= now - ACTIVE_TENANT_WINDOW_MS;
  }

  /**
   * A message of `tenants` ended at `now` retryable (`true`) or was
   * delivered or skipped (`false`). Only with a cap below the worker's
   * concurrency (fairness on), and never for messages naming no tenant.
   */
  outcome(tenants: readonly string[], retryable: boolean, now: number): void {
    if (!this.#o.adaptive) return;
    for (const t of tenants) {
      if (t === NO_TENANT) continue;
      const load = this.#load(t);
      load.streak = retryable ? Math.min(MAX_TENANT_STREAK, load.streak + 1) : 0;
      if (retryable) load.lastRetryableAt = now;
    }
  }

  /**
   * Until when a message of `tenants` starts nothing: after `k` retryable
   * outcomes in a row of one of them, {@link TENANT_HOLD_BASE_MS} · 2^(k-1)
   * after its last one.
   */
  heldUntil(tenants: readonly string[]): number {
    let until = Number.NEGATIVE_INFINITY;
    for (const t of tenants) {
      const load = this.#loads.get(t);
      if (load && load.streak > 0) {
        until = Math.max(until, load.lastRetryableAt + TENANT_HOLD_BASE_MS * 2 ** (load.streak - 1));
      }
    }
    return until;
  }

  /**
   * Waiting messages (their tenants, oldest first) split into those within
   * their tenants' share ({@link shareOf}, counting what each processes) and
   * the parked ones beyond it.
   */
  split(waiting: readonly (readonly string[])[]): { inShare: number; parked: number } {
    const held = new Map<string, number>();
    const heldBy = (t: string) => held.get(t) ?? this.load(t).processing;
    let parked = 0;
    for (const tenants of waiting) {
      if (tenants.every((t) => heldBy(t) < this.shareOf(t))) {
        for (const t of tenants) held.set(t, heldBy(t) + 1);
      } else parked++;
    }
    return { inShare: waiting.length - parked, parked };
  }

  /** The longest run of retryable outcomes among `tenants` (0 when all are fine), at most {@link MAX_TENANT_STREAK}. */
  streak(tenants: readonly string[]): number {
    return Math.max(0, ...tenants.map((t) => this.#loads.get(t)?.streak ?? 0));
  }

  /**
   * How many messages of `tenant` may process at once: the cap, halved for
   * every retryable outcome in a row (at least 1), so a tenant whose
   * destination throttles or fails holds fewer slots until it delivers again.
   */
  capOf(tenant: string): number {
    return Math.max(1, this.#o.cap >> (this.#loads.get(tenant)?.streak ?? 0));
  }

  /** What `tenant` may hold here, processing and waiting: its cap plus as many, at most the buffer. */
  shareOf(tenant: string): number {
    const cap = this.capOf(tenant);
    return cap + Math.min(cap, this.#o.buffer);
  }

  /** Whether a message of `tenants` may start at `now`: none is held, each has fewer than its cap processing. */
  underCap(tenants: readonly string[], now: number): boolean {
    return this.heldUntil(tenants) <= now &&
      tenants.every((t) => (this.#loads.get(t)?.processing ?? 0) < this.capOf(t));
  }

  /** Whether one of `tenants` already holds its local limit here. */
  atLimit(tenants: readonly string[]): boolean {
    return tenants.some((t) => {
      const load = this.#loads.get(t);
      return load !== undefined && load.processing + load.waiting >= this.shareOf(t);
    });
  }

  /**
   * Whether a tenant not among `tenants` is about: it has messages here or
   * was received within {@link ACTIVE_TENANT_WINDOW_MS} (with `underCap`:
   * and could start one more now). Messages naming no tenant are no such
   * evidence (they cost next to nothing to process).
   */
  othersActive(tenants: readonly string[], now: number, options: { underCap?: boolean } = {}): boolean {
    for (const [t, load] of this.#loads) {
      if (t === NO_TENANT || tenants.includes(t) || (options.underCap && load.processing >= this.capOf(t))) continue;
      if (load.processing + load.waiting > 0 || load.lastReceivedAt >= now - ACTIVE_TENANT_WINDOW_MS) return true;
    }
    return false;
  }

  /** The tenants at their cap. */
  capped(): string[] {
    return [...this.#loads].filter(([t, l]) => l.processing >= this.capOf(t)).map(([t]) => t);
  }

  /** What `tenant` has here now. */
  load(tenant: string): TenantLoad {
    const { processing = 0, waiting = 0 } = this.#loads.get(tenant) ?? {};
    return { processing, waiting };
  }

  /** Forgets tenants with nothing here that have not been received within the window. */
  prune(now: number): void {
    for (const [t, load] of this.#loads) {
      const recent = Math.max(load.lastReceivedAt, load.lastBeyondAt);
      if (load.processing + load.waiting === 0 && load.streak === 0 && recent < now - ACTIVE_TENANT_WINDOW_MS) {
        this.#loads.delete(t);
      }
    }
  }

  #load(tenant: string): Load {
    let load = this.#loads.get(tenant);
    if (!load) {
      const never = Number.NEGATIVE_INFINITY;
      this.#loads.set(
        tenant,
        load = {
          processing: 0,
          waiting: 0,
          lastReceivedAt: never,
          lastBeyondAt: never,
          streak: 0,
          lastRetryableAt: never,
        },
      );
    }
    return load;
  }
}
