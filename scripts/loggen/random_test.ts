import assert from "node:assert/strict";
import { Random } from "./random.ts";

Deno.test("a seed reproduces the same values; another seed does not", () => {
  const draw = (seed: number) => {
    const r = new Random(seed);
    return [r.int(1, 100), r.float(), r.uuid(), r.nameSuffix(5), r.hex(8), r.pick(["a", "b", "c"])];
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
});

Deno.test("values stay within their bounds and formats", () => {
  const r = new Random(7);
  for (let i = 0; i < 1000; i++) {
    const n = r.int(3, 5);
    assert.ok(n >= 3 && n <= 5);
    const f = r.between(0.5, 1.5);
    assert.ok(f >= 0.5 && f < 1.5);
    assert.match(r.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(r.nameSuffix(5), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  }
});
