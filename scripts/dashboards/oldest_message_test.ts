import { deepStrictEqual } from "node:assert/strict";
import { OldestMessageTracker } from "./oldest_message.ts";

Deno.test("oldest message: from the put until received, then from its send until deleted", () => {
  const t = new OldestMessageTracker(20_000);
  t.put("a", 0);
  t.put("b", 5_000);
  deepStrictEqual(t.ageSeconds(10_000, { visible: 2, inFlight: 0 }), 10);
  t.received("m-a", { keys: ["a"], sentMs: 1_000, atMs: 10_000 });
  deepStrictEqual(t.ageSeconds(12_000, { visible: 1, inFlight: 1 }), 11, "a was sent at 1 s and is in flight");
  t.gone("m-a");
  deepStrictEqual(t.ageSeconds(12_000, { visible: 1, inFlight: 0 }), 7, "b, put at 5 s, is the oldest now");
});

Deno.test("oldest message: what the queue says bounds what the tracking missed", () => {
  const t = new OldestMessageTracker(20_000);
  t.put("lost", 0); // its message never arrived
  t.received("m1", { keys: ["x"], sentMs: 0, atMs: 1_000 });
  // Nothing visible: no message waits to be received, whatever was put.
  deepStrictEqual(t.ageSeconds(10_000, { visible: 0, inFlight: 1 }), 10);
  // A received message not seen again within the expiry has left (deleted elsewhere, dead-lettered).
  deepStrictEqual(t.ageSeconds(30_000, { visible: 0, inFlight: 1 }), 0);
  t.received("m2", { keys: [], sentMs: 25_000, atMs: 26_000 });
  deepStrictEqual(t.ageSeconds(31_000, { visible: 0, inFlight: 0 }), 0, "an empty queue holds nothing old");
});
