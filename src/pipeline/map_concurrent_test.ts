import { deepStrictEqual as deepEqual, rejects, strictEqual as equal } from "node:assert/strict";
import { mapConcurrent } from "./map_concurrent.ts";

/** Resolves after `turns` microtask hops, so tasks finish out of order. */
async function hops(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

Deno.test("results keep input order even when tasks finish out of order", async () => {
  const items = [50, 1, 30, 2, 10, 0];
  const finished: number[] = [];
  const results = await mapConcurrent(items, async (n, i) => {
    await hops(n);
    finished.push(i);
    return `${i}:${n}`;
  }, { limit: 3 });
  deepEqual(results, ["0:50", "1:1", "2:30", "3:2", "4:10", "5:0"]);
  equal(finished.join() === "0,1,2,3,4,5", false, "tasks really finished out of order");
});

Deno.test("never more than `limit` calls in flight, and the limit is used", async () => {
  for (const limit of [1, 2, 4, 16]) {
    let active = 0;
    let peak = 0;
    await mapConcurrent(Array.from({ length: 20 }, (_, i) => i), async (i) => {
      active++;
      peak = Math.max(peak, active);
      await hops(1 + (i % 5));
      active--;
    }, { limit: limit });
    equal(peak, Math.min(limit, 20), `limit ${limit}`);
  }
});

Deno.test("every item is processed exactly once", async () => {
  const seen = new Map<number, number>();
  await mapConcurrent(Array.from({ length: 100 }, (_, i) => i), async (i) => {
    await hops(i % 3);
    seen.set(i, (seen.get(i) ?? 0) + 1);
  }, { limit: 7 });
  equal(seen.size, 100);
  equal([...seen.values()].every((n) => n === 1), true);
});

Deno.test("no items: no calls; a limit below 1 still makes progress", async () => {
  let calls = 0;
  deepEqual(await mapConcurrent([], () => Promise.resolve(calls++), { limit: 4 }), []);
  equal(calls, 0);
  deepEqual(await mapConcurrent([1, 2, 3], (n) => Promise.resolve(n * 2), { limit: 0 }), [2, 4, 6]);
});

Deno.test("a failing call rejects the whole map", async () => {
  await rejects(
    mapConcurrent([1, 2, 3], (n) => n === 2 ? Promise.reject(new Error("boom")) : Promise.resolve(n), { limit: 2 }),
    /boom/,
  );
});
