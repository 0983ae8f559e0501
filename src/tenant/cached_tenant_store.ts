/**
 * A short-TTL in-memory cache in front of a {@link TenantStore}: a burst of
 * objects for one tenant costs one lookup, and concurrent lookups share it.
 * Failed lookups are not cached.
 *
 * @module
 */
import type { TenantConfig } from "./delivery.ts";
import type { TenantStore } from "./tenant_store.ts";

interface Entry {
  readonly value: Promise<TenantConfig>;
  expiresAt: number;
}

/** How long and how many tenants {@link CachedTenantStore} keeps. */
export interface CacheOptions {
  readonly ttlMs: number;
  readonly now?: () => number;
  readonly maxEntries?: number;
}

/** Caches tenant configurations for `ttlMs`. */
export class CachedTenantStore implements TenantStore {
  readonly #entries = new Map<string, Entry>();

  readonly #inner: TenantStore;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;

  /** Caches `inner` for `options.ttlMs`, keeping at most `options.maxEntries` (default 10 000) tenants. */
  constructor(inner: TenantStore, options: CacheOptions) {
    this.#inner = inner;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  get(tenantId: string): Promise<TenantConfig> {
    const hit = this.#entries.get(tenantId);
    if (hit && hit.expiresAt > this.#now()) return hit.value;
    if (this.#entries.size >= this.#maxEntries) this.#evictExpired();
    const entry: Entry = { value: this.#inner.get(tenantId), expiresAt: Number.POSITIVE_INFINITY };
    this.#entries.set(tenantId, entry);
    entry.value.then(
      () => entry.expiresAt = this.#now() + this.#ttlMs,
      () => {
        if (this.#entries.get(tenantId) === entry) this.#entries.delete(tenantId);
      },
    );
    return entry.value;
  }

  /** Drops every cached tenant (after `tenants add`, say). */
  clear(): void {
    this.#entries.clear();
  }

  #evictExpired(): void {
    const now = this.#now();
    for (const [id, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(id);
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
  }
}
