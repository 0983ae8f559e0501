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
export const ACTIVE_TENANT_WINDOW_MS = 10_000;

/** What one tenant has here. */
export interface TenantLoad {
  readonly processing: number;
  readonly waiting: number;
}

interface Load {
  processing: number;
  waiting: number;
  lastReceivedAt: number;
}

/** Options of {@link TenantShares}. */
export interface TenantSharesOptions {
  /** Messages of one tenant processed at once. */
  readonly cap: number;
  /** Messages of one tenant held here at once (processing + waiting) while other tenants want slots. */
  readonly localLimit: number;
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

  /** Whether a message of `tenants` may start: every one of them has fewer than the cap processing. */
  underCap(tenants: readonly string[]): boolean {
    return tenants.every((t) => (this.#loads.get(t)?.processing ?? 0) < this.#o.cap);
  }

  /** Whether one of `tenants` already holds its local limit here. */
  atLimit(tenants: readonly string[]): boolean {
    return tenants.some((t) => {
      const load = this.#loads.get(t);
      return load !== undefined && load.processing + load.waiting >= this.#o.localLimit;
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
      if (t === NO_TENANT || tenants.includes(t) || (options.underCap && load.processing >= this.#o.cap)) continue;
      if (load.processing + load.waiting > 0 || load.lastReceivedAt >= now - ACTIVE_TENANT_WINDOW_MS) return true;
    }
    return false;
  }

  /** The tenants at their cap. */
  capped(): string[] {
    return [...this.#loads].filter(([, l]) => l.processing >= this.#o.cap).map(([t]) => t);
  }

  /** What `tenant` has here now. */
  load(tenant: string): TenantLoad {
    const { processing = 0, waiting = 0 } = this.#loads.get(tenant) ?? {};
    return { processing, waiting };
  }

  /** Forgets tenants with nothing here that have not been received within the window. */
  prune(now: number): void {
    for (const [t, load] of this.#loads) {
      if (load.processing + load.waiting === 0 && load.lastReceivedAt < now - ACTIVE_TENANT_WINDOW_MS) {
        this.#loads.delete(t);
      }
    }
  }

  #load(tenant: string): Load {
    let load = this.#loads.get(tenant);
    if (!load) this.#loads.set(tenant, load = { processing: 0, waiting: 0, lastReceivedAt: Number.NEGATIVE_INFINITY });
    return load;
  }
}
