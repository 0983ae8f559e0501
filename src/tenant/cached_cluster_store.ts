/**
 * A short-TTL in-memory cache in front of a {@link ClusterStore}. Every
 * answer is cached, refusals too: an unregistered or invalid cluster costs
 * one lookup per TTL however many objects name it, so a flood of objects
 * from an unknown cluster cannot turn into a DynamoDB call per object.
 * Concurrent lookups of one cluster share a call; failed lookups are not
 * cached. The cache holds at most `maxEntries` clusters (the oldest entry
 * goes first), so distinct ids cannot grow it without bound.
 *
 * @module
 */
import type { ClusterLookup } from "./cluster.ts";
import type { ClusterStore } from "./cluster_store.ts";

interface Entry {
  readonly value: Promise<ClusterLookup>;
  expiresAt: number;
}

/** Options of {@link CachedClusterStore}. */
export interface ClusterCacheOptions {
  /** How long an answer is used (`CLUSTER_CACHE_TTL_SECONDS`): also how long a change takes to apply. */
  readonly ttlMs: number;
  readonly now?: () => number;
  readonly maxEntries?: number;
}

/** Caches registry answers for `ttlMs`. */
export class CachedClusterStore implements ClusterStore {
  readonly #entries = new Map<string, Entry>();
  readonly #inner: ClusterStore;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(inner: ClusterStore, options: ClusterCacheOptions) {
    this.#inner = inner;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  }

  get(clusterId: string): Promise<ClusterLookup> {
    const hit = this.#entries.get(clusterId);
    if (hit && hit.expiresAt > this.#now()) return hit.value;
    this.#entries.delete(clusterId);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    const entry: Entry = { value: this.#inner.get(clusterId), expiresAt: Number.POSITIVE_INFINITY };
    this.#entries.set(clusterId, entry);
    entry.value.then(
      () => entry.expiresAt = this.#now() + this.#ttlMs,
      () => {
        if (this.#entries.get(clusterId) === entry) this.#entries.delete(clusterId);
      },
    );
    return entry.value;
  }

  /** Clusters currently cached (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }
}
