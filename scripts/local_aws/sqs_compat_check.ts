/**
 * Checks that an SQS emulator answers the calls the SQS worker makes the way
 * SQS does, through the worker's own queue edge (`src/runtime/sqs_queue.ts`):
 * ReceiveMessage of up to 10 with ApproximateReceiveCount and long polling,
 * ChangeMessageVisibilityBatch with per-entry timeouts (the retry backoff and
 * deferrals), DeleteMessageBatch, SendMessage(Batch), GetQueueAttributes and a
 * redrive policy moving a message to the DLQ after maxReceiveCount receives.
 * The worker bench runs it before it measures on ElasticMQ.
 *
 * `deno run -A scripts/local_aws/sqs_compat_check.ts [--moto]` checks a fresh ElasticMQ (or moto).
 *
 * @module
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { SqsQueue } from "../../src/runtime/sqs_queue.ts";
import { motoClientConfig } from "./account_clients.ts";
import { spawnElasticMq, stopElasticMq } from "./elasticmq_server.ts";
import { spawnMoto, stopMoto } from "./moto_server.ts";

const REGION = "us-east-1";
/** The account of the queues (moto's default; ElasticMQ is told to use it). */
const ACCOUNT = "123456789012";

function expect(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(
      `SQS at odds with the worker: ${what}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`,
    );
  }
}

/** Runs the check against the SQS at `endpoint` (its queues in `accountId`); throws naming the first difference. */
export async function checkSqsCompat(endpoint: string, accountId: string): Promise<void> {
  const sqs = new SQSClient(motoClientConfig(endpoint, REGION));
  const name = `compat-${crypto.randomUUID().slice(0, 8)}`;
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const queueUrl = (await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: "30",
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: `arn:aws:sqs:${REGION}:${accountId}:${name}-dlq`,
          maxReceiveCount: 2,
        }),
      },
    }),
  )).QueueUrl!;
  const queue = new SqsQueue(queueUrl, { client: sqs });
  const receive = (waitTimeSeconds = 0) =>
    queue.receive({ maxMessages: 10, waitTimeSeconds, visibilityTimeoutSeconds: 30 });
  const counts = async (url: string) => {
    const out = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return [
      Number(out.Attributes?.ApproximateNumberOfMessages),
      Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible),
    ];
  };
  try {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `m${i}` })),
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "m10" }));
    expect("visible and in flight after 11 sends", await counts(queueUrl), [11, 0]);
    const first: Awaited<ReturnType<typeof receive>> = [];
    while (first.length < 11) {
      const got = await receive();
      if (got.length === 0) break;
      if (got.length > 10) throw new Error(`ReceiveMessage returned ${got.length} messages (10 at most)`);
      first.push(...got);
    }
    expect(
      "bodies received once each",
      first.map((m) => m.body).sort(),
      [...Array(11).keys()].map((i) => `m${i}`).sort(),
    );
    expect("ApproximateReceiveCount on the first receive", [...new Set(first.map((m) => m.receiveCount))], [1]);
    expect("in flight after receiving all", await counts(queueUrl), [0, 11]);
    // Long polling on an empty queue waits about WaitTimeSeconds and returns nothing.
    let t = performance.now();
    expect("an empty long poll", (await receive(1)).length, 0);
    const waited = performance.now() - t;
    if (waited < 800) throw new Error(`a 1 s long poll on an empty queue returned after ${waited.toFixed(0)} ms`);
    // Per-entry visibility: 0 brings m0 and m1 back at once, the rest stay away.
    const [a, b, ...rest] = first;
    const failed = await queue.changeVisibilityBatch(
      [{ ...a!, visibilityTimeoutSeconds: 0 }, { ...b!, visibilityTimeoutSeconds: 0 }, ...rest],
      30,
    );
    expect("ChangeMessageVisibilityBatch failures", failed, []);
    t = performance.now();
    const again = await receive(1);
    expect("messages back after visibility 0", again.map((m) => m.body).sort(), [a!.body, b!.body].sort());
    expect("ApproximateReceiveCount on the second receive", again.map((m) => m.receiveCount), [2, 2]);
    // The single-message call too; past maxReceiveCount (2) the redrive policy moves the message to the DLQ.
    for (const m of again) {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: m.receiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    }
    expect("receive after maxReceiveCount", (await receive(1)).length, 0);
    expect("DLQ after the redrive", await counts(dlqUrl), [2, 0]);
    expect("DeleteMessageBatch failures", await queue.deleteBatch(rest), []);
    expect("queue after deleting the rest", await counts(queueUrl), [0, 0]);
    // A message sent while a long poll waits is returned by it, before the wait is over.
    t = performance.now();
    const polled = receive(5);
    await new Promise((r) => setTimeout(r, 300));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "late" }));
    expect("a long poll returns a message sent meanwhile", (await polled).map((m) => m.body), ["late"]);
    if (performance.now() - t > 4_000) throw new Error("a long poll held a message until its wait was over");
  } finally {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => {});
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dlqUrl })).catch(() => {});
    sqs.destroy();
  }
}

/** A fresh server to check: ElasticMQ, or moto with `moto`. */
async function startServer(moto: boolean): Promise<{ name: string; url: string; stop(): Promise<void> }> {
  if (moto) {
    const server = await spawnMoto();
    return { name: "moto", url: server.url, stop: () => stopMoto(server) };
  }
  const server = await spawnElasticMq({ region: REGION, accountId: ACCOUNT });
  return { name: server.version, url: server.url, stop: () => stopElasticMq(server) };
}

if (import.meta.main) {
  const server = await startServer(Deno.args.includes("--moto"));
  try {
    await checkSqsCompat(server.url, ACCOUNT);
    console.log(`${server.name} at ${server.url}: the worker's SQS calls work`);
  } finally {
    await server.stop();
  }
}
