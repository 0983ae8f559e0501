import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import type { Outcome } from "../results.ts";
import { ids, lifecycleSetup as setup, type Msg, msgs, states, tenantMsgs } from "../../tests/support/lifecycle.ts";
import type { MessageState } from "./message_states.ts";
import type { WorkerPhase } from "./phase_machine.ts";

/** What an illegal transition throws (a bug in the worker shell). */
const ILLEGAL = { name: "IllegalTransition" };
/** Receive errors in a row after which the worker is unhealthy (docs/run-modes.md). */
const UNHEALTHY_AFTER_RECEIVE_ERRORS = 3;

/** A lifecycle in `phase`. */
function inPhase(phase: WorkerPhase) {
  const { lc } = setup();
  if (phase !== "running") lc.worker.stop();
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
    lc.worker.stop();
    lc.close();
  }
  strictEqual(lc.messages.stateOf(m), state === "gone" ? undefined : state);
  return { lc, m };
}

Deno.test("a new lifecycle is running and healthy, asks for CONCURRENCY messages and has no grace deadline", () => {
  const { lc } = setup({ concurrency: 3 });
  strictEqual(lc.worker.phase, "running");
  strictEqual(lc.receiveSize(), 3);
  deepStrictEqual(lc.health(), { ok: true, stopping: false, inFlight: 0, consecutiveReceiveErrors: 0 });
  strictEqual(lc.worker.graceRemainingMs(), Number.POSITIVE_INFINITY);
  strictEqual(lc.worker.graceOver(), false);
  strictEqual(lc.messages.size, 0);
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
  strictEqual(lc.messages.inFlight(), 2);
  deepStrictEqual(lc.schedule(), [], "no free slot");
  strictEqual(lc.finish(batch[0]!, "delivered"), "delete");
  deepStrictEqual(ids(lc.schedule()), ["m3"], "a finished message frees its slot, its delete does not hold it");
  strictEqual(lc.receiveSize(), 0);
  lc.finish(batch[1]!, "skipped");
  strictEqual(lc.receiveSize(), 1);
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
  strictEqual(lc.messages.settling(), 4);
  strictEqual(lc.messages.inFlight(), 0);
  for (const m of batch) lc.settled(m);
  strictEqual(lc.messages.settling(), 0);
  strictEqual(lc.messages.size, 0);
});

Deno.test("receive failures count in a row, make the worker unhealthy at the threshold, and reset on a receive", () => {
  const { lc } = setup();
  for (let i = 1; i < UNHEALTHY_AFTER_RECEIVE_ERRORS; i++) strictEqual(lc.worker.receiveFailed(), i);
  strictEqual(lc.health().ok, true);
  strictEqual(lc.worker.receiveFailed(), UNHEALTHY_AFTER_RECEIVE_ERRORS);
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
  lc.worker.stop();
  strictEqual(lc.worker.phase, "stopping");
  strictEqual(lc.receiveSize(), 0);
  deepStrictEqual(lc.health(), { ok: false, stopping: true, inFlight: 1, consecutiveReceiveErrors: 0 });
  strictEqual(lc.finish(first, "delivered"), "delete", "work finishing within the grace period settles as usual");
  deepStrictEqual(lc.schedule(), [], "the freed slot starts nothing");
  deepStrictEqual(lc.releaseUnstarted(), [second]);
  strictEqual(lc.messages.stateOf(second), undefined);
  deepStrictEqual(ids(lc.held()), ["m1"]);
  lc.settled(first);
  strictEqual(lc.messages.size, 0);
});

Deno.test("stop during a receive: what the receive returns is never started and is released", () => {
  const { lc } = setup();
  lc.worker.receiveFailed();
  lc.worker.stop(); // while ReceiveMessage is in flight
  const late = msgs("m1", "m2");
  lc.received(late);
  strictEqual(lc.health().consecutiveReceiveErrors, 0, "the receive itself succeeded");
  deepStrictEqual(lc.schedule(), []);
  deepStrictEqual(lc.releaseUnstarted(), late);
  strictEqual(lc.messages.size, 0);
});

Deno.test("the grace period runs on the injected clock from the moment of stop", () => {
  const { lc, clock } = setup({ graceMs: 100 });
  clock.t = 5_000;
  strictEqual(lc.worker.graceOver(), false, "never over while running");
  lc.worker.stop();
  strictEqual(lc.worker.graceRemainingMs(), 100);
  clock.t = 5_099;
  strictEqual(lc.worker.graceRemainingMs(), 1);
  strictEqual(lc.worker.graceOver(), false);
  clock.t = 5_100;
  strictEqual(lc.worker.graceRemainingMs(), 0);
  strictEqual(lc.worker.graceOver(), true);
  clock.t = 9_000;
  strictEqual(lc.worker.graceRemainingMs(), 0);
  lc.close();
  strictEqual(lc.worker.graceOver(), true);
});

Deno.test("a zero grace period is over as soon as the worker stops", () => {
  const { lc } = setup({ graceMs: 0 });
  lc.worker.stop();
  strictEqual(lc.worker.graceOver(), true);
});

Deno.test("hurry ends the grace period at once, whatever the clock says", () => {
  const { lc, clock } = setup({ graceMs: 3_600_000 });
  lc.worker.stop();
  lc.worker.hurry();
  strictEqual(lc.worker.graceRemainingMs(), 0);
  clock.t -= 60_000; // a clock stepping back does not reopen it
  strictEqual(lc.worker.graceOver(), true);
  lc.worker.hurry();
  strictEqual(lc.worker.phase, "stopping", "hurrying twice is hurrying");
});

Deno.test("close: processing messages are released and their late finish is ignored; settling ones still settle", () => {
  const { lc } = setup({ concurrency: 3 });
  const [slow, done, retry, unstarted] = msgs("slow", "done", "retry", "unstarted") as [Msg, Msg, Msg, Msg];
  lc.received([slow, done, retry]);
  lc.schedule();
  lc.finish(done, "delivered");
  lc.finish(retry, "retryable");
  lc.worker.stop();
  lc.received([unstarted]);
  deepStrictEqual(lc.close(), [slow, unstarted], "unfinished and unstarted messages are made visible again");
  strictEqual(lc.worker.phase, "closed");
  deepStrictEqual(states(lc, [slow, done, retry, unstarted]), ["released", "deleting", "backingOff", undefined]);
  deepStrictEqual(lc.held(), [], "no heartbeat once closed");
  deepStrictEqual(lc.health(), { ok: false, stopping: true, inFlight: 1, consecutiveReceiveErrors: 0 });
  strictEqual(lc.finish(slow, "delivered"), "late");
  strictEqual(lc.messages.stateOf(slow), undefined);
  strictEqual(lc.messages.settling(), 2);
  lc.settled(done);
  lc.settled(retry);
  strictEqual(lc.messages.size, 0);
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
  strictEqual(lc.messages.inFlight(), 1);
});

Deno.test("every transition notifies a change; a schedule that starts nothing does not", () => {
  const { lc, counts } = setup({ concurrency: 1 });
  const [m, n] = msgs("m1", "m2") as [Msg, Msg];
  const steps: [string, () => unknown][] = [
    ["received", () => lc.received([m, n])],
    ["receiveFailed", () => lc.worker.receiveFailed()],
    ["schedule", () => lc.schedule()],
    ["finish", () => lc.finish(m, "delivered")],
    ["settled", () => lc.settled(m)],
    ["stop", () => lc.worker.stop()],
    ["releaseUnstarted", () => lc.releaseUnstarted()],
    ["hurry", () => lc.worker.hurry()],
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
        else if (transition === "close" || transition === "releaseUnstarted") lc[transition]();
        else lc.worker[transition as "stop" | "hurry" | "receiveFailed"]();
      };
      if (allowed.includes(phase)) {
        run();
        continue;
      }
      throws(run, ILLEGAL, `${transition} while ${phase}`);
      strictEqual(lc.worker.phase, phase);
      strictEqual(lc.messages.size, 0);
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
      throws(run, ILLEGAL, `${transition} while ${state}`);
      strictEqual(lc.messages.stateOf(m), state === "gone" ? undefined : state);
    }
  }
  const { lc } = setup();
  const [m] = msgs("m1") as [Msg];
  lc.received([m]);
  throws(() => lc.received([m]), ILLEGAL, "the same received message twice");
  deepStrictEqual(states(lc, [m]), ["waiting"]);
});
