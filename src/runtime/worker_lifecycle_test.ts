import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import type { Outcome } from "../results.ts";
import { NO_TENANT } from "./message_tenants.ts";
import {
  IllegalTransition,
  type MessageState,
  RECEIVE_PACE_BASE_MS,
  RECEIVE_PACE_MAX_MS,
  UNHEALTHY_AFTER_RECEIVE_ERRORS,
  WorkerLifecycle,
  type WorkerPhase,
} from "./worker_lifecycle.ts";

interface Msg {
  readonly messageId: string;
  readonly tenants?: readonly string[];
}

const msgs = (...ids: string[]): Msg[] => ids.map((messageId) => ({ messageId }));
/** Messages `<tenant><n>` for the tenant named by the id's letters: `a1` is tenant a's, `ab1` is a's and b's. */
const tenantMsgs = (...ids: string[]): Msg[] =>
  ids.map((messageId) => ({ messageId, tenants: [...messageId.replace(/\d+$/, "")] }));

/** A lifecycle on a fake clock (`clock.t`), counting its change notifications. */
function setup(
  options: { concurrency?: number; graceMs?: number; receiveBuffer?: number; tenantMaxInFlight?: number } = {},
) {
  const clock = { t: 1_000 };
  const counts = { changes: 0 };
  const lc = new WorkerLifecycle<Msg>({
    concurrency: options.concurrency ?? 4,
    receiveBuffer: options.receiveBuffer,
    tenantMaxInFlight: options.tenantMaxInFlight,
    tenantsOf: (m) => m.tenants ?? [],
    graceMs: options.graceMs ?? 100,
    now: () => clock.t,
    onChange: () => counts.changes++,
  });
  return { lc, clock, counts };
}

const states = (lc: WorkerLifecycle<Msg>, ms: Msg[]) => ms.map((m) => lc.stateOf(m));
const ids = (ms: Msg[]) => ms.map((m) => m.messageId);

/** A lifecycle in `phase`. */
function inPhase(phase: WorkerPhase) {
  const { lc } = setup();
  if (phase !== "running") lc.stop();
  if (phase === "closed") lc.close();
  return lc;
}

/** A lifecycle holding one message in `state` (or one that is gone). */
function withMessage(state: MessageState | "gone") {
  if (state === "deferring") {
    const { lc } = setup({ concurrency: 2, tenantMaxInFlight: 1 });
    const [a, b, m] = tenantMsgs("a1", "b1", "a2") as [Msg, Msg, Msg];
    deepStrictEqual(lc.received([a, b, m]), [m]);
    return { lc, m };
  }
  const { lc } = setup();
  const [m] = msgs("m1") as [Msg];
  lc.received([m]);
  if (state !== "waiting") lc.schedule();
  if (state === "deleting") lc.finish(m, "delivered");
  if (state === "backingOff") lc.finish(m, "retryable");
  if (state === "gone") {
    lc.finish(m, "permanent");
    lc.settled(m);
  }
  if (state === "released") {
    lc.stop();
    lc.close();
  }
  strictEqual(lc.stateOf(m), state === "gone" ? undefined : state);
  return { lc, m };
}

Deno.test("a new lifecycle is running and healthy, asks for CONCURRENCY messages and has no grace deadline", () => {
  const { lc } = setup({ concurrency: 3 });
  strictEqual(lc.phase, "running");
  strictEqual(lc.receiveSize(), 3);
  deepStrictEqual(lc.health(), { ok: true, stopping: false, inFlight: 0, consecutiveReceiveErrors: 0 });
  strictEqual(lc.graceRemainingMs(), Number.POSITIVE_INFINITY);
  strictEqual(lc.graceOver(), false);
  strictEqual(lc.idle(), true);
  deepStrictEqual(lc.schedule(), []);
});

Deno.test("received messages wait; schedule starts the oldest, as many as there are free slots", () => {
  const { lc } = setup({ concurrency: 2 });
  const batch = msgs("m1", "m2", "m3");
  lc.received(batch);
  deepStrictEqual(states(lc, batch), ["waiting", "waiting", "waiting"]);
  strictEqual(lc.receiveSize(), 0, "waiting messages take slots: nothing more is asked for");
  deepStrictEqual(ids(lc.schedule()), ["m1", "m2"]);
  deepStrictEqual(states(lc, batch), ["processing", "processing", "waiting"]);
  deepStrictEqual(ids(lc.held()), ["m1", "m2", "m3"], "waiting messages are kept hidden too");
  strictEqual(lc.inFlight(), 2);
  deepStrictEqual(lc.schedule(), [], "no free slot");
  strictEqual(lc.finish(batch[0]!, "delivered"), "delete");
  deepStrictEqual(ids(lc.schedule()), ["m3"], "a finished message frees its slot, its delete does not hold it");
  strictEqual(lc.receiveSize(), 0);
  lc.finish(batch[1]!, "skipped");
  strictEqual(lc.receiveSize(), 1);
});

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

Deno.test("finish: delivered and skipped are deleted, retryable backs off, permanent is made visible at once", () => {
  const { lc } = setup();
  const batch = msgs("delivered", "skipped", "retryable", "permanent");
  lc.received(batch);
  lc.schedule();
  const settlements = batch.map((m) => lc.finish(m, m.messageId as Outcome));
  deepStrictEqual(settlements, ["delete", "delete", "retry", "expose"]);
  deepStrictEqual(states(lc, batch), ["deleting", "deleting", "backingOff", "backingOff"]);
  deepStrictEqual(ids(lc.held()), ["delivered", "skipped"], "a message waiting for its delete is kept hidden");
  strictEqual(lc.settling(), 4);
  strictEqual(lc.inFlight(), 0);
  for (const m of batch) lc.settled(m);
  strictEqual(lc.settling(), 0);
  strictEqual(lc.idle(), true);
});

Deno.test("receive failures count in a row, make the worker unhealthy at the threshold, and reset on a receive", () => {
  const { lc } = setup();
  for (let i = 1; i < UNHEALTHY_AFTER_RECEIVE_ERRORS; i++) strictEqual(lc.receiveFailed(), i);
  strictEqual(lc.health().ok, true);
  strictEqual(lc.receiveFailed(), UNHEALTHY_AFTER_RECEIVE_ERRORS);
  deepStrictEqual(lc.health(), {
    ok: false,
    stopping: false,
    inFlight: 0,
    consecutiveReceiveErrors: UNHEALTHY_AFTER_RECEIVE_ERRORS,
  });
  lc.received([]);
  deepStrictEqual(lc.health(), { ok: true, stopping: false, inFlight: 0, consecutiveReceiveErrors: 0 });
});

Deno.test("stop: nothing more is asked for or started, processing goes on, waiting messages are released unstarted", () => {
  const { lc } = setup({ concurrency: 1 });
  const [first, second] = msgs("m1", "m2") as [Msg, Msg];
  lc.received([first, second]);
  lc.schedule();
  lc.stop();
  strictEqual(lc.phase, "stopping");
  strictEqual(lc.receiveSize(), 0);
  deepStrictEqual(lc.health(), { ok: false, stopping: true, inFlight: 1, consecutiveReceiveErrors: 0 });
  strictEqual(lc.finish(first, "delivered"), "delete", "work finishing within the grace period settles as usual");
  deepStrictEqual(lc.schedule(), [], "the freed slot starts nothing");
  deepStrictEqual(lc.releaseUnstarted(), [second]);
  strictEqual(lc.stateOf(second), undefined);
  deepStrictEqual(ids(lc.held()), ["m1"]);
  lc.settled(first);
  strictEqual(lc.idle(), true);
});

Deno.test("stop during a receive: what the receive returns is never started and is released", () => {
  const { lc } = setup();
  lc.receiveFailed();
  lc.stop(); // while ReceiveMessage is in flight
  const late = msgs("m1", "m2");
  lc.received(late);
  strictEqual(lc.health().consecutiveReceiveErrors, 0, "the receive itself succeeded");
  deepStrictEqual(lc.schedule(), []);
  deepStrictEqual(lc.releaseUnstarted(), late);
  strictEqual(lc.idle(), true);
});

Deno.test("the grace period runs on the injected clock from the moment of stop", () => {
  const { lc, clock } = setup({ graceMs: 100 });
  clock.t = 5_000;
  strictEqual(lc.graceOver(), false, "never over while running");
  lc.stop();
  strictEqual(lc.graceRemainingMs(), 100);
  clock.t = 5_099;
  strictEqual(lc.graceRemainingMs(), 1);
  strictEqual(lc.graceOver(), false);
  clock.t = 5_100;
  strictEqual(lc.graceRemainingMs(), 0);
  strictEqual(lc.graceOver(), true);
  clock.t = 9_000;
  strictEqual(lc.graceRemainingMs(), 0);
  lc.close();
  strictEqual(lc.graceOver(), true);
});

Deno.test("a zero grace period is over as soon as the worker stops", () => {
  const { lc } = setup({ graceMs: 0 });
  lc.stop();
  strictEqual(lc.graceOver(), true);
});

Deno.test("hurry ends the grace period at once, whatever the clock says", () => {
  const { lc, clock } = setup({ graceMs: 3_600_000 });
  lc.stop();
  lc.hurry();
  strictEqual(lc.graceRemainingMs(), 0);
  clock.t -= 60_000; // a clock stepping back does not reopen it
  strictEqual(lc.graceOver(), true);
  lc.hurry();
  strictEqual(lc.phase, "stopping", "hurrying twice is hurrying");
});

Deno.test("close: processing messages are released and their late finish is ignored; settling ones still settle", () => {
  const { lc } = setup({ concurrency: 3 });
  const [slow, done, retry, unstarted] = msgs("slow", "done", "retry", "unstarted") as [Msg, Msg, Msg, Msg];
  lc.received([slow, done, retry]);
  lc.schedule();
  lc.finish(done, "delivered");
  lc.finish(retry, "retryable");
  lc.stop();
  lc.received([unstarted]);
  deepStrictEqual(lc.close(), [slow, unstarted], "unfinished and unstarted messages are made visible again");
  strictEqual(lc.phase, "closed");
  deepStrictEqual(states(lc, [slow, done, retry, unstarted]), ["released", "deleting", "backingOff", undefined]);
  deepStrictEqual(lc.held(), [], "no heartbeat once closed");
  deepStrictEqual(lc.health(), { ok: false, stopping: true, inFlight: 1, consecutiveReceiveErrors: 0 });
  strictEqual(lc.finish(slow, "delivered"), "late");
  strictEqual(lc.stateOf(slow), undefined);
  strictEqual(lc.settling(), 2);
  lc.settled(done);
  lc.settled(retry);
  strictEqual(lc.idle(), true);
});

Deno.test("a message SQS hands out twice (same id, new receive) is two entries", () => {
  const { lc } = setup();
  const [a, b] = msgs("m1", "m1") as [Msg, Msg];
  lc.received([a]);
  lc.schedule();
  lc.received([b]);
  lc.schedule();
  strictEqual(lc.finish(a, "delivered"), "delete");
  deepStrictEqual(states(lc, [a, b]), ["deleting", "processing"]);
  strictEqual(lc.inFlight(), 1);
});

Deno.test("every transition notifies a change; a schedule that starts nothing does not", () => {
  const { lc, counts } = setup({ concurrency: 1 });
  const [m, n] = msgs("m1", "m2") as [Msg, Msg];
  const steps: [string, () => unknown][] = [
    ["received", () => lc.received([m, n])],
    ["receiveFailed", () => lc.receiveFailed()],
    ["schedule", () => lc.schedule()],
    ["finish", () => lc.finish(m, "delivered")],
    ["settled", () => lc.settled(m)],
    ["stop", () => lc.stop()],
    ["releaseUnstarted", () => lc.releaseUnstarted()],
    ["hurry", () => lc.hurry()],
    ["close", () => lc.close()],
  ];
  for (const [name, step] of steps) {
    const before = counts.changes;
    step();
    strictEqual(counts.changes, before + 1, name);
  }
  const { lc: other, counts: otherCounts } = setup();
  other.schedule();
  strictEqual(otherCounts.changes, 0);
});

Deno.test("worker transitions are legal exactly in their phases; an illegal one throws and changes nothing", () => {
  const legal: Record<string, WorkerPhase[]> = {
    stop: ["running"],
    hurry: ["stopping"],
    close: ["stopping"],
    releaseUnstarted: ["stopping"],
    receiveFailed: ["running"],
    received: ["running", "stopping"],
  };
  const phases: WorkerPhase[] = ["running", "stopping", "closed"];
  for (const [transition, allowed] of Object.entries(legal)) {
    for (const phase of phases) {
      const lc = inPhase(phase);
      const run = () => {
        if (transition === "received") lc.received(msgs("x"));
        else (lc[transition as "stop" | "hurry" | "close" | "releaseUnstarted" | "receiveFailed"])();
      };
      if (allowed.includes(phase)) {
        run();
        continue;
      }
      throws(run, IllegalTransition, `${transition} while ${phase}`);
      strictEqual(lc.phase, phase);
      strictEqual(lc.idle(), true);
    }
  }
});

Deno.test("message transitions are legal exactly in their states; an illegal one throws and changes nothing", () => {
  const legal = {
    finish: ["processing", "released"],
    settled: ["deleting", "backingOff", "deferring"],
  } as const;
  const all = ["waiting", "processing", "deleting", "backingOff", "deferring", "released", "gone"] as const;
  for (const [transition, allowed] of Object.entries(legal)) {
    for (const state of all) {
      const { lc, m } = withMessage(state);
      const run = () => transition === "finish" ? lc.finish(m, "delivered") : lc.settled(m);
      if ((allowed as readonly string[]).includes(state)) {
        run();
        continue;
      }
      throws(run, IllegalTransition, `${transition} while ${state}`);
      strictEqual(lc.stateOf(m), state === "gone" ? undefined : state);
    }
  }
  const { lc } = setup();
  const [m] = msgs("m1") as [Msg];
  lc.received([m]);
  throws(() => lc.received([m]), IllegalTransition, "the same received message twice");
  deepStrictEqual(states(lc, [m]), ["waiting"]);
});

Deno.test("schedule starts the oldest waiting message whose tenants are under the cap; capped ones keep waiting", () => {
  const { lc } = setup({ concurrency: 4, receiveBuffer: 10, tenantMaxInFlight: 2 });
  const batch = tenantMsgs("a1", "a2", "a3", "b1", "a4", "c1", "b2");
  deepStrictEqual(lc.received(batch), [], "nobody is at a limit yet");
  deepStrictEqual(ids(lc.schedule()), ["a1", "a2", "b1", "c1"], "a3 and a4 skipped: a has 2 processing");
  deepStrictEqual(lc.tenantLoad("a"), { processing: 2, waiting: 2 });
  lc.finish(batch[3]!, "delivered"); // b1
  deepStrictEqual(ids(lc.schedule()), ["b2"], "the free slot goes to b, not to capped a");
  lc.finish(batch[0]!, "delivered"); // a1: its slot and a's share free
  deepStrictEqual(ids(lc.schedule()), ["a3"]);
  deepStrictEqual(lc.tenantLoad("a"), { processing: 2, waiting: 1 });
  deepStrictEqual(lc.tenantLoad("nobody"), { processing: 0, waiting: 0 });
});

Deno.test("a message of several tenants counts for each and starts only when all of them are under the cap", () => {
  const { lc } = setup({ concurrency: 4, receiveBuffer: 10, tenantMaxInFlight: 1 });
  const batch = tenantMsgs("a1", "ab1", "b1", "c1");
  lc.received(batch);
  deepStrictEqual(ids(lc.schedule()), ["a1", "b1", "c1"], "ab1 waits for a");
  lc.finish(batch[0]!, "delivered");
  deepStrictEqual(lc.schedule(), [], "b is still busy");
  lc.finish(batch[2]!, "delivered");
  deepStrictEqual(ids(lc.schedule()), ["ab1"]);
  deepStrictEqual([lc.tenantLoad("a"), lc.tenantLoad("b")], [{ processing: 1, waiting: 0 }, {
    processing: 1,
    waiting: 0,
  }]);
});

Deno.test("a tenant's messages beyond its share are parked off the buffer, and beyond the parking deferred", () => {
  const { lc } = setup({ concurrency: 4, receiveBuffer: 10, tenantMaxInFlight: 2 });
  const first = tenantMsgs(...Array.from({ length: 10 }, (_, i) => `a${i}`));
  deepStrictEqual(lc.received(first), [], "a's share is 2 processing + 2 waiting; the other 6 are parked");
  strictEqual(lc.schedule().length, 2);
  strictEqual(lc.receiveSize(), 10, "parked messages leave the buffer's room: 14 - 2 - 2");
  const second = tenantMsgs(...Array.from({ length: 10 }, (_, i) => `a1${i}`));
  const deferred = lc.received(second);
  deepStrictEqual(ids(deferred), ["a14", "a15", "a16", "a17", "a18", "a19"], "the parking holds 10");
  deepStrictEqual(states(lc, deferred), Array(6).fill("deferring"));
  deepStrictEqual(lc.tenantLoad("a"), { processing: 2, waiting: 12 });
  strictEqual(ids(lc.held()).length, 14, "deferred messages are not kept hidden");
  strictEqual(lc.settling(), 6);
  for (const m of deferred) lc.settled(m);
  strictEqual(lc.settling(), 0);
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
  lc.stop();
  const late = tenantMsgs("a1", "a2", "a3", "b1");
  deepStrictEqual(lc.received(late), []);
  deepStrictEqual(lc.releaseUnstarted(), late);
});

Deno.test("with messages parked, receives that find no other tenant are paced, doubling to the max; finding one resets it", () => {
  const { lc, clock } = setup({ concurrency: 2, receiveBuffer: 1, tenantMaxInFlight: 1 });
  lc.received(tenantMsgs("a1", "b1"));
  lc.schedule();
  strictEqual(lc.receiveDelayMs(), 0);
  deepStrictEqual(ids(lc.received(tenantMsgs("a20", "a21", "a22"))), ["a22"], "a20 in a's share, a21 parked");
  strictEqual(lc.receiveDelayMs(), 0, "a was not beyond its share before that receive: it counts as found");
  const paces: number[] = [];
  for (let i = 3; i < 11; i++) {
    strictEqual(lc.received(tenantMsgs(`a${i}0`, `a${i}1`, `a${i}2`)).length, 3);
    paces.push(lc.receiveDelayMs());
    strictEqual(lc.receiveSize(), 0, "paced");
    clock.t += lc.receiveDelayMs();
  }
  deepStrictEqual(paces, [RECEIVE_PACE_BASE_MS, 200, 400, 800, 1600, 3200, 6400, RECEIVE_PACE_MAX_MS]);
  strictEqual(lc.receiveDelayMs(), 0, "the pace is over");
  lc.received(tenantMsgs("a99", "c1"));
  strictEqual(lc.receiveDelayMs(), 0, "c is another tenant");
  lc.received([]);
  strictEqual(lc.receiveDelayMs(), 0);
});

Deno.test("a tenant whose messages keep ending retryable gets a smaller cap and waits longer before each start", () => {
  const { lc, clock } = setup({ concurrency: 4, receiveBuffer: 10, tenantMaxInFlight: 4 - 1 });
  const a = tenantMsgs("a1", "a2", "a3", "a4", "a5", "a6", "a7");
  lc.received(a);
  deepStrictEqual(ids(lc.schedule()), ["a1", "a2", "a3"]);
  lc.finish(a[0]!, "retryable");
  deepStrictEqual(lc.schedule(), [], "held back: 500 ms after its first retryable outcome");
  strictEqual(lc.nextStartInMs(), 500);
  strictEqual(lc.tenantBackoff(a[3]!), 1, "its retries and deferrals back off one receive longer");
  clock.t += 500;
  lc.finish(a[1]!, "retryable");
  lc.finish(a[2]!, "retryable");
  strictEqual(lc.nextStartInMs(), 2_000, "three in a row: 500 ms · 2²");
  clock.t += 2_000;
  deepStrictEqual(ids(lc.schedule()), ["a4"], "and one at a time (cap 3 halved per failure, at least 1)");
  lc.finish(a[3]!, "delivered");
  strictEqual(lc.nextStartInMs(), Number.POSITIVE_INFINITY);
  deepStrictEqual(ids(lc.schedule()), ["a5", "a6", "a7"], "a delivery restores its cap");
  strictEqual(lc.tenantBackoff(a[4]!), 0);
});
