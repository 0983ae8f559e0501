/** The SDK adapter's exact requests and how it reads the answers (a recording fake client). */
import { deepStrictEqual as deepEqual } from "node:assert/strict";
import { SdkQueueAdmin, type SqsSend } from "./queue_admin.ts";

function recording(answer: (name: string) => unknown) {
  const calls: [string, unknown][] = [];
  const sqs = {
    send: (command: { constructor: { name: string }; input: unknown }) => {
      const name = command.constructor.name.replace(/Command$/, "");
      calls.push([name, command.input]);
      return Promise.resolve(answer(name));
    },
  } as unknown as SqsSend;
  return { calls, admin: new SdkQueueAdmin(sqs) };
}

const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/dlq";

Deno.test("receive asks for the timestamps, receive count and message attributes, and reads them", async () => {
  const { calls, admin } = recording(() => ({
    Messages: [{
      MessageId: "m-1",
      ReceiptHandle: "h-1",
      Body: "{}",
      Attributes: {
        ApproximateReceiveCount: "4",
        SentTimestamp: "1780000000000",
        ApproximateFirstReceiveTimestamp: "1780000001000",
      },
      MessageAttributes: { trace: { DataType: "String", StringValue: "abc" } },
    }, { Body: "no id" }],
  }));
  const messages = await admin.receive(URL, { maxMessages: 25, visibilityTimeoutSeconds: 30, waitTimeSeconds: 1 });
  deepEqual(calls, [["ReceiveMessage", {
    QueueUrl: URL,
    MaxNumberOfMessages: 10,
    VisibilityTimeout: 30,
    WaitTimeSeconds: 1,
    MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp", "ApproximateFirstReceiveTimestamp"],
    MessageAttributeNames: ["All"],
  }]]);
  deepEqual(messages, [{
    messageId: "m-1",
    receiptHandle: "h-1",
    body: "{}",
    receiveCount: 4,
    sentAt: 1_780_000_000_000,
    firstReceivedAt: 1_780_000_001_000,
    attributes: { trace: { DataType: "String", StringValue: "abc" } },
  }]);
});

Deno.test("send copies body and attributes ten per call and maps refused entries back to message ids", async () => {
  const { calls, admin } = recording(() => ({
    Successful: [{ Id: "0" }],
    Failed: [{ Id: "1", Code: "KMS.AccessDenied", Message: "no" }],
  }));
  const m = (id: string, attributes = {}) => ({
    messageId: id,
    receiptHandle: `h-${id}`,
    body: `b-${id}`,
    receiveCount: 1,
    attributes,
  });
  const out = await admin.send(URL, [m("a", { k: { DataType: "String", StringValue: "v" } }), m("b")]);
  deepEqual(calls, [["SendMessageBatch", {
    QueueUrl: URL,
    Entries: [
      { Id: "0", MessageBody: "b-a", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } },
      { Id: "1", MessageBody: "b-b" },
    ],
  }]]);
  deepEqual(out, { sent: ["a"], failed: [{ messageId: "b", code: "KMS.AccessDenied", message: "no" }] });
});

Deno.test("move tasks: the listing is read field by field; the DLQ's URL comes from its ARN's name and owner", async () => {
  const { calls, admin } = recording((name) =>
    name === "GetQueueUrl" ? { QueueUrl: URL } : {
      Results: [{
        Status: "RUNNING",
        TaskHandle: "t",
        SourceArn: "arn:aws:sqs:eu-west-1:123456789012:dlq",
        MaxNumberOfMessagesPerSecond: 5,
        ApproximateNumberOfMessagesMoved: 2,
        ApproximateNumberOfMessagesToMove: 9,
        StartedTimestamp: 1,
      }],
    }
  );
  deepEqual(await admin.listMoveTasks("arn:aws:sqs:eu-west-1:123456789012:dlq"), [{
    status: "RUNNING",
    taskHandle: "t",
    sourceArn: "arn:aws:sqs:eu-west-1:123456789012:dlq",
    destinationArn: undefined,
    maxPerSecond: 5,
    moved: 2,
    toMove: 9,
    failureReason: undefined,
    startedAt: 1,
  }]);
  deepEqual(await admin.urlOf("arn:aws:sqs:eu-west-1:210987654321:dlq"), URL);
  deepEqual(calls[1], ["GetQueueUrl", { QueueName: "dlq", QueueOwnerAWSAccountId: "210987654321" }]);
});
