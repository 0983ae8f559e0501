import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { METRICS } from "../telemetry/metrics.ts";
import { objectKey, snsBody } from "../../tests/support/fixtures.ts";
import { messageResult } from "../../tests/support/results.ts";
import { messageTenants } from "./message_tenants.ts";
import { deferred, FakeQueue, outcomeOf, until, worker } from "../../tests/support/fake_queue.ts";
import { retryVisibilitySeconds } from "./visibility_backoff.ts";

Deno.test("worker deletes delivered and skipped messages, backs off retryable ones, exposes permanent ones at once", async () => {
  const queue = new FakeQueue().add("delivered", "skipped", "retryable", "permanent", "permanent");
  (queue.pending[2] as { receiveCount: number }).receiveCount = 3;
  const { w, metrics } = worker(queue);
  const running = w.run();
  await until(() => metrics.value(METRICS.messages, { outcome: "permanent" }) === 2 && queue.visibility.length === 2);
  w.stop();
  await running;
  deepStrictEqual(queue.deleted(), ["m1", "m2"]);
  const byIds = [...queue.visibility].sort((a, b) => a.ids[0]!.localeCompare(b.ids[0]!));
  deepStrictEqual(byIds, [{
    ids: ["m3"],
    seconds: retryVisibilitySeconds(3, { baseSeconds: 1, maxSeconds: 60 }, { random: () => 1 }),
  }, { ids: ["m4", "m5"], seconds: 0 }], "both permanent failures share one call");
  strictEqual(byIds[0]!.seconds, 4);
  strictEqual(metrics.value(METRICS.messages, { outcome: "delivered" }), 1);
  strictEqual(metrics.value(METRICS.failures, { class: "permanent", code: "AccessDenied" }), 2);
});

for (const receiveBuffer of [10, 0]) {
  Deno.test(`worker never runs more than CONCURRENCY messages; RECEIVE_BUFFER ${receiveBuffer} sizes its receives`, async () => {
    const queue = new FakeQueue().add(...Array.from({ length: 25 }, () => "delivered"));
    let active = 0;
    let max = 0;
    let maxHeld = 0;
    let finished = 0;
    const { w } = worker(queue, {
      concurrency: 3,
      receiveBuffer,
      processBody: async (body) => {
        max = Math.max(max, ++active);
        maxHeld = Math.max(maxHeld, 25 - queue.pending.length - finished);
        await new Promise((r) => setTimeout(r, 1));
        active--;
        finished++;
        return messageResult(outcomeOf(body));
      },
    });
    const running = w.run();
    await until(() => queue.deleted().length === 25);
    w.stop();
    await running;
    strictEqual(max, 3);
    if (receiveBuffer === 10) {
      deepStrictEqual(new Set(queue.receives), new Set([10]), "always a full receive");
      ok(maxHeld <= 3 + 10, `${maxHeld} received and unfinished at once`);
    } else ok(queue.receives.every((n) => n >= 1 && n <= 3), `receive sizes ${queue.receives}`);
    ok(queue.deletes.every((batch) => batch.length <= 10));
  });
}

Deno.test("worker deletes in full batches across receives", async () => {
  const queue = new FakeQueue().add(...Array.from({ length: 30 }, () => "delivered"));
  const { w } = worker(queue, { concurrency: 2, receiveBuffer: 3 });
  const running = w.run();
  await until(() => queue.deleted().length === 30);
  w.stop();
  await running;
  ok(queue.receives.length >= 6, `receives of at most 5: ${queue.receives}`);
  deepStrictEqual(queue.deletes.map((batch) => batch.length), [10, 10, 10]);
});

Deno.test("worker heartbeat keeps buffered messages hidden, and stop releases them at once, mid-poll", async () => {
  const queue = new FakeQueue().add("delivered", "delivered", "delivered");
  const gate = deferred();
  const poll = deferred();
  const original = queue.receive.bind(queue);
  queue.receive = (options) =>
    queue.receives.length === 0 ? original(options) : (queue.receives.push(0), poll.promise.then(() => []));
  const { w } = worker(queue, {
    concurrency: 1,
    receiveBuffer: 20, // room for another full receive: the second poll is under way when stop comes
    heartbeatIntervalMs: 1,
    processBody: (body) => gate.promise.then(() => messageResult(outcomeOf(body))),
  });
  const running = w.run();
  await until(() =>
    queue.receives.length === 2 && queue.visibility.some((v) => v.seconds === 30 && v.ids.length === 3)
  );
  w.stop();
  await until(() => queue.visibility.some((v) => v.seconds === 0));
  deepStrictEqual(queue.visibility.filter((v) => v.seconds === 0), [{ ids: ["m2", "m3"], seconds: 0 }]);
  gate.resolve();
  poll.resolve();
  await running;
  deepStrictEqual(queue.deleted(), ["m1"]);
});

Deno.test("worker heartbeat keeps extending the visibility of a message in progress", async () => {
  const queue = new FakeQueue().add("delivered");
  const beats = () => queue.visibility.filter((v) => v.ids.includes("m1") && v.seconds === 30).length;
  const { w } = worker(queue, {
    heartbeatIntervalMs: 1,
    processBody: async (body) => {
      await until(() => beats() >= 3);
      return messageResult(outcomeOf(body));
    },
  });
  const running = w.run();
  await until(() => queue.deleted().length === 1);
  const beatsWhenDone = beats();
  await new Promise((r) => setTimeout(r, 10));
  w.stop();
  await running;
  ok(beatsWhenDone >= 3);
  strictEqual(beats(), beatsWhenDone, "no heartbeat for a deleted message");
});

Deno.test("worker stop: no new receives, in-flight work finishes within the grace period and is deleted", async () => {
  const queue = new FakeQueue().add("delivered", "delivered");
  const gate = deferred();
  let started = 0;
  const { w } = worker(queue, {
    processBody: async (body) => {
      started++;
      await gate.promise;
      return messageResult(outcomeOf(body));
    },
  });
  const running = w.run();
  await until(() => started === 2);
  w.stop();
  const receivesAtStop = queue.receives.length;
  strictEqual(w.health().ok, false);
  queue.add("delivered");
  gate.resolve();
  await running;
  deepStrictEqual(queue.deleted(), ["m1", "m2"]);
  ok(queue.receives.length <= receivesAtStop + 1, "at most the poll already waiting");
  strictEqual(queue.pending.length, 1, "the message sent after stop was never received");
});

Deno.test("worker stop: after the grace period unfinished messages are released, not deleted", async () => {
  const queue = new FakeQueue().add("delivered", "delivered");
  const gate = deferred();
  const { w } = worker(queue, {
    graceMs: 5,
    processBody: async (body) => {
      if (body === "delivered" && queue.receives.length > 0) await gate.promise;
      return messageResult(outcomeOf(body));
    },
  });
  const running = w.run();
  await until(() => w.health().inFlight === 2);
  w.stop();
  await running;
  deepStrictEqual(queue.visibility.at(-1), { ids: ["m1", "m2"], seconds: 0 });
  gate.resolve();
  await new Promise((r) => setTimeout(r, 30));
  deepStrictEqual(queue.deleted(), [], "late finishers leave the queue alone after shutdown");
});

Deno.test("worker stop called twice cuts the grace period short", async () => {
  const queue = new FakeQueue().add("delivered");
  const gate = deferred();
  const { w } = worker(queue, {
    graceMs: 3_600_000,
    processBody: () => gate.promise.then(() => messageResult("delivered")),
  });
  const running = w.run();
  await until(() => w.health().inFlight === 1);
  w.stop();
  w.stop(true);
  await running;
  deepStrictEqual(queue.visibility.at(-1), { ids: ["m1"], seconds: 0 });
  gate.resolve();
});

Deno.test("worker retries a failing ReceiveMessage with backoff and reports it in health", async () => {
  const queue = new FakeQueue().add("delivered");
  queue.failReceives = 3;
  const { w, metrics } = worker(queue);
  let sawUnhealthy = false;
  const running = w.run();
  await until(() => {
    sawUnhealthy ||= !w.health().ok;
    return queue.deleted().length === 1;
  });
  strictEqual(w.health().ok, true);
  w.stop();
  await running;
  ok(sawUnhealthy);
  strictEqual(metrics.value(METRICS.queueErrors, { operation: "ReceiveMessage" }), 3);
});

Deno.test("worker survives a processBody that throws and retries a failed delete", async () => {
  const queue = new FakeQueue().add("boom", "delivered");
  queue.failDeletes = 1;
  const { w, metrics } = worker(queue, {
    processBody: (body) =>
      body === "boom" ? Promise.reject(new Error("bug")) : Promise.resolve(messageResult("delivered")),
  });
  const running = w.run();
  await until(() => queue.deleted().length === 1 && queue.visibility.length === 1);
  w.stop();
  await running;
  deepStrictEqual(queue.deleted(), ["m2"]);
  deepStrictEqual(queue.visibility[0]!.ids, ["m1"]);
  strictEqual(metrics.value(METRICS.messages, { outcome: "retryable" }), 1);
  strictEqual(metrics.value(METRICS.queueErrors, { operation: "DeleteMessageBatch" }), 1);
});

Deno.test("worker stop during a long poll: the poll finishes and what it returns is released unprocessed", async () => {
  const queue = new FakeQueue();
  const poll = deferred();
  let polling = false;
  const original = queue.receive.bind(queue);
  queue.receive = async (options) => {
    polling = true;
    await poll.promise;
    queue.add("delivered");
    return original(options);
  };
  let processed = 0;
  const { w } = worker(queue, {
    processBody: () => {
      processed++;
      return Promise.resolve(messageResult("delivered"));
    },
  });
  const running = w.run();
  await until(() => polling);
  w.stop();
  poll.resolve();
  await running;
  strictEqual(processed, 0);
  deepStrictEqual(queue.visibility, [{ ids: ["m1"], seconds: 0 }]);
  deepStrictEqual(queue.deleted(), []);
});

Deno.test("worker heartbeat never extends a retryable message after its backoff visibility is set", async () => {
  const queue = new FakeQueue().add("retryable");
  const { w } = worker(queue, {
    heartbeatIntervalMs: 1,
    processBody: async (body) => {
      await until(() => queue.visibility.length >= 2); // a few heartbeats while processing
      return messageResult(outcomeOf(body));
    },
  });
  const running = w.run();
  await until(() => queue.visibility.some((v) => v.seconds === 1));
  await new Promise((r) => setTimeout(r, 20)); // many heartbeat ticks
  w.stop();
  await running;
  const retryAt = queue.visibility.findIndex((v) => v.seconds === 1);
  deepStrictEqual(queue.visibility.slice(retryAt + 1), [], "nothing after the retry visibility");
});

Deno.test("worker passes the receive count and cancels work still running when the grace period is over", async () => {
  const queue = new FakeQueue().add("delivered");
  queue.pending[0] = { ...queue.pending[0]!, receiveCount: 4 };
  const contexts: { receiveCount?: number; signal?: AbortSignal }[] = [];
  const { w } = worker(queue, {
    graceMs: 5,
    processBody: async (body, context = {}) => {
      contexts.push(context);
      await new Promise((r) => context.signal?.addEventListener("abort", r));
      return messageResult(outcomeOf(body));
    },
  });
  const running = w.run();
  await until(() => w.health().inFlight === 1);
  w.stop();
  await running;
  strictEqual(contexts[0]!.receiveCount, 4);
  strictEqual(contexts[0]!.signal?.aborted, true);
  deepStrictEqual(queue.visibility.at(-1), { ids: ["m1"], seconds: 0 });
});

Deno.test("worker: a tenant that keeps failing never holds more than its cap; the others all get through", async () => {
  const queue = new FakeQueue();
  const others = ["quiet-a", "quiet-b"];
  for (let i = 0; i < 80; i++) {
    queue.add(snsBody("central", objectKey("noisy", "api", `pod-${i}`)));
    if (i % 8 === 7) { for (const t of others) queue.add(snsBody("central", objectKey(t, "api", `pod-${i}`))); }
  }
  const otherIds = queue.pending.filter((m) => !m.body.includes("noisy/")).map((m) => m.messageId).sort();
  const inFlight = new Map<string, number>();
  let maxNoisy = 0;
  const { w, metrics } = worker(queue, {
    concurrency: 4,
    tenantMaxInFlight: 2,
    processBody: async (body) => {
      const [tenant = ""] = messageTenants(body);
      inFlight.set(tenant, (inFlight.get(tenant) ?? 0) + 1);
      maxNoisy = Math.max(maxNoisy, inFlight.get("noisy") ?? 0);
      await new Promise((r) => setTimeout(r, tenant === "noisy" ? 10 : 1));
      inFlight.set(tenant, inFlight.get(tenant)! - 1);
      return messageResult(tenant === "noisy" ? "retryable" : "delivered");
    },
  });
  const running = w.run();
  await until(() => otherIds.every((id) => queue.deleted().includes(id)));
  w.stop();
  await running;
  deepStrictEqual(queue.deleted(), otherIds, "every other tenant's message, and no noisy one");
  strictEqual(maxNoisy, 2, "the noisy tenant used its share, never more");
  ok(metrics.value(METRICS.messagesDeferred) > 0, "what the noisy tenant was over its share went back to the queue");
  // Deferrals (1 s: MIN_DEFER_SECONDS) and retries (1 s too here) share calls of at most ten.
  const later = queue.visibility.filter((v) => v.seconds > 0);
  ok(later.length > 0 && later.every((v) => v.ids.length <= 10));
  ok(later.length < metrics.value(METRICS.messagesDeferred), `deferrals and retries share calls: ${later.length}`);
});
