/**
 * The SQS worker when SQS hands a message out again to the same worker: the
 * copy is never delivered a second time, and the calls that settle the
 * message use the newest receipt handle (the one SQS honours).
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { METRICS } from "../telemetry/metrics.ts";
import { messageResult } from "../../tests/support/results.ts";
import { deferred, FakeQueue, outcomeOf, until, worker } from "../../tests/support/fake_queue.ts";

Deno.test("worker: a copy received while its message is processed is not processed; the delete and heartbeat use its handle", async () => {
  const queue = new FakeQueue().add("delivered");
  const first = queue.pending[0]!;
  const gate = deferred();
  const processed: string[] = [];
  const { w, metrics } = worker(queue, {
    heartbeatIntervalMs: 5,
    processBody: async (body, context) => {
      processed.push(`${body}@${context?.receiveCount}`);
      await gate.promise;
      return messageResult(outcomeOf(body));
    },
  });
  const running = w.run();
  await until(() => processed.length === 1);
  queue.again(first); // its visibility timeout ran out: SQS hands it out again
  await until(() => queue.pending.length === 0 && queue.visibilityHandles.includes("rh-m1+"));
  gate.resolve();
  await until(() => queue.deletes.length === 1);
  w.stop();
  await running;
  deepStrictEqual(processed, ["delivered@1"], "processed once");
  deepStrictEqual(queue.deletedHandles, ["rh-m1+"], "deleted once, by the newest receipt handle");
  strictEqual(metrics.value(METRICS.redeliveries, { action: "held" }), 1);
  strictEqual(metrics.value(METRICS.messages, { outcome: "delivered" }), 1);
});

Deno.test("worker: a copy received while the delete is under way is deleted too, by its own handle", async () => {
  const queue = new FakeQueue().add("delivered");
  const first = queue.pending[0]!;
  const deleteGate = deferred();
  const deleteBatch = queue.deleteBatch.bind(queue);
  let copySent = false;
  queue.deleteBatch = async (entries) => {
    if (!copySent) {
      copySent = true;
      queue.again(first); // handed out again while its delete is in flight
      await deleteGate.promise;
    }
    return deleteBatch(entries);
  };
  const { w, metrics } = worker(queue);
  const running = w.run();
  await until(() => copySent && queue.pending.length === 0);
  await until(() => metrics.value(METRICS.redeliveries, { action: "held" }) === 1);
  deleteGate.resolve();
  await until(() => queue.deletedHandles.length === 2);
  w.stop();
  await running;
  deepStrictEqual(queue.deletedHandles, ["rh-m1", "rh-m1+"]);
  strictEqual(metrics.value(METRICS.messages, { outcome: "delivered" }), 1, "processed once");
  strictEqual(metrics.value(METRICS.redeliveries, { action: "held" }), 1);
});

Deno.test("worker: a message whose delete failed for good is deleted, not delivered again, when SQS hands it out again", async () => {
  const queue = new FakeQueue().add("delivered");
  const first = queue.pending[0]!;
  queue.failDeletes = 4; // the first attempt and its 3 retries
  let processed = 0;
  const { w, metrics } = worker(queue, {
    processBody: (body) => {
      processed++;
      return Promise.resolve(messageResult(outcomeOf(body)));
    },
  });
  const running = w.run();
  await until(() => queue.failDeletes === 0);
  await until(() => metrics.value(METRICS.queueErrors, { operation: "DeleteMessageBatch" }) === 4);
  queue.again(first);
  await until(() => queue.deletes.length === 1);
  w.stop();
  await running;
  strictEqual(processed, 1);
  deepStrictEqual(queue.deletedHandles, ["rh-m1+"]);
  strictEqual(metrics.value(METRICS.redeliveries, { action: "deleted" }), 1);
});

Deno.test("worker: a copy of a message that was retried is processed again (only deletes are remembered)", async () => {
  const queue = new FakeQueue().add("retryable");
  const first = queue.pending[0]!;
  let processed = 0;
  const { w, metrics } = worker(queue, {
    processBody: (body) => {
      processed++;
      return Promise.resolve(messageResult(processed === 1 ? outcomeOf(body) : "delivered"));
    },
  });
  const running = w.run();
  await until(() => queue.visibility.length === 1);
  queue.again(first);
  await until(() => queue.deletes.length === 1);
  w.stop();
  await running;
  strictEqual(processed, 2);
  deepStrictEqual(queue.deletedHandles, ["rh-m1+"]);
  strictEqual(
    metrics.value(METRICS.redeliveries, { action: "held" }) +
      metrics.value(METRICS.redeliveries, { action: "deleted" }),
    0,
  );
});
