import { strictEqual as equal } from "node:assert/strict";
import { BufferPool } from "./buffer_pool.ts";

Deno.test("take gives the smallest spare buffer large enough, else a new one", () => {
  const pool = new BufferPool(3);
  const small = new Uint8Array(10);
  const large = new Uint8Array(100);
  pool.give(small);
  pool.give(large);
  equal(pool.take(5), small);
  equal(pool.take(50), large);
  equal(pool.take(50).length, 50, "no spare left: a new buffer");
  equal(pool.size, 0);
});

Deno.test("the pool keeps at most its size, the largest buffers, each once", () => {
  const pool = new BufferPool(2);
  const [a, b, c] = [new Uint8Array(1), new Uint8Array(3), new Uint8Array(2)];
  pool.give(a);
  pool.give(b);
  pool.give(b);
  equal(pool.size, 2);
  pool.give(c); // replaces the 1-byte one
  equal(pool.take(3), b);
  equal(pool.take(2), c);
  equal(pool.size, 0);
});
