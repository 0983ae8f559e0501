import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { RedeliveryGuard } from "./redelivery_guard.ts";

interface Copy {
  readonly messageId: string;
  readonly handle: string;
}
const copy = (messageId: string, handle: string): Copy => ({ messageId, handle });
const handles = (ms: readonly Copy[]) => ms.map((m) => m.handle);

Deno.test("RedeliveryGuard: a copy of a held message is folded into it and becomes the copy its calls use", () => {
  const guard = new RedeliveryGuard<Copy>({ now: () => 0 });
  const first = copy("m1", "h1");
  deepStrictEqual(guard.sort([first, copy("m2", "h2")]), { fresh: [first, copy("m2", "h2")], held: [], delivered: [] });
  const second = copy("m1", "h1b");
  const sorted = guard.sort([second, copy("m3", "h3")]);
  deepStrictEqual([handles(sorted.fresh), handles(sorted.held), handles(sorted.delivered)], [["h3"], ["h1b"], []]);
  strictEqual(guard.newest(first), second);
  strictEqual(guard.held, 3);
});

Deno.test("RedeliveryGuard: the same id twice in one receive is one message", () => {
  const guard = new RedeliveryGuard<Copy>({ now: () => 0 });
  const sorted = guard.sort([copy("m1", "a"), copy("m1", "b")]);
  deepStrictEqual([handles(sorted.fresh), handles(sorted.held)], [["a"], ["b"]]);
  strictEqual(guard.newest(copy("m1", "a")).handle, "b");
});

Deno.test("RedeliveryGuard: release returns the copy received after the call was made, and only then", () => {
  const guard = new RedeliveryGuard<Copy>({ now: () => 0 });
  const first = copy("m1", "h1");
  guard.sort([first]);
  const used = guard.newest(first);
  const later = copy("m1", "h1b");
  guard.sort([later]);
  strictEqual(guard.release(first, { used, deleted: true }), later, "a delete made with h1 must be repeated with h1b");
  guard.sort([copy("m2", "h2")]);
  strictEqual(guard.release(copy("m2", "h2"), { used: guard.newest(copy("m2", "h2")), deleted: true }), undefined);
  strictEqual(guard.held, 0);
});

Deno.test("RedeliveryGuard: a copy of a deleted message is to delete; of one released undeleted it is new again", () => {
  let now = 0;
  const guard = new RedeliveryGuard<Copy>({ now: () => now, memory: { maxAgeMs: 1_000 } });
  const [deleted, retried] = [copy("m1", "h1"), copy("m2", "h2")];
  guard.sort([deleted, retried]);
  guard.release(deleted, { used: deleted, deleted: true });
  guard.release(retried, { used: retried, deleted: false });
  const sorted = guard.sort([copy("m1", "h1b"), copy("m2", "h2b")]);
  deepStrictEqual([handles(sorted.fresh), handles(sorted.delivered)], [["h2b"], ["h1b"]]);
  now = 1_001;
  deepStrictEqual(handles(guard.sort([copy("m1", "h1c")]).fresh), ["h1c"], "forgotten after its memory's age");
});

Deno.test("RedeliveryGuard: at most maxSize deleted ids are remembered, the oldest forgotten first", () => {
  const guard = new RedeliveryGuard<Copy>({ now: () => 0, memory: { maxSize: 2 } });
  for (const id of ["a", "b", "c"]) {
    guard.sort([copy(id, id)]);
    guard.release(copy(id, id), { used: copy(id, id), deleted: true });
  }
  const sorted = guard.sort([copy("a", "a2"), copy("b", "b2"), copy("c", "c2")]);
  deepStrictEqual([handles(sorted.fresh), handles(sorted.delivered)], [["a2"], ["b2", "c2"]]);
});
