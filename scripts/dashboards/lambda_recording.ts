/**
 * Phase two of the render: the processor's Lambda handler (the code
 * `--mode lambda` runs, in-process) driven by a small stand-in for the SQS
 * event source mapping (two pollers, batches of 10, partial batch
 * responses), fed by {@link runTraffic}. What AWS would turn into CloudWatch
 * metrics goes into moto with PutMetricData ({@link MetricStore}): the EMF
 * lines the handler writes, AWS/Lambda metrics of the invocations, and
 * AWS/SQS metrics sampled from the queues every 5 s (the age of the oldest
 * message by {@link OldestMessageTracker}). moto publishes none of these itself.
 *
 * @module
 */
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { loadConfig } from "../../src/config.ts";
import { parseNotification } from "../../src/notification/parse_notification.ts";
import { createPipeline } from "../../src/pipeline/create_pipeline.ts";
import { lambdaHandler } from "../../src/runtime/lambda_handler.ts";
import { lambdaTelemetry } from "../../src/runtime/run_lambda.ts";
import { silentLogger } from "../../src/telemetry/logger.ts";
import { type LocalAws, processorEnv } from "../../tests/support/fixtures.ts";
import { type QueueChain, queueCounts, startQueueChain } from "../../tests/support/queue_chain.ts";
import { emfToMetricData } from "./emf_metric_data.ts";
import type { MetricStore } from "./metric_store.ts";
import { OldestMessageTracker } from "./oldest_message.ts";
import { drainThenIdle, runTraffic, type World } from "./traffic.ts";

/** The function's names in the pictures. */
export const FUNCTION_NAME = "mtl-demo-log-processor";
const MAX_RECEIVE_COUNT = 3;
const VISIBILITY_SECONDS = 10;

/** The queues of the run. */
export interface LambdaRun {
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly objects: number;
}

const queueNameOf = (url: string) => url.split("/").at(-1)!;

/** Runs `seconds` of traffic through the handler; every metric lands in `store`. */
export async function recordLambda(
  aws: LocalAws,
  world: World,
  options: { readonly seconds: number; readonly store: MetricStore; readonly log: (line: string) => void },
): Promise<LambdaRun> {
  const { store } = options;
  const chain = await startQueueChain(aws, {
    maxReceiveCount: MAX_RECEIVE_COUNT,
    visibilityTimeoutSeconds: VISIBILITY_SECONDS,
  });
  const queueName = queueNameOf(chain.queueUrl);
  const deadLetterQueueName = queueNameOf(chain.dlqUrl);
  const env = processorEnv(aws, {
    AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9", // not called: the stand-in invokes the handler directly
    POWERTOOLS_SERVICE_NAME: FUNCTION_NAME,
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
    RETRY_ATTEMPTS: "1",
    CONCURRENCY: "4",
  });
  // The in-process SDK clients read credentials from this process' environment, as Lambda's would.
  for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
    if (env[name]) Deno.env.set(name, env[name]);
  }
  const config = loadConfig(env, "lambda");
  const pipeline = createPipeline(config, silentLogger);
  // A message not received again within its visibility timeout and two polls has left the queue.
  const oldest = new OldestMessageTracker((VISIBILITY_SECONDS + 10) * 1000);
  const tally = { sent: 0, received: 0, deleted: 0 };
  let active = 0;
  let stop = false;

  const keysOf = (m: Message) =>
    parseNotification(m.Body ?? "").flatMap((item) => item.kind === "object" ? [item.ref.key] : []);
  const poller = async () => {
    // Each poller is one execution environment: its own handler, so its own cold start.
    const handler = lambdaHandler({
      processBody: pipeline.processBody,
      concurrency: config.concurrency,
      deadlineMarginMs: config.lambdaDeadlineMarginMs,
      logger: silentLogger,
      emit: (lines) => store.add(lines.flatMap((l) => emfToMetricData(JSON.parse(l)))),
      telemetry: lambdaTelemetry(config),
    });
    while (!stop) {
      const got = await chain.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: chain.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
        }),
      );
      const messages = got.Messages ?? [];
      if (messages.length === 0) continue;
      tally.received += messages.length;
      for (const m of messages) {
        const sentMs = Number(m.Attributes?.SentTimestamp) || Date.now();
        oldest.received(m.MessageId!, { keys: keysOf(m), sentMs, atMs: Date.now() });
      }
      await invoke(handler, messages).catch((err) => options.log(`an invocation failed: ${err}`));
    }
  };
  const invoke = async (handler: ReturnType<typeof lambdaHandler>, messages: Message[]) => {
    const started = Date.now();
    active++;
    const concurrent = active;
    let failed: Set<string>;
    let error = 0;
    try {
      const response = await handler({
        requestId: crypto.randomUUID(),
        deadlineMs: started + 60_000,
        functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}`,
        event: { Records: messages.map(sqsRecord) },
      }) as { batchItemFailures: { itemIdentifier: string }[] };
      failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(messages.map((m) => m.MessageId!));
      error = 1;
    } finally {
      active--;
    }
    const fn = [{ Name: "FunctionName", Value: FUNCTION_NAME }];
    const lambda = (name: string, value: number, unit: string) => ({
      namespace: "AWS/Lambda",
      name,
      dimensions: fn,
      timestampMs: started,
      unit,
      value,
    });
    store.add([
      lambda("Invocations", 1, "Count"),
      lambda("Errors", error, "Count"),
      lambda("Throttles", 0, "Count"),
      lambda("Duration", Date.now() - started, "Milliseconds"),
      lambda("ConcurrentExecutions", concurrent, "Count"),
    ]);
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length > 0) {
      await chain.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: chain.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
      tally.deleted += done.length;
    }
    for (const m of done) oldest.gone(m.MessageId!);
    // A message failing its last receive moves to the dead-letter queue: it has left the queue.
    for (const m of messages.filter((m) => failed.has(m.MessageId!))) {
      if (Number(m.Attributes?.ApproximateReceiveCount) >= MAX_RECEIVE_COUNT) oldest.gone(m.MessageId!);
    }
  };
  const sample = () =>
    sampleQueues(chain, { queueName, deadLetterQueueName, oldest, tally, store })
      .catch((err) => options.log(`sampling the queues failed: ${err}`));
  const sampler = setInterval(sample, 5000);
  const pollers = [poller(), poller()];
  try {
    const objects = await runTraffic(aws, world, {
      seconds: options.seconds,
      onPut: (key, at) => (oldest.put(key, at), tally.sent++),
      tick: (t) => t % 30 === 29 ? options.log(`lambda: ${t + 1} s of traffic`) : undefined,
    });
    await drainThenIdle(chain);
    options.log(`lambda: ${objects} objects`);
    return { queueName, deadLetterQueueName, objects };
  } finally {
    stop = true;
    await Promise.allSettled(pollers);
    clearInterval(sampler);
    await sample();
    await store.flush();
    pipeline.close();
    chain.close();
  }
}

/** An SQS event record of `m`, as the event source mapping sends it. */
function sqsRecord(m: Message) {
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body,
    attributes: m.Attributes ?? {},
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:log-objects",
  };
}

/** AWS/SQS metrics of the two queues now, and the traffic counted since the last sample. */
async function sampleQueues(
  chain: QueueChain,
  s: {
    readonly queueName: string;
    readonly deadLetterQueueName: string;
    readonly oldest: OldestMessageTracker;
    readonly tally: { sent: number; received: number; deleted: number };
    readonly store: MetricStore;
  },
): Promise<void> {
  const now = Date.now();
  const [queue, dlq] = await Promise.all([queueCounts(chain), queueCounts(chain, chain.dlqUrl)]);
  const sqs = (queueName: string, name: string, value: number) => ({
    namespace: "AWS/SQS",
    name,
    dimensions: [{ Name: "QueueName", Value: queueName }],
    timestampMs: now,
    unit: name.startsWith("ApproximateAge") ? "Seconds" : "Count",
    value,
  });
  s.store.add([
    sqs(s.queueName, "ApproximateNumberOfMessagesVisible", queue.visible),
    sqs(s.queueName, "ApproximateNumberOfMessagesNotVisible", queue.inFlight),
    sqs(s.queueName, "ApproximateAgeOfOldestMessage", s.oldest.ageSeconds(now, queue)),
    sqs(s.queueName, "NumberOfMessagesSent", s.tally.sent),
    sqs(s.queueName, "NumberOfMessagesReceived", s.tally.received),
    sqs(s.queueName, "NumberOfMessagesDeleted", s.tally.deleted),
    sqs(s.deadLetterQueueName, "ApproximateNumberOfMessagesVisible", dlq.visible),
  ]);
  s.tally.sent = s.tally.received = s.tally.deleted = 0;
  await s.store.flush();
}
