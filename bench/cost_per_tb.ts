/**
 * What one TB of delivered logs costs, from measured calls and CPU per
 * object: the central account's bill (S3 GET, SQS, SNS, DynamoDB, STS and
 * the worker's vCPU-hours) and, apart, the customer's CloudWatch ingestion.
 * Pure arithmetic; the figures come from the whole-process bench.
 *
 * @module
 */

/**
 * The date of the newest source the prices below were checked against:
 * us-east-1 list prices as public pricing guides quoted them in March–June
 * 2026 (checked on 2026-12-01; AWS's own price pages cannot be reached from
 * where this was built, so check them before quoting a bill).
 */
export const PRICES_AS_OF = "2026-06-17";

/** us-east-1 list prices in USD as of {@link PRICES_AS_OF} (no free tier, no discounts). */
export const US_EAST_1_LIST_PRICES = {
  /** S3 Standard GET (and other read requests), per request ($0.0004 per 1 000). */
  s3GetRequest: 0.0004 / 1000,
  /** S3 Standard PUT (the agents' PutObject), per request ($0.005 per 1 000). */
  s3PutRequest: 0.005 / 1000,
  /** SQS standard queue, per request of up to 64 KiB ($0.40 per million). */
  sqsRequest: 0.4 / 1e6,
  /** SNS standard topic, per publish ($0.50 per million; deliveries to SQS are free). */
  snsPublish: 0.5 / 1e6,
  /** DynamoDB on-demand read request unit ($0.125 per million). */
  dynamoReadUnit: 0.125 / 1e6,
  /** DynamoDB on-demand write request unit ($0.625 per million). */
  dynamoWriteUnit: 0.625 / 1e6,
  /** STS AssumeRole: no charge. */
  stsRequest: 0,
  /** Fargate (Linux/x86) per vCPU-hour. */
  vcpuHour: 0.04048,
  /** Fargate (Linux/x86) per GB-hour of memory. */
  gbHour: 0.004445,
  /** CloudWatch Logs Standard ingestion per GB (paid by the customer). */
  cloudWatchIngestionGb: 0.5,
} as const;

/** A price list shaped like {@link US_EAST_1_LIST_PRICES}. */
export type Prices = { readonly [K in keyof typeof US_EAST_1_LIST_PRICES]: number };

/** What one object costs the processor, as measured. */
export interface ObjectProfile {
  /** Uncompressed NDJSON bytes of the object (what the agents wrote). */
  readonly bytes: number;
  /** Processor CPU seconds for the object (OS figure, warm). */
  readonly cpuSeconds: number;
  /** AWS calls the processor made per object, by operation. */
  readonly calls: Readonly<Record<string, number>>;
  /** Bytes CloudWatch Logs bills as ingested per object: message UTF-8 bytes + 26 per event. */
  readonly ingestedBytes: number;
}

/** The worker the CPU runs on: vCPUs and memory billed per vCPU of work. */
export interface WorkerShape {
  readonly vcpu: number;
  readonly memoryGb: number;
}

/** A 1 vCPU / 0.5 GB worker kept busy (the processor peaks under 0.25 GB). */
export const DEFAULT_WORKER: WorkerShape = { vcpu: 1, memoryGb: 0.5 };

/**
 * Calls per small object of a processor without caching (the upstream
 * design): every object looks its tenant up, assumes both roles, checks the
 * group and stream, and receives and deletes its message alone.
 */
export const UNCACHED_CALLS_PER_OBJECT: Readonly<Record<string, number>> = {
  GetObject: 1,
  Query: 1,
  AssumeRole: 2,
  DescribeLogGroups: 1,
  DescribeLogStreams: 1,
  CreateLogStream: 1,
  PutLogEvents: 1,
  ReceiveMessage: 1,
  DeleteMessage: 1,
};

const SQS_OPERATIONS = new Set([
  "ReceiveMessage",
  "DeleteMessage",
  "DeleteMessageBatch",
  "ChangeMessageVisibility",
  "ChangeMessageVisibilityBatch",
]);
const DYNAMO_READS = new Set(["Query", "GetItem", "BatchGetItem"]);
const DYNAMO_WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem"]);

/** One line of the bill. */
export interface CostLine {
  readonly item: string;
  readonly usd: number;
}

/** The cost of one TB (10^12 bytes of uncompressed NDJSON) delivered as objects like `profile`. */
export interface TbCost {
  readonly objectsPerTb: number;
  /** The central account's lines; S3 PUT is the agents' writes, the same for any processor. */
  readonly central: readonly CostLine[];
  readonly centralUsd: number;
  /** What the customer pays CloudWatch Logs for ingesting the events, apart. */
  readonly customerCloudWatchUsd: number;
}

const TB = 1e12;

/** Sums the calls of `calls` whose operation is in `ops`. */
function sum(calls: Readonly<Record<string, number>>, ops: ReadonlySet<string>): number {
  let n = 0;
  for (const [op, count] of Object.entries(calls)) if (ops.has(op)) n += count;
  return n;
}

/**
 * What one TB costs when delivered as objects like `profile`. Every object
 * also costs one SNS publish (S3 → topic) and one SQS request (topic →
 * queue), whatever the processor; each DynamoDB call is counted as one
 * request unit (tenant items are far below 4 KB).
 */
export function costPerTb(
  profile: ObjectProfile,
  prices: Prices = US_EAST_1_LIST_PRICES,
  worker: WorkerShape = DEFAULT_WORKER,
): TbCost {
  if (!(profile.bytes > 0)) throw new RangeError("an object must have bytes");
  const objects = TB / profile.bytes;
  const per = (n: number, price: number) => n * objects * price;
  const { calls } = profile;
  // A busy worker bills one vCPU-hour, and its memory share, per CPU hour of work.
  const cpuHours = (profile.cpuSeconds * objects) / 3600;
  const central: CostLine[] = [
    { item: "S3 GET", usd: per(calls.GetObject ?? 0, prices.s3GetRequest) },
    { item: "S3 PUT (agents)", usd: per(1, prices.s3PutRequest) },
    { item: "SQS", usd: per(1 + sum(calls, SQS_OPERATIONS), prices.sqsRequest) },
    { item: "SNS", usd: per(1, prices.snsPublish) },
    {
      item: "DynamoDB",
      usd: per(sum(calls, DYNAMO_READS), prices.dynamoReadUnit) +
        per(sum(calls, DYNAMO_WRITES), prices.dynamoWriteUnit),
    },
    { item: "STS", usd: per(calls.AssumeRole ?? 0, prices.stsRequest) },
    { item: "worker vCPU-hours", usd: cpuHours * (prices.vcpuHour + (worker.memoryGb / worker.vcpu) * prices.gbHour) },
  ];
  return {
    objectsPerTb: objects,
    central,
    centralUsd: central.reduce((total, line) => total + line.usd, 0),
    customerCloudWatchUsd: ((profile.ingestedBytes * objects) / 1e9) * prices.cloudWatchIngestionGb,
  };
}
