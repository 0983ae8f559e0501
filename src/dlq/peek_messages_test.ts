import { deepStrictEqual as deepEqual, rejects, strictEqual as equal } from "node:assert/strict";
import { FakeQueueAdmin } from "../../tests/support/fake_queue_admin.ts";
import { peekMessages } from "./peek_messages.ts";

const DLQ = "https://sqs.eu-west-1.amazonaws.com/123456789012/dlq";

Deno.test("peek reads distinct messages past one receive and leaves every one visible", async () => {
  const admin = new FakeQueueAdmin();
  const ids = admin.add(DLQ, ...Array.from({ length: 25 }, (_, i) => `body-${i}`));
  const peek = await peekMessages(admin, DLQ, { limit: 23 });
  deepEqual(peek.messages.map((m) => m.messageId), ids.slice(0, 23));
  deepEqual(peek.restoreFailures, []);
  equal(admin.visible(DLQ), 25, "nothing is left hidden");
  deepEqual(admin.calls.filter(([m]) => m === "receive").map(([, , n]) => n), [23, 13, 3]);
  equal(admin.calls.some(([m]) => m === "delete"), false);
});

Deno.test("peek of an empty queue makes one receive and nothing else", async () => {
  const admin = new FakeQueueAdmin();
  deepEqual((await peekMessages(admin, DLQ, { limit: 10 })).messages, []);
  deepEqual(admin.calls.map(([m]) => m), ["receive"]);
});

Deno.test("a receive that fails midway still makes what was read visible again, then throws", async () => {
  const admin = new FakeQueueAdmin();
  admin.add(DLQ, ...Array.from({ length: 15 }, (_, i) => `body-${i}`));
  // The first receive succeeds; the second one throws.
  const receive = admin.receive.bind(admin);
  let n = 0;
  admin.receive = (url, o) => (++n === 2 ? Promise.reject(new Error("Throttled")) : receive(url, o));
  await rejects(peekMessages(admin, DLQ, { limit: 15 }), /Throttled/);
  equal(admin.visible(DLQ), 15);
  deepEqual(admin.calls.at(-1)?.[0], "changeVisibility");
});
