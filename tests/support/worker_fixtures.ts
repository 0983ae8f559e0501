/**
 * Helpers shared by the worker and Lambda end-to-end tests: fast timings, a
 * worker subprocess on a chain's queue, a customer with a queue of its own
 * (benches), objects of numbered lines, and what arrived in a customer's log
 * group.
 *
 * @module
 */
import {
  cloudWatchItem,
  createCustomerBucket,
  createDeliveryStateTable,
  encodeObject,
  type LocalAws,
  newCustomer,
  objectKey,
  processorEnv,
  putObject,
  putTenantItem,
  readLogGroup,
  REGION,
  registerCluster,
  s3Item,
  startLocalAws,
  uniq,
  vectorRecord,
} from "./fixtures.ts";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { motoClientConfig } from "../../scripts/local_aws/account_clients.ts";
import { type ProcessorProcess, spawnProcessor } from "../../scripts/local_aws/processor_process.ts";
import { type QueueChain, queueCounts } from "./queue_chain.ts";

/** Test-speed timings (every variable is documented in README). */
export const FAST_WORKER_ENV = {
  SQS_WAIT_TIME_SECONDS: "1",
  SQS_VISIBILITY_TIMEOUT_SECONDS: "2",
  RETRY_VISIBILITY_BASE_SECONDS: "0",
  RETRY_VISIBILITY_MAX_SECONDS: "1",
  RETRY_ATTEMPTS: "0",
  SHUTDOWN_GRACE_SECONDS: "30",
  CONCURRENCY: "4",
};

/** `deno run src/main.ts --mode sqs` on the chain's queue. */
export function startWorker(
  aws: LocalAws,
  chain: QueueChain,
  extra: Record<string, string> = {},
  args: string[] = [],
): ProcessorProcess {
  return spawnProcessor(
    ["--mode", "sqs", ...args],
    processorEnv(aws, { SQS_QUEUE_URL: chain.queueUrl, ...FAST_WORKER_ENV, ...extra }),
  );
}

/** `n` distinct numbered log lines tagged `tag`. */
export const numberedLines = (n: number, tag: string): string[] =>
  Array.from({ length: n }, (_, i) => `${tag} line ${String(i).padStart(5, "0")}`);

/** Puts an object of `lines` for `tenantId` into the central bucket; returns its key. */
export async function putLines(aws: LocalAws, tenantId: string, lines: string[], app = "api"): Promise<string> {
  const key = objectKey(tenantId, app);
  await putObject(aws, key, encodeObject(lines.map((l) => vectorRecord(l))));
  return key;
}

/** Every message in `group` of `account`, sorted. */
export async function deliveredLines(aws: LocalAws, account: string, group: string): Promise<string[]> {
  const streams = await readLogGroup(aws, account, group);
  return [...streams.values()].flat().map((e) => e.message).sort();
}

/**
 * A new customer with a CloudWatch delivery, its cluster registered, and an
 * SQS queue of its own (`<prefix>-…`), for a worker process a bench starts.
 */
export async function customerQueue(aws: LocalAws, prefix: string) {
  const customer = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(customer));
  await registerCluster(aws, [customer]);
  const sqs = new SQSClient(motoClientConfig(aws.moto, REGION));
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniq(prefix) }))).QueueUrl!;
  return { customer, sqs, queueUrl };
}

/** `true` when the queue holds nothing (visible or in flight), else undefined (for `eventually`). */
export async function queueEmpty(
  chain: Pick<QueueChain, "sqs" | "queueUrl">,
  queueUrl = chain.queueUrl,
): Promise<true | undefined> {
  const c = await queueCounts(chain, queueUrl);
  return c.visible + c.inFlight === 0 ? true : undefined;
}

/** SIGTERM, then the exit code. */
export async function terminate(worker: ProcessorProcess): Promise<number> {
  worker.kill("SIGTERM");
  return await worker.exited;
}

/** How often each event arrived in a log group: every event, the distinct ones, and the extra copies. */
export interface EventCounts {
  readonly total: number;
  readonly distinct: number;
  readonly duplicates: number;
}

/** {@link EventCounts} of `group` in `account` (events told apart by their message). */
export async function eventCounts(aws: LocalAws, account: string, group: string): Promise<EventCounts> {
  const messages = await deliveredLines(aws, account, group);
  const distinct = new Set(messages).size;
  return { total: messages.length, distinct, duplicates: messages.length - distinct };
}

/** The result lines a worker logged for `key` (one per attempt at the object). */
export function resultsFor(worker: ProcessorProcess, key: string): Record<string, unknown>[] {
  return worker.logs.filter((l) => l.key === key && typeof l.outcome === "string" && Array.isArray(l.deliveries));
}

/**
 * A local AWS with a delivery-state table and one customer whose cluster is
 * registered: a CloudWatch delivery, and with `s3` an archive bucket too.
 */
export async function stateWorld(options: { s3?: boolean } = {}) {
  const aws = await startLocalAws();
  const stateTable = await createDeliveryStateTable(aws);
  const customer = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(customer));
  const bucket = options.s3 ? await createCustomerBucket(aws, customer) : undefined;
  if (bucket) await putTenantItem(aws, s3Item(customer, bucket));
  await registerCluster(aws, [customer]);
  return { aws, stateTable, customer, bucket };
}
