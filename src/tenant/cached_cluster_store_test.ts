import { deepStrictEqual as deepEqual, rejects, strictEqual as equal } from "node:assert/strict";
import { retryable } from "../errors.ts";
import { fakeClock } from "../../tests/support/fakes.ts";
import { CachedClusterStore } from "./cached_cluster_store.ts";
import type { ClusterLookup } from "./cluster.ts";
import type { ClusterStore } from "./cluster_store.ts";

/** Answers "registered" for ids starting with `ok-`, else "unregistered"; counts lookups. */
class CountingRegistry implements ClusterStore {
  readonly lookups: string[] = [];
  readonly failures: unknown[] = [];
  gate?: Promise<void>;

  async get(clusterId: string): Promise<ClusterLookup> {
    this.lookups.push(clusterId);
    await this.gate;
    if (this.failures.length > 0) throw this.failures.shift();
    if (!clusterId.startsWith("ok-")) return { kind: "unregistered", clusterId };
    return {
      kind: "registered",
      cluster: {
        clusterId,
        tenants: ["acme"],
        writerRoleArn: "arn:aws:iam::123456789012:role/w",
        writerRoleId: `AROA${this.lookups.length}`,
        enabled: true,
      },
    };
  }
}

const TTL = 60_000;
const roleIdOf = (l: ClusterLookup) => l.kind === "registered" ? l.cluster.writerRoleId : l.kind;

Deno.test("a registered cluster is read once per TTL, then read again", async () => {
  const clock = fakeClock();
  const inner = new CountingRegistry();
  const store = new CachedClusterStore(inner, { ttlMs: TTL, now: clock.now });
  equal(roleIdOf(await store.get("ok-1")), "AROA1");
  clock.advance(TTL - 1);
  equal(roleIdOf(await store.get("ok-1")), "AROA1");
  clock.advance(1);
  equal(roleIdOf(await store.get("ok-1")), "AROA2");
  deepEqual(inner.lookups, ["ok-1", "ok-1"]);
});

Deno.test("unregistered clusters are cached too: a flood of objects costs one lookup per cluster and TTL", async () => {
  const clock = fakeClock();
  const inner = new CountingRegistry();
  const store = new CachedClusterStore(inner, { ttlMs: TTL, now: clock.now });
  const ids = ["evil-1", "evil-2", "evil-3"];
  for (let i = 0; i < 300; i++) equal((await store.get(ids[i % 3]!)).kind, "unregistered");
  deepEqual(inner.lookups, ids);
  clock.advance(TTL);
  await store.get("evil-1");
  equal(inner.lookups.length, 4);
});

Deno.test("concurrent lookups of one cluster share one call", async () => {
  const inner = new CountingRegistry();
  let open!: () => void;
  inner.gate = new Promise((r) => open = r);
  const store = new CachedClusterStore(inner, { ttlMs: TTL });
  const pending = Array.from({ length: 20 }, () => store.get("ok-1"));
  open();
  const results = await Promise.all(pending);
  equal(new Set(results).size, 1);
  deepEqual(inner.lookups, ["ok-1"]);
});

Deno.test("a failed lookup is not cached: the next object asks again", async () => {
  const inner = new CountingRegistry();
  inner.failures.push(retryable("ProvisionedThroughputExceededException", "throttled"));
  const store = new CachedClusterStore(inner, { ttlMs: TTL });
  await rejects(store.get("ok-1"), /throttled/);
  await Promise.resolve();
  equal((await store.get("ok-1")).kind, "registered");
  equal(inner.lookups.length, 2);
});

Deno.test("distinct ids cannot grow the cache past maxEntries; the oldest goes first", async () => {
  const inner = new CountingRegistry();
  const store = new CachedClusterStore(inner, { ttlMs: TTL, maxEntries: 3 });
  for (const id of ["ok-a", "x-1", "x-2", "x-3", "x-4"]) await store.get(id);
  equal(store.size, 3);
  await store.get("x-4");
  await store.get("ok-a"); // evicted: read again
  deepEqual(inner.lookups, ["ok-a", "x-1", "x-2", "x-3", "x-4", "ok-a"]);
});

Deno.test("a TTL of 0 reads the registry for every object", async () => {
  const clock = fakeClock();
  const inner = new CountingRegistry();
  const store = new CachedClusterStore(inner, { ttlMs: 0, now: clock.now });
  await store.get("ok-1");
  await Promise.resolve();
  await store.get("ok-1");
  equal(inner.lookups.length, 2);
});
