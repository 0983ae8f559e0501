import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { RecordingClient } from "../../tests/support/recording_client.ts";
import { SqsQueue, type SqsSender } from "./sqs_queue.ts";

const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/log-objects";
const entry = (i: number) => ({ messageId: `m${i}`, receiptHandle: `rh${i}` });

Deno.test("receive: asks for the receive count, clamps the batch to 1..10, keeps only complete messages", async () => {
  const client = new RecordingClient(() => ({
    Messages: [
      { MessageId: "m1", ReceiptHandle: "rh1", Body: "b1", Attributes: { ApproximateReceiveCount: "3" } },
      { MessageId: "m2", ReceiptHandle: "rh2" },
      { MessageId: "no-handle", Body: "x" },
    ],
  }));
  const queue = new SqsQueue(URL, { client: client.as<SqsSender>() });
  const got = await queue.receive({ maxMessages: 25, waitTimeSeconds: 20, visibilityTimeoutSeconds: 60 });
  await queue.receive({ maxMessages: 0, waitTimeSeconds: 0, visibilityTimeoutSeconds: 1 });
  deepEqual(client.sent, [
    {
      command: "ReceiveMessageCommand",
      input: {
        QueueUrl: URL,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 20,
        VisibilityTimeout: 60,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      },
    },
    {
      command: "ReceiveMessageCommand",
      input: {
        QueueUrl: URL,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 1,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      },
    },
  ]);
  deepEqual(got, [
    { messageId: "m1", receiptHandle: "rh1", body: "b1", receiveCount: 3 },
    { messageId: "m2", receiptHandle: "rh2", body: "", receiveCount: 1 },
  ]);
});

Deno.test("deleteBatch: ten entries a call, ids by position, refused entries mapped back to their message", async () => {
  const client = new RecordingClient((_, input) => {
    const entries = input.Entries as { Id: string }[];
    return entries.length === 3 ? { Failed: [{ Id: "1", Code: "ReceiptHandleIsInvalid", Message: "gone" }] } : {};
  });
  const queue = new SqsQueue(URL, { client: client.as<SqsSender>() });
  const failed = await queue.deleteBatch(Array.from({ length: 13 }, (_, i) => entry(i)));
  deepEqual(client.sent, [
    {
      command: "DeleteMessageBatchCommand",
      input: {
        QueueUrl: URL,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), ReceiptHandle: `rh${i}` })),
      },
    },
    {
      command: "DeleteMessageBatchCommand",
      input: {
        QueueUrl: URL,
        Entries: [10, 11, 12].map((n, i) => ({ Id: String(i), ReceiptHandle: `rh${n}` })),
      },
    },
  ]);
  deepEqual(failed, [{ messageId: "m11", code: "ReceiptHandleIsInvalid", message: "gone" }]);
  deepEqual(await queue.deleteBatch([]), []);
  equal(client.sent.length, 2, "nothing to delete sends nothing");
});

Deno.test("changeVisibilityBatch: every entry gets the timeout; a failure without details still names its entry", async () => {
  const client = new RecordingClient(() => ({ Failed: [{ Id: "0" }] }));
  const queue = new SqsQueue(URL, { client: client.as<SqsSender>() });
  const failed = await queue.changeVisibilityBatch([entry(1), entry(2)], 0);
  deepEqual(client.sent, [{
    command: "ChangeMessageVisibilityBatchCommand",
    input: {
      QueueUrl: URL,
      Entries: [
        { Id: "0", ReceiptHandle: "rh1", VisibilityTimeout: 0 },
        { Id: "1", ReceiptHandle: "rh2", VisibilityTimeout: 0 },
      ],
    },
  }]);
  deepEqual(failed, [{ messageId: "m1", code: "Unknown", message: "" }]);
  queue.destroy();
  equal(client.destroyed, true);
});
