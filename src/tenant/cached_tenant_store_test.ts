import { deepStrictEqual as deepEqual, rejects, strictEqual as equal } from "node:assert/strict";
import { retryable } from "../errors.ts";
import { fakeClock } from "../../tests/support/fakes.ts";
import { CachedTenantStore } from "./cached_tenant_store.ts";
import type { TenantConfig } from "./delivery.ts";
import type { TenantStore } from "./tenant_store.ts";

/** Counts lookups; each result carries the lookup number; optional gate and queued failures. */
class CountingStore implements TenantStore {
  readonly lookups: string[] = [];
  readonly failures: unknown[] = [];
  gate?: Promise<void>;

  async get(tenantId: string): Promise<TenantConfig> {
    this.lookups.push(tenantId);
    const n = this.lookups.length;
    await this.gate;
    if (this.failures.length > 0) throw this.failures.shift();
    return { tenantId: `${tenantId}#${n}`, deliveries: [], invalid: [] };
  }
}

const TTL = 60_000;

Deno.test("a lookup is served from the cache within the TTL and refreshed after it", async () => {
  const clock = fakeClock();
  const inner = new CountingStore();
  const store = new CachedTenantStore(inner, { ttlMs: TTL, now: clock.now });
  equal((await store.get("acme")).tenantId, "acme#1");
  clock.advance(TTL - 1);
  equal((await store.get("acme")).tenantId, "acme#1");
  clock.advance(1);
  equal((await store.get("acme")).tenantId, "acme#2");
  deepEqual(inner.lookups, ["acme", "acme"]);
});

Deno.test("the TTL starts when the lookup completes, not when it starts", async () => {
  const clock = fakeClock();
  const inner = new CountingStore();
  let open!: () => void;
  inner.gate = new Promise((r) => open = r);
  const store = new CachedTenantStore(inner, { ttlMs: TTL, now: clock.now });
  const pending = store.get("acme");
  clock.advance(TTL * 2); // a slow lookup
  open();
  await pending;
  await Promise.resolve();
  clock.advance(TTL - 1);
  equal((await store.get("acme")).tenantId, "acme#1");
  equal(inner.lookups.length, 1);
});

Deno.test("tenants are cached separately", async () => {
  const store = new CachedTenantStore(new CountingStore(), { ttlMs: TTL, now: fakeClock().now });
  equal((await store.get("a")).tenantId, "a#1");
  equal((await store.get("b")).tenantId, "b#2");
  equal((await store.get("a")).tenantId, "a#1");
});

Deno.test("concurrent lookups of one tenant share a single call", async () => {
  const inner = new CountingStore();
  let open!: () => void;
  inner.gate = new Promise((r) => open = r);
  const store = new CachedTenantStore(inner, { ttlMs: TTL, now: fakeClock().now });
  const all = Array.from({ length: 20 }, () => store.get("acme"));
  open();
  const results = await Promise.all(all);
  equal(inner.lookups.length, 1);
  equal(new Set(results).size, 1);
});

Deno.test("a failed lookup is not cached; concurrent waiters all see the failure", async () => {
  const inner = new CountingStore();
  const failure = retryable("ThrottlingException", "Cannot read tenant");
  inner.failures.push(failure);
  let open!: () => void;
  inner.gate = new Promise((r) => open = r);
  const store = new CachedTenantStore(inner, { ttlMs: TTL, now: fakeClock().now });
  const a = store.get("acme");
  const b = store.get("acme");
  open();
  await rejects(a, (err) => err === failure);
  await rejects(b, (err) => err === failure);
  equal((await store.get("acme")).tenantId, "acme#2");
  equal(inner.lookups.length, 2);
});

Deno.test("TTL 0 disables caching of completed lookups", async () => {
  const inner = new CountingStore();
  const store = new CachedTenantStore(inner, { ttlMs: 0, now: fakeClock().now });
  await store.get("acme");
  await store.get("acme");
  equal(inner.lookups.length, 2);
});

Deno.test("clear forgets everything", async () => {
  const inner = new CountingStore();
  const store = new CachedTenantStore(inner, { ttlMs: TTL, now: fakeClock().now });
  await store.get("acme");
  store.clear();
  equal((await store.get("acme")).tenantId, "acme#2");
});

Deno.test("the cache stays bounded: expired entries are evicted when it is full", async () => {
  const clock = fakeClock();
  const inner = new CountingStore();
  const store = new CachedTenantStore(inner, { ttlMs: TTL, now: clock.now, maxEntries: 3 });
  for (const id of ["a", "b", "c"]) await store.get(id);
  clock.advance(TTL);
  await store.get("d"); // evicts the expired a, b, c
  clock.advance(TTL - 1); // d still fresh
  equal((await store.get("d")).tenantId, "d#4");
  await store.get("e");
  await store.get("f");
  await store.get("g"); // full of fresh entries: cleared rather than grown
  equal(inner.lookups.length, 7);
  equal((await store.get("g")).tenantId, "g#7");
});
