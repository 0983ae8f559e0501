import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { ids, lifecycleSetup as setup, type Msg, msgs, states, tenantMsgs } from "../../tests/support/lifecycle.ts";
import { NO_TENANT } from "./message_tenants.ts";

Deno.test("with a receive buffer, a receive asks for ten once there is room for ten, else only to fill an idle slot", () => {
  const { lc } = setup({ concurrency: 4, receiveBuffer: 10 });
  strictEqual(lc.receiveSize(), 10);
  const first = msgs(...Array.from({ length: 10 }, (_, i) => `a${i}`));
  lc.received(first);
  deepStrictEqual(ids(lc.schedule()), ["a0", "a1", "a2", "a3"]);
  strictEqual(lc.receiveSize(), 0, "6 wait, room for 4 only");
  for (const m of first.slice(0, 4)) lc.finish(m, "delivered");
  strictEqual(lc.receiveSize(), 0, "still waiting messages for the free slots");
  strictEqual(lc.schedule().length, 4);
  strictEqual(lc.receiveSize(), 0, "4 processing + 2 waiting: room for 8");
  for (const m of first.slice(4, 6)) lc.finish(m, "delivered");
  lc.schedule();
  strictEqual(lc.receiveSize(), 10, "4 processing, nothing waiting: room for 10");
  deepStrictEqual(ids(lc.held()), ids(first), "the heartbeat covers what is processing or deleting");
});

Deno.test("a buffer smaller than ten is filled once nothing waits; no buffer asks for the free slots only", () => {
  const small = setup({ concurrency: 4, receiveBuffer: 3 }).lc;
  strictEqual(small.receiveSize(), 7);
  const batch = msgs("m1", "m2", "m3", "m4", "m5");
  small.received(batch);
  small.schedule();
  strictEqual(small.receiveSize(), 0, "one waits");
  small.finish(batch[0]!, "delivered");
  small.schedule();
  strictEqual(small.receiveSize(), 3, "all slots busy and nothing waits: fill the buffer for the next free slot");
  small.finish(batch[1]!, "delivered");
  strictEqual(small.receiveSize(), 4);
  const none = setup({ concurrency: 4, receiveBuffer: 0 }).lc;
  none.received(msgs("n1", "n2", "n3"));
  strictEqual(none.receiveSize(), 0, "three wait for the slots");
  none.schedule();
  strictEqual(none.receiveSize(), 1);
});

Deno.test("schedule starts the oldest waiting message whose tenants are under the cap; capped ones keep waiting", () => {
  const { lc, scheduler } = setup({ concurrency: 4, receiveBuffer: 10, tenantMaxInFlight: 2 });
  const batch = tenantMsgs("a1", "a2", "a3", "b1", "a4", "c1", "b2");
  deepStrictEqual(lc.received(batch), [], "nobody is at a limit yet");
  deepStrictEqual(ids(lc.schedule()), ["a1", "a2", "b1", "c1"], "a3 and a4 skipped: a has 2 processing");
  deepStrictEqual(scheduler.load("a"), { processing: 2, waiting: 2 });
  lc.finish(batch[3]!, "delivered"); // b1
  deepStrictEqual(ids(lc.schedule()), ["b2"], "the free slot goes to b, not to capped a");
  lc.finish(batch[0]!, "delivered"); // a1: its slot and a's share free
  deepStrictEqual(ids(lc.schedule()), ["a3"]);
  deepStrictEqual(scheduler.load("a"), { processing: 2, waiting: 1 });
  deepStrictEqual(scheduler.load("nobody"), { processing: 0, waiting: 0 });
});

Deno.test("a message of several tenants counts for each and starts only when all of them are under the cap", () => {
  const { lc, scheduler } = setup({ concurrency: 4, receiveBuffer: 10, tenantMaxInFlight: 1 });
  const batch = tenantMsgs("a1", "ab1", "b1", "c1");
  lc.received(batch);
  deepStrictEqual(ids(lc.schedule()), ["a1", "b1", "c1"], "ab1 waits for a");
  lc.finish(batch[0]!, "delivered");
  deepStrictEqual(lc.schedule(), [], "b is still busy");
  lc.finish(batch[2]!, "delivered");
  deepStrictEqual(ids(lc.schedule()), ["ab1"]);
  deepStrictEqual([scheduler.load("a"), scheduler.load("b")], [{ processing: 1, waiting: 0 }, {
    processing: 1,
    waiting: 0,
  }]);
});

Deno.test("a tenant's messages beyond its share are parked off the buffer, and beyond the parking deferred", () => {
  const { lc, scheduler } = setup({ concurrency: 4, receiveBuffer: 10, tenantMaxInFlight: 2 });
  const first = tenantMsgs(...Array.from({ length: 10 }, (_, i) => `a${i}`));
  deepStrictEqual(lc.received(first), [], "a's share is 2 processing + 2 waiting; the other 6 are parked");
  strictEqual(lc.schedule().length, 2);
  strictEqual(lc.receiveSize(), 10, "parked messages leave the buffer's room: 14 - 2 - 2");
  const second = tenantMsgs(...Array.from({ length: 10 }, (_, i) => `a1${i}`));
  const deferred = lc.received(second);
  deepStrictEqual(ids(deferred), ["a14", "a15", "a16", "a17", "a18", "a19"], "the parking holds 10");
  deepStrictEqual(states(lc, deferred), Array(6).fill("deferring"));
  deepStrictEqual(scheduler.load("a"), { processing: 2, waiting: 12 });
  strictEqual(ids(lc.held()).length, 14, "deferred messages are not kept hidden");
  strictEqual(lc.messages.settling(), 6);
  for (const m of deferred) lc.settled(m);
  strictEqual(lc.messages.settling(), 0);
});

Deno.test("with no buffer a tenant's share is its cap and what is beyond it is deferred at once", () => {
  const { lc } = setup({ concurrency: 2, tenantMaxInFlight: 1 });
  const batch = tenantMsgs("a1", "a2", "b1", "a3");
  deepStrictEqual(ids(lc.received(batch)), ["a2", "a3"]);
  deepStrictEqual(ids(lc.schedule()), ["a1", "b1"]);
});

Deno.test("a free slot a capped tenant cannot use is received for while another tenant wants slots", () => {
  const { lc, clock } = setup({ concurrency: 4, receiveBuffer: 4, tenantMaxInFlight: 2 });
  const batch = tenantMsgs("a1", "a2", "a3", "a4", "b1");
  lc.received(batch);
  lc.schedule(); // a1 a2 b1
  lc.finish(batch[4]!, "delivered");
  strictEqual(lc.receiveSize(), 4, "2 slots free, a3 and a4 capped, b received just now: room 8 - 2 - 2");
  clock.t += 10_001;
  strictEqual(lc.receiveSize(), 0, "b has not been seen for a while: the buffer is a's");
});

Deno.test("a free slot is received for only for a tenant about, and messages naming no tenant are none", () => {
  const about = (other: Msg) => {
    const { lc } = setup({ concurrency: 2, receiveBuffer: 2, tenantMaxInFlight: 1 });
    lc.received([...tenantMsgs("a1", "a2", "a3"), other]); // a1 a2 in a's share, a3 parked
    lc.schedule(); // a1 and the other
    lc.finish(other, "delivered");
    return lc.receiveSize();
  };
  strictEqual(about(tenantMsgs("b1")[0]!), 2, "b could use the free slot: room 4 - 1 - 1");
  strictEqual(about({ messageId: "bad1", tenants: [NO_TENANT] }), 0, "an unreadable body wants no slot");
});

Deno.test("with no cap below CONCURRENCY nothing is deferred, and while stopping nothing is either", () => {
  const uncapped = setup({ concurrency: 2, tenantMaxInFlight: 2 }).lc;
  deepStrictEqual(uncapped.received(tenantMsgs("a1", "a2", "a3", "a4", "a5", "b1")), []);
  const { lc } = setup({ concurrency: 2, tenantMaxInFlight: 1 });
  lc.worker.stop();
  const late = tenantMsgs("a1", "a2", "a3", "b1");
  deepStrictEqual(lc.received(late), []);
  deepStrictEqual(lc.releaseUnstarted(), late);
});

Deno.test("with messages parked, receives that find no other tenant are paced, doubling to the max; finding one resets it", () => {
  const { lc, clock, scheduler } = setup({ concurrency: 2, receiveBuffer: 1, tenantMaxInFlight: 1 });
  lc.received(tenantMsgs("a1", "b1"));
  lc.schedule();
  strictEqual(scheduler.receiveDelayMs(), 0);
  deepStrictEqual(ids(lc.received(tenantMsgs("a20", "a21", "a22"))), ["a22"], "a20 in a's share, a21 parked");
  strictEqual(scheduler.receiveDelayMs(), 0, "a was not beyond its share before that receive: it counts as found");
  const paces: number[] = [];
  for (let i = 3; i < 11; i++) {
    strictEqual(lc.received(tenantMsgs(`a${i}0`, `a${i}1`, `a${i}2`)).length, 3);
    paces.push(scheduler.receiveDelayMs());
    strictEqual(lc.receiveSize(), 0, "paced");
    clock.t += scheduler.receiveDelayMs();
  }
  deepStrictEqual(paces, [100, 200, 400, 800, 1600, 3200, 6400, 10_000], "100 ms doubling to 10 s (docs/run-modes.md)");
  strictEqual(scheduler.receiveDelayMs(), 0, "the pace is over");
  lc.received(tenantMsgs("a99", "c1"));
  strictEqual(scheduler.receiveDelayMs(), 0, "c is another tenant");
  lc.received([]);
  strictEqual(scheduler.receiveDelayMs(), 0);
});

Deno.test("a tenant whose messages keep ending retryable gets a smaller cap and waits longer before each start", () => {
  const { lc, clock, scheduler } = setup({ concurrency: 4, receiveBuffer: 10, tenantMaxInFlight: 4 - 1 });
  const a = tenantMsgs("a1", "a2", "a3", "a4", "a5", "a6", "a7");
  lc.received(a);
  deepStrictEqual(ids(lc.schedule()), ["a1", "a2", "a3"]);
  lc.finish(a[0]!, "retryable");
  deepStrictEqual(lc.schedule(), [], "held back: 500 ms after its first retryable outcome");
  strictEqual(lc.nextStartInMs(), 500);
  strictEqual(
    scheduler.backoff(lc.messages.tenantsOf(a[3]!)),
    1,
    "its retries and deferrals back off one receive longer",
  );
  clock.t += 500;
  lc.finish(a[1]!, "retryable");
  lc.finish(a[2]!, "retryable");
  strictEqual(lc.nextStartInMs(), 2_000, "three in a row: 500 ms · 2²");
  clock.t += 2_000;
  deepStrictEqual(ids(lc.schedule()), ["a4"], "and one at a time (cap 3 halved per failure, at least 1)");
  lc.finish(a[3]!, "delivered");
  strictEqual(lc.nextStartInMs(), Number.POSITIVE_INFINITY);
  deepStrictEqual(ids(lc.schedule()), ["a5", "a6", "a7"], "a delivery restores its cap");
  strictEqual(scheduler.backoff(lc.messages.tenantsOf(a[4]!)), 0);
});
