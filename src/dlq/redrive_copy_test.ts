import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { FakeQueueAdmin } from "../../tests/support/fake_queue_admin.ts";
import { copyRedrive } from "./redrive_copy.ts";

const DLQ = "https://sqs.eu-west-1.amazonaws.com/123456789012/dlq";
const SOURCE = "https://sqs.eu-west-1.amazonaws.com/123456789012/log-objects";

function bodies(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `{"n":${i}}`);
}

/** The order of sends and deletes per message id: a delete must come after that message's send. */
function deleteAfterSend(admin: FakeQueueAdmin): boolean {
  const sent = new Set<string>();
  for (const [method, , ids] of admin.calls) {
    if (method === "send") { for (const id of ids as string[]) sent.add(id); }
    if (method === "delete" && (ids as string[]).some((id) => !sent.has(id))) return false;
  }
  return true;
}

Deno.test("every message moves: same bodies in the source, none left in the DLQ, deletes only after sends", async () => {
  const admin = new FakeQueueAdmin();
  admin.add(DLQ, ...bodies(23));
  const result = await copyRedrive(admin, { from: DLQ, to: SOURCE, limit: 23 });
  deepEqual(result, { moved: 23, send_failed: 0, delete_failed: 0, errors: [], stopped_early: false });
  deepEqual(admin.bodies(SOURCE), bodies(23));
  deepEqual(admin.bodies(DLQ), []);
  equal(deleteAfterSend(admin), true);
});

Deno.test("the limit is respected (messages that come back to the DLQ later are not moved twice in one run)", async () => {
  const admin = new FakeQueueAdmin();
  admin.add(DLQ, ...bodies(15));
  const result = await copyRedrive(admin, { from: DLQ, to: SOURCE, limit: 12 });
  equal(result.moved, 12);
  equal(admin.bodies(DLQ).length, 3);
  deepEqual(admin.calls.filter(([m]) => m === "receive").map(([, , n]) => n), [10, 2]);
});

Deno.test("a refused send keeps its message in the DLQ, visible again; the others move", async () => {
  const admin = new FakeQueueAdmin();
  const ids = admin.add(DLQ, ...bodies(5));
  admin.refuseSend.add(ids[1]!);
  const result = await copyRedrive(admin, { from: DLQ, to: SOURCE, limit: 5 });
  deepEqual([result.moved, result.send_failed, result.delete_failed], [4, 1, 0]);
  deepEqual(result.errors, [`send ${ids[1]}: KMS.AccessDenied no kms:GenerateDataKey`]);
  deepEqual(admin.bodies(DLQ), [bodies(5)[1]]);
  equal(admin.visible(DLQ), 1, "released at once, not after the hold");
  equal(deleteAfterSend(admin), true);
});

Deno.test("a send that throws deletes nothing, releases the batch and stops", async () => {
  const admin = new FakeQueueAdmin();
  admin.add(DLQ, ...bodies(3));
  admin.throwOnce.add("send");
  const result = await copyRedrive(admin, { from: DLQ, to: SOURCE, limit: 3 });
  deepEqual([result.moved, result.send_failed, result.stopped_early], [0, 3, true]);
  deepEqual(result.errors, ["stopped: send failed"]);
  equal(admin.calls.some(([m]) => m === "delete"), false);
  equal(admin.visible(DLQ), 3);
  deepEqual(admin.bodies(SOURCE), []);
});

Deno.test("a refused delete is counted: that message was sent and will also come back in the DLQ", async () => {
  const admin = new FakeQueueAdmin();
  const ids = admin.add(DLQ, ...bodies(2));
  admin.refuseDelete.add(ids[0]!);
  const result = await copyRedrive(admin, { from: DLQ, to: SOURCE, limit: 2 });
  deepEqual([result.moved, result.delete_failed], [1, 1]);
  deepEqual(admin.bodies(SOURCE), bodies(2));
  deepEqual(admin.bodies(DLQ), [bodies(2)[0]]);
});

Deno.test("when the destination refuses a whole batch the run stops instead of spinning on it", async () => {
  const admin = new FakeQueueAdmin();
  const ids = admin.add(DLQ, ...bodies(25));
  for (const id of ids) admin.refuseSend.add(id);
  const result = await copyRedrive(admin, { from: DLQ, to: SOURCE, limit: 25 });
  deepEqual([result.moved, result.send_failed, result.stopped_early], [0, 10, true]);
  equal(admin.calls.filter(([m]) => m === "receive").length, 1);
  equal(admin.visible(DLQ), 25);
});

Deno.test("--max-per-second paces the batches (at most that many per receive, then waits)", async () => {
  const admin = new FakeQueueAdmin();
  admin.add(DLQ, ...bodies(12));
  const waits: number[] = [];
  const result = await copyRedrive(admin, {
    from: DLQ,
    to: SOURCE,
    limit: 12,
    perSecond: 5,
    now: () => admin.now,
    sleep: (ms) => {
      waits.push(ms);
      admin.now += ms;
      return Promise.resolve();
    },
  });
  equal(result.moved, 12);
  deepEqual(admin.calls.filter(([m]) => m === "receive").map(([, , n]) => n), [5, 5, 2]);
  deepEqual(waits, [1000, 1000]);
});
