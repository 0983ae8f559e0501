/**
 * `dlq redrive` with SQS's message movement task, which moto does not
 * implement: against a recording fake SQS client, asserting the exact
 * requests (the copy path runs against moto in tests/dlq_cli_test.ts).
 */
import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import type { SqsSend } from "../dlq/queue_admin.ts";
import { runDlq } from "./dlq_command.ts";

const SOURCE = "https://sqs.eu-west-1.amazonaws.com/123456789012/log-objects";
const DLQ = "https://sqs.eu-west-1.amazonaws.com/123456789012/log-objects-dlq";
const DLQ_ARN = "arn:aws:sqs:eu-west-1:123456789012:log-objects-dlq";
const OTHER = "https://sqs.eu-west-1.amazonaws.com/123456789012/replay-queue";
const OTHER_ARN = "arn:aws:sqs:eu-west-1:123456789012:replay-queue";

type Call = [command: string, input: Record<string, unknown>];

/** A fake SQS client answering from `answers` (by command name, in order) and recording every request. */
function fakeSqs(answers: Record<string, unknown[]>): SqsSend & { calls: Call[] } {
  const calls: Call[] = [];
  const send = (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const name = command.constructor.name.replace(/Command$/, "");
    calls.push([name, command.input]);
    const queue = answers[name];
    if (!queue?.length) return Promise.reject(new Error(`unexpected ${name}`));
    const answer = queue.shift();
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { calls, send: send as unknown as SqsSend["send"] };
}

function attributes(url: string) {
  return url === SOURCE
    ? {
      Attributes: {
        QueueArn: "arn:aws:sqs:eu-west-1:123456789012:log-objects",
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 }),
      },
    }
    : url === OTHER
    ? { Attributes: { QueueArn: OTHER_ARN } }
    : { Attributes: { QueueArn: DLQ_ARN, ApproximateNumberOfMessages: "1234" } };
}

async function run(args: string[], sqs: SqsSend) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDlq(args, {
    env: { AWS_REGION: "eu-west-1", SQS_QUEUE_URL: SOURCE },
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    sqs,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

Deno.test("redrive starts one StartMessageMoveTask from the DLQ found through the redrive policy, at the given rate", async () => {
  const sqs = fakeSqs({
    GetQueueAttributes: [attributes(SOURCE), attributes(DLQ)],
    GetQueueUrl: [{ QueueUrl: DLQ }],
    StartMessageMoveTask: [{ TaskHandle: "task-1" }],
  });
  const r = await run(["redrive", "--max-per-second", "50", "--json"], sqs);
  equal(r.code, 0, r.err);
  deepEqual(sqs.calls, [
    ["GetQueueAttributes", { QueueUrl: SOURCE, AttributeNames: ["All"] }],
    ["GetQueueUrl", { QueueName: "log-objects-dlq", QueueOwnerAWSAccountId: "123456789012" }],
    ["GetQueueAttributes", { QueueUrl: DLQ, AttributeNames: ["All"] }],
    // No DestinationArn without --to: SQS returns each message to the queue it came from.
    ["StartMessageMoveTask", { SourceArn: DLQ_ARN, MaxNumberOfMessagesPerSecond: 50 }],
  ]);
  deepEqual(JSON.parse(r.out), {
    dlq_url: DLQ,
    destination_url: SOURCE,
    method: "move-task",
    messages_visible: 1234,
    max_per_second: 50,
    task_handle: "task-1",
  });
});

Deno.test("--to names the destination's ARN; --wait follows the task until it completes", async () => {
  const sqs = fakeSqs({
    GetQueueAttributes: [attributes(DLQ), attributes(OTHER)],
    StartMessageMoveTask: [{ TaskHandle: "task-2" }],
    ListMessageMoveTasks: [
      {
        Results: [{
          Status: "RUNNING",
          TaskHandle: "task-2",
          ApproximateNumberOfMessagesMoved: 10,
          ApproximateNumberOfMessagesToMove: 1234,
        }],
      },
      {
        Results: [{
          Status: "COMPLETED",
          ApproximateNumberOfMessagesMoved: 1234,
          ApproximateNumberOfMessagesToMove: 1234,
          StartedTimestamp: 1_780_000_000_000,
        }],
      },
    ],
  });
  const r = await run(["redrive", "--dlq", DLQ, "--to", OTHER, "--wait", "--poll-seconds", "1"], sqs);
  equal(r.code, 0, r.err);
  deepEqual(sqs.calls.filter(([c]) => c !== "GetQueueAttributes"), [
    ["StartMessageMoveTask", { SourceArn: DLQ_ARN, DestinationArn: OTHER_ARN }],
    ["ListMessageMoveTasks", { SourceArn: DLQ_ARN, MaxResults: 10 }],
    ["ListMessageMoveTasks", { SourceArn: DLQ_ARN, MaxResults: 10 }],
  ]);
  equal(r.err.includes("dlq redrive: RUNNING 10/1234 moved"), true, r.err);
  equal(r.out, "move task task-2: COMPLETED 1234/1234 moved since 2026-05-28T20:26:40.000Z");
});

Deno.test("a failed task exits 1; a real error of StartMessageMoveTask is not taken for a missing API", async () => {
  const failed = fakeSqs({
    GetQueueAttributes: [attributes(DLQ)],
    StartMessageMoveTask: [{ TaskHandle: "task-3" }],
    ListMessageMoveTasks: [{
      Results: [{
        Status: "FAILED",
        ApproximateNumberOfMessagesMoved: 3,
        FailureReason: "AccessDenied on the destination",
      }],
    }],
  });
  const r = await run(["redrive", "--dlq", DLQ, "--wait"], failed);
  equal(r.code, 1);
  equal(r.out, "move task task-3: FAILED 3 moved: AccessDenied on the destination");

  const denied = Object.assign(new Error("not authorized to StartMessageMoveTask"), {
    name: "AccessDenied",
    $metadata: { httpStatusCode: 403 },
  });
  const sqs = fakeSqs({ GetQueueAttributes: [attributes(DLQ)], StartMessageMoveTask: [denied] });
  const d = await run(["redrive", "--dlq", DLQ, "--json"], sqs);
  equal(d.code, 1);
  deepEqual(JSON.parse(d.err), {
    error: "not authorized to StartMessageMoveTask",
    code: "AccessDenied",
    command: "dlq redrive",
  });
  equal(sqs.calls.some(([c]) => c === "ReceiveMessage"), false, "no fallback to receive → send → delete");
});

Deno.test("--cancel cancels the task; usage mistakes exit 2 naming the flag, before any call", async () => {
  const sqs = fakeSqs({ CancelMessageMoveTask: [{ ApproximateNumberOfMessagesMoved: 77 }] });
  const c = await run(["redrive", "--cancel", "task-4"], sqs);
  equal(c.code, 0);
  deepEqual(sqs.calls, [["CancelMessageMoveTask", { TaskHandle: "task-4" }]]);
  equal(c.out, "cancelled move task task-4 (77 messages moved before)");
  const cases: [string[], RegExp][] = [
    [["redrive", "--max-per-second", "501"], /--max-per-second: must be between 1 and 500, got 501/],
    [["redrive", "--method", "fast"], /--method: must be one of auto, move-task, copy, got "fast"/],
    [["redrive", "--method", "move-task", "--max-messages", "5"], /--max-messages needs --method copy/],
    [["peek", "--limit", "0"], /--limit: must be between 1 and 1000, got 0/],
    [["stats", "--dlq", "dlq"], /--dlq: "dlq" is not an SQS queue URL/],
    [["purge"], /unknown command "purge"/],
  ];
  for (const [args, message] of cases) {
    const none = fakeSqs({});
    const r = await run(args, none);
    equal(r.code, 2, args.join(" "));
    equal(message.test(r.err), true, `${args.join(" ")}: ${r.err}`);
    deepEqual(none.calls, [], `${args.join(" ")} made no call`);
  }
});
