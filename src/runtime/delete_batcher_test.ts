import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { awsError } from "../../tests/support/fakes.ts";
import { RecordingClient } from "../../tests/support/recording_client.ts";
import { createLogger } from "../telemetry/logger.ts";
import { METRICS, Metrics } from "../telemetry/metrics.ts";
import { DeleteBatcher } from "./delete_batcher.ts";
import { SqsQueue, type SqsSender } from "./sqs_queue.ts";

const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/log-objects";
const RETRY = { retries: 2, baseDelayMs: 1, maxDelayMs: 1 };
const entry = (i: number) => ({ messageId: `m${i}`, receiptHandle: `rh${i}` });
const deleteCommand = (...ns: number[]) => ({
  command: "DeleteMessageBatchCommand",
  input: { QueueUrl: URL, Entries: ns.map((n, i) => ({ Id: String(i), ReceiptHandle: `rh${n}` })) },
});

function setup(answer?: ConstructorParameters<typeof RecordingClient>[0], lingerMs = 20) {
  const client = new RecordingClient(answer);
  const metrics = new Metrics();
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("debug", (l) => lines.push(JSON.parse(l)));
  const queue = new SqsQueue(URL, { client: client.as<SqsSender>() });
  return { client, metrics, lines, batcher: new DeleteBatcher(queue, { retry: RETRY, metrics, logger, lingerMs }) };
}

Deno.test("ten waiting deletes go out at once in one call; the rest after the linger", async () => {
  const { client, metrics, batcher } = setup();
  const done: number[] = [];
  const all = Array.from({ length: 12 }, (_, i) => batcher.delete(entry(i)).then(() => done.push(i)));
  await Promise.resolve();
  deepEqual(client.sent, [deleteCommand(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)], "the tenth delete sends the first call");
  await Promise.all(all);
  deepEqual(client.sent, [deleteCommand(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), deleteCommand(10, 11)]);
  deepEqual(done.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  equal(metrics.value(METRICS.apiCalls, { operation: "DeleteMessageBatch" }), 2);
});

Deno.test("flush sends what waits without the linger", async () => {
  const { client, batcher } = setup(undefined, 60_000);
  const waiting = batcher.delete(entry(7));
  equal(client.sent.length, 0);
  await batcher.flush();
  await waiting;
  deepEqual(client.sent, [deleteCommand(7)]);
});

Deno.test("a throttled call is sent again as it was; an entry SQS refuses is logged and counted", async () => {
  let calls = 0;
  const { client, metrics, lines, batcher } = setup(() => {
    if (calls++ === 0) throw awsError("ThrottlingException", 400);
    return { Failed: [{ Id: "1", Code: "ReceiptHandleIsInvalid", Message: "expired" }] };
  });
  await Promise.all([batcher.delete(entry(1)), batcher.delete(entry(2))]);
  deepEqual(client.sent, [deleteCommand(1, 2), deleteCommand(1, 2)]);
  equal(metrics.value(METRICS.queueErrors, { operation: "DeleteMessageBatch" }), 1);
  equal(metrics.value(METRICS.queueErrors, { operation: "DeleteMessage" }), 1);
  const refused = lines.find((l) =>
    l.msg === "SQS did not delete a delivered message; deleted when it comes back, or delivered again"
  );
  deepEqual([refused?.messageId, refused?.code], ["m2", "ReceiptHandleIsInvalid"]);
});

Deno.test("a call that keeps failing resolves its deletes (the messages come back) and is logged once", async () => {
  const { client, lines, batcher } = setup(() => {
    throw awsError("InternalError", 500);
  });
  await batcher.delete(entry(3));
  equal(client.sent.length, 1 + RETRY.retries);
  const failed = lines.filter((l) =>
    l.msg === "cannot delete delivered messages; deleted when they come back, or delivered again"
  );
  deepEqual(failed.map((l) => l.messageIds), [["m3"]]);
});
