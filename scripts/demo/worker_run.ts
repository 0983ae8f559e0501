/**
 * The SQS worker of the demo: `log-processor --mode sqs --listen …` as a real
 * subprocess on the central queue, drained (queue attributes polled until
 * nothing is visible or in flight and every generated object has its result
 * line), then stopped with SIGTERM like Kubernetes stops a pod.
 *
 * @module
 */
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { motoClientConfig } from "../local_aws/account_clients.ts";
import { type ProcessorProcess, spawnProcessor } from "../local_aws/processor_process.ts";
import { objectResultLines } from "./tenant_totals.ts";

/** Worker settings of the demo (every variable is in README's Configuration table). */
export const DEMO_WORKER_ENV = {
  EXECUTION_MODE: "sqs",
  CONCURRENCY: "4",
  // A short long-poll so SIGTERM ends the demo quickly (production: 20).
  SQS_WAIT_TIME_SECONDS: "2",
  // A refused (permanent) message is received again after this visibility until the redrive policy moves it to
  // the DLQ (MaxReceiveCount 5): 1 s keeps that within seconds (production: 60, renewed by the heartbeat).
  SQS_VISIBILITY_TIMEOUT_SECONDS: "1",
  SHUTDOWN_GRACE_SECONDS: "10",
  LOG_LEVEL: "info",
};

/** Starts the worker with `env` (the processor's environment plus SQS_QUEUE_URL) serving on `port`. */
export function startWorker(env: Record<string, string>, port: number): ProcessorProcess {
  return spawnProcessor(["--mode", "sqs", "--listen", `127.0.0.1:${port}`], { ...env, ...DEMO_WORKER_ENV });
}

/** Messages visible and in flight in `queueUrl`. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/**
 * Resolves once the queue is empty and the worker logged a result for
 * `objects` objects, to the number of messages in `deadLetterQueueUrl`;
 * fails when the worker exits or `limitMs` passes.
 */
export async function waitUntilDrained(
  worker: ProcessorProcess,
  options: {
    /** moto's endpoint and the queues' region. */
    readonly endpoint: string;
    readonly region: string;
    readonly queues: { readonly queueUrl: string; readonly deadLetterQueueUrl: string };
    /** Objects the worker must have processed. */
    readonly objects: number;
    readonly limitMs?: number;
  },
): Promise<number> {
  const { endpoint, region, objects, limitMs = 120_000 } = options;
  const { queueUrl, deadLetterQueueUrl } = options.queues;
  const sqs = new SQSClient(motoClientConfig(endpoint, region));
  let exited = false;
  worker.exited.then(() => exited = true);
  const end = Date.now() + limitMs;
  try {
    while (Date.now() < end) {
      if (exited) throw new Error(`the worker exited early:\n${tail(worker.stderr())}`);
      const results = objectResultLines(worker.logs).length;
      if (results >= objects && await queueDepth(sqs, queueUrl) === 0) return await queueDepth(sqs, deadLetterQueueUrl);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(
      `the queue was not drained within ${limitMs / 1000} s (${objectResultLines(worker.logs).length}/${objects} ` +
        `objects done):\n${tail(worker.stderr())}`,
    );
  } finally {
    sqs.destroy();
  }
}

/** The worker's Prometheus metrics. */
export async function fetchMetrics(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return await res.text();
}

/** The last lines of `text`, for error messages. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
