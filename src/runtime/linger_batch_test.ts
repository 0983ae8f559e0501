import { deepStrictEqual } from "node:assert/strict";
import { LingerBatch } from "./linger_batch.ts";

Deno.test("LingerBatch: a full group goes at once, the rest after the linger, every add resolves after its call", async () => {
  const calls: number[][] = [];
  const batch = new LingerBatch<number>((items) => (calls.push(items), Promise.resolve()), { max: 3, lingerMs: 20 });
  const first = [1, 2, 3].map((n) => batch.add(n));
  deepStrictEqual(calls, [[1, 2, 3]], "three waiting: sent without waiting");
  await Promise.all(first);
  const late = [4, 5].map((n) => batch.add(n));
  deepStrictEqual(calls.length, 1, "two waiting: lingering");
  await Promise.all(late);
  deepStrictEqual(calls, [[1, 2, 3], [4, 5]]);
});

Deno.test("LingerBatch: flush sends what waits now and waits for calls in progress", async () => {
  const calls: string[][] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const batch = new LingerBatch<string>((items) => (calls.push(items), gate), { max: 10, lingerMs: 60_000 });
  let done = false;
  void batch.add("a").then(() => done = true);
  const flushed = batch.flush();
  deepStrictEqual([calls, done], [[["a"]], false]);
  release();
  await flushed;
  deepStrictEqual(done, true);
});
