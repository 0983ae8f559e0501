/**
 * The real notification chain in moto, wired through the API as it is in
 * AWS: central bucket → ObjectCreated notification → SNS topic → SQS queue
 * (with a DLQ through its redrive policy; the links are made by
 * scripts/local_aws/notification_chain.ts, which the demo uses too). Plus queue counters to assert
 * what is left, and SQS event records as Lambda hands them out.
 *
 * @module
 */
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { connectBucketToQueue } from "../../scripts/local_aws/notification_chain.ts";
import { CENTRAL_ACCOUNT, type LocalAws, REGION, uniq } from "./fixtures.ts";
import { motoClientConfig } from "../../scripts/local_aws/account_clients.ts";

/** The chain's queues and clients (direct to moto). */
export interface QueueChain {
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly topicArn: string;
  readonly sqs: SQSClient;
  close(): void;
}

/** Messages left in a queue. */
export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
}

/** Creates DLQ, queue, topic and subscription, and points the central bucket's notifications at the topic. */
export async function startQueueChain(
  aws: LocalAws,
  options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {},
): Promise<QueueChain> {
  const config = motoClientConfig(aws.moto, REGION);
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const name = uniq("log-objects");
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = `arn:aws:sqs:${REGION}:${CENTRAL_ACCOUNT}:${name}-dlq`;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: options.maxReceiveCount ?? 3 }),
      },
    }),
  );
  const topic = await sns.send(new CreateTopicCommand({ Name: name }));
  try {
    await connectBucketToQueue(aws.s3, sns, {
      bucket: aws.bucket,
      topicArn: topic.TopicArn!,
      queueArn: `arn:aws:sqs:${REGION}:${CENTRAL_ACCOUNT}:${name}`,
    });
  } finally {
    sns.destroy();
  }
  return {
    queueUrl: queue.QueueUrl!,
    dlqUrl: dlq.QueueUrl!,
    topicArn: topic.TopicArn!,
    sqs,
    close: () => sqs.destroy(),
  };
}

/** Visible and in-flight messages of `queueUrl`. */
export async function queueCounts(
  chain: Pick<QueueChain, "sqs" | "queueUrl">,
  queueUrl = chain.queueUrl,
): Promise<QueueCounts> {
  const out = await chain.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** Messages of `queueUrl` (visible ones; hides them briefly). */
export async function peekBodies(chain: QueueChain, queueUrl: string): Promise<string[]> {
  const out = await chain.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 1 }),
  );
  return (out.Messages ?? []).map((m) => m.Body ?? "");
}

/** Sends `bodies` to `queueUrl` (ten per call). */
export async function sendBodies(sqs: SQSClient, queueUrl: string, bodies: readonly string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
      }),
    );
  }
}

/** An SQS event as Lambda's event source mapping delivers it. */
export function sqsEvent(bodies: readonly string[], queueName = "log-objects") {
  return {
    Records: bodies.map((body) => ({
      messageId: crypto.randomUUID(),
      receiptHandle: crypto.randomUUID(),
      body,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: String(Date.now()),
        SenderId: CENTRAL_ACCOUNT,
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:${REGION}:${CENTRAL_ACCOUNT}:${queueName}`,
      awsRegion: REGION,
    })),
  };
}

/** Polls `check` until it returns a value (not undefined); fails after `limitMs` naming `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting for ${what}${last ? `: ${last}` : ""}`);
}
