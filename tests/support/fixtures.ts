/**
 * Test fixtures against moto: a central account with the bucket and tenant
 * table, customer accounts reached through AssumeRole, Vector-shaped
 * objects, notification bodies, and the processor run as a subprocess.
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import { Buffer } from "node:buffer";
import { CreateTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";

import { writerStack } from "../../src/cli/writer_stack.ts";
import {
  type AccountCredentials,
  accountCredentials as sharedAccountCredentials,
  motoClientConfig,
} from "../../scripts/local_aws/account_clients.ts";
import { type LogEvent, readLogGroupEvents } from "../../scripts/local_aws/log_group_events.ts";
import { runDeno, runProcessor, type RunResult } from "../../scripts/local_aws/processor_process.ts";
import { AwsProxy } from "./aws_proxy.ts";
import { encodeS3Key } from "./fakes.ts";

export { runDeno, runProcessor, type RunResult };
import { motoEndpoint } from "./moto.ts";

export const CENTRAL_ACCOUNT = "123456789012";
export const REGION = "us-east-1";
export const CENTRAL_ROLE_ARN = `arn:aws:iam::${CENTRAL_ACCOUNT}:role/central-log-distribution`;

/** A short random suffix for resource names, so tests never collide. */
export function uniq(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A random 12-digit account id, distinct from the central one. */
export function randomAccount(): string {
  return String(200_000_000_000 + Math.floor(Math.random() * 700_000_000_000));
}

/** A local AWS for one test file: moto, a proxy in front of it, central resources. */
export interface LocalAws {
  readonly moto: string;
  readonly proxy: AwsProxy;
  readonly bucket: string;
  readonly table: string;
  /** CLUSTER_TABLE; register clusters with {@link registerCluster}. */
  readonly clusterTable: string;
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  close(): Promise<void>;
}

const direct = (endpoint: string, credentials?: AccountCredentials) => motoClientConfig(endpoint, REGION, credentials);

/**
 * Starts a proxy and creates the central bucket, the tenant table and the
 * cluster registry in moto (`keepBodies`: see {@link AwsProxy.start}).
 */
export async function startLocalAws(options: { keepBodies?: boolean } = {}): Promise<LocalAws> {
  const moto = await motoEndpoint();
  const proxy = await AwsProxy.start(moto, options);
  const bucket = uniq("central-logs");
  const table = uniq("tenants");
  const clusterTable = uniq("clusters");
  const s3 = new S3Client(direct(moto));
  const dynamo = new DynamoDBClient(direct(moto));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await dynamo.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "tenant_id", AttributeType: "S" },
        { AttributeName: "delivery_id", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "tenant_id", KeyType: "HASH" },
        { AttributeName: "delivery_id", KeyType: "RANGE" },
      ],
    }),
  );
  await dynamo.send(
    new CreateTableCommand({
      TableName: clusterTable,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "cluster_id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "cluster_id", KeyType: "HASH" }],
    }),
  );
  return {
    moto,
    proxy,
    bucket,
    table,
    clusterTable,
    s3,
    dynamo,
    async close() {
      s3.destroy();
      dynamo.destroy();
      await proxy.close();
    },
  };
}

/** Writes one tenant-table item. */
export async function putTenantItem(aws: LocalAws, item: Record<string, unknown>): Promise<void> {
  await aws.dynamo.send(
    new PutItemCommand({ TableName: aws.table, Item: marshall(item, { removeUndefinedValues: true }) }),
  );
}

/** A cluster registered for a test: who may write its objects, and what S3 says about them. */
export interface TestCluster {
  readonly clusterId: string;
  readonly tenants: readonly string[];
  readonly writerRoleArn: string;
  readonly writerRoleId: string;
  /** `userIdentity.principalId` of an object this cluster's writer role wrote (as S3 reports it). */
  readonly principalId: string;
}

/** The ARN of the role `clusters add` deploys for `clusterId` (its writer stack's role, in the central account). */
function writerRoleArn(clusterId: string): string {
  return writerStack({
    clusterId,
    tenants: ["any"],
    bucket: "central",
    trust: { kind: "principal", principalArn: `arn:aws:iam::${CENTRAL_ACCOUNT}:role/vector-agent` },
    account: CENTRAL_ACCOUNT,
    partition: "aws",
    region: "us-east-1",
  }).roleArn;
}

/** A role id as IAM makes them: AROA and 17 of A-Z 2-7. */
export function randomRoleId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return "AROA" + Array.from(crypto.getRandomValues(new Uint8Array(17)), (b) => alphabet[b % 32]).join("");
}

/**
 * Registers `clusterId` (default `prod-1`, the cluster of {@link objectKey})
 * for `tenants` in the cluster registry (DESIGN 1.6): the one way the tests
 * register clusters. Registering again adds tenants; the writer role stays
 * the first one's unless `options.writerRoleId` replaces it. `item` adds or
 * overrides raw attributes (for invalid or disabled items).
 */
export async function registerCluster(
  aws: LocalAws,
  tenants: readonly (string | { readonly tenantId: string })[],
  options: { clusterId?: string; writerRoleId?: string; item?: Record<string, unknown> } = {},
): Promise<TestCluster> {
  const clusterId = options.clusterId ?? "prod-1";
  const ids = tenants.map((t) => typeof t === "string" ? t : t.tenantId);
  const writerRoleId = options.writerRoleId ?? randomRoleId();
  const roleArn = writerRoleArn(clusterId);
  const set = options.writerRoleId ? "writer_role_id = :id" : "writer_role_id = if_not_exists(writer_role_id, :id)";
  const out = await aws.dynamo.send(
    new UpdateItemCommand({
      TableName: aws.clusterTable,
      Key: marshall({ cluster_id: clusterId }),
      UpdateExpression: `ADD tenants :t SET ${set}, writer_role_arn = if_not_exists(writer_role_arn, :arn)`,
      ExpressionAttributeValues: marshall({ ":t": new Set(ids), ":id": writerRoleId, ":arn": roleArn }),
      ReturnValues: "ALL_NEW",
    }),
  );
  if (options.item) {
    await aws.dynamo.send(
      new PutItemCommand({
        TableName: aws.clusterTable,
        Item: marshall({ ...unmarshall(out.Attributes!), ...options.item }, { removeUndefinedValues: true }),
      }),
    );
  }
  const stored = unmarshall(out.Attributes!);
  return {
    clusterId,
    tenants: [...(stored.tenants as Set<string>)].sort(),
    writerRoleArn: stored.writer_role_arn,
    writerRoleId: stored.writer_role_id,
    principalId: `AWS:${stored.writer_role_id}:vector-agent`,
  };
}

/** A customer: its account, role and ExternalId. */
export interface Customer {
  readonly tenantId: string;
  readonly account: string;
  readonly roleArn: string;
  readonly externalId: string;
  readonly logGroup: string;
}

/** A new customer in its own account, with the proxy enforcing its ExternalId. */
export function newCustomer(aws: LocalAws, tenantId = uniq("tenant")): Customer {
  const account = randomAccount();
  const customer = {
    tenantId,
    account,
    roleArn: `arn:aws:iam::${account}:role/log-delivery`,
    externalId: crypto.randomUUID(),
    logGroup: `/customer/${tenantId}/k8s`,
  };
  aws.proxy.requireExternalId(customer.roleArn, customer.externalId);
  return customer;
}

/** A CloudWatch delivery item for `customer`. */
export function cloudWatchItem(customer: Customer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tenant_id: customer.tenantId,
    delivery_id: "cloudwatch",
    type: "cloudwatch",
    role_arn: customer.roleArn,
    external_id: customer.externalId,
    log_group_name: customer.logGroup,
    ...extra,
  };
}

/** An S3 delivery item for `customer` into `bucket`. */
export function s3Item(
  customer: Customer,
  bucket: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    tenant_id: customer.tenantId,
    delivery_id: "archive",
    type: "s3",
    role_arn: customer.roleArn,
    external_id: customer.externalId,
    bucket_name: bucket,
    ...extra,
  };
}

/** Creates a bucket inside `customer`'s account (directly in moto); returns its name. */
export async function createCustomerBucket(aws: LocalAws, customer: Customer): Promise<string> {
  const bucket = uniq(`logs-${customer.account}`);
  const { s3, logs } = await asAccount(aws, customer.account);
  logs.destroy();
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    s3.destroy();
  }
  return bucket;
}

/** An object read back from `bucket` in `account`: raw bytes and headers. */
export async function readCustomerObject(aws: LocalAws, account: string, bucket: string, key: string) {
  const { s3, logs } = await asAccount(aws, account);
  logs.destroy();
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return {
      body: await out.Body!.transformToByteArray(),
      contentType: out.ContentType,
      contentEncoding: out.ContentEncoding,
      metadata: out.Metadata ?? {},
    };
  } finally {
    s3.destroy();
  }
}

/** Keys in `bucket` of `account` under `prefix`, sorted. */
export async function listCustomerKeys(aws: LocalAws, account: string, bucket: string, prefix = ""): Promise<string[]> {
  const { s3, logs } = await asAccount(aws, account);
  logs.destroy();
  try {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (out.Contents ?? []).map((o) => o.Key!).sort();
  } finally {
    s3.destroy();
  }
}

/** Makes the proxy answer the next `operation` on `bucket` with AccessDenied (once). */
export function denyOnce(aws: LocalAws, operation: string, bucket: string): void {
  aws.proxy.inject({
    operation,
    status: 403,
    code: "AccessDenied",
    times: 1,
    match: (c) => c.path.startsWith(`/${bucket}/`),
  });
}

/** Creates a delivery-state table (DELIVERY_STATE_TABLE) in the central account; returns its name. */
export async function createDeliveryStateTable(aws: LocalAws): Promise<string> {
  const table = uniq("delivery-state");
  await aws.dynamo.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    }),
  );
  return table;
}

/** A Vector-shaped record. */
export function vectorRecord(
  message: unknown,
  timestamp: unknown = new Date().toISOString(),
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    message,
    timestamp,
    source_type: "kubernetes_logs",
    stream: "stdout",
    customer_id: "ignored-by-processor",
    kubernetes: { pod_name: "api-7f9", pod_namespace: "shop", container_name: "api" },
    ...extra,
  };
}

/** NDJSON bytes of `records` (gzip unless `gzip: false`; `members` splits into several gzip members). */
export function encodeObject(
  records: readonly unknown[],
  options: { gzip?: boolean; members?: number; crlf?: boolean } = {},
): Uint8Array {
  const eol = options.crlf ? "\r\n" : "\n";
  const lines = records.map((r) => (typeof r === "string" ? r : JSON.stringify(r)) + eol);
  if (options.gzip === false) return new TextEncoder().encode(lines.join(""));
  const members = Math.max(1, options.members ?? 1);
  const per = Math.ceil(lines.length / members) || 1;
  const parts: Buffer[] = [];
  for (let i = 0; i < Math.max(lines.length, 1); i += per) {
    parts.push(gzipSync(lines.slice(i, i + per).join("")));
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** Puts an object into the central bucket (directly into moto). */
export async function putObject(aws: LocalAws, key: string, body: Uint8Array): Promise<void> {
  await aws.s3.send(new PutObjectCommand({ Bucket: aws.bucket, Key: key, Body: body }));
}

/** A key in the DESIGN 1.1 layout. */
export function objectKey(tenantId: string, app = "api", pod = "api-7f9", cluster = "prod-1"): string {
  return `${tenantId}/${cluster}/${app}/${pod}/20260101-120000-${crypto.randomUUID()}.json.gz`;
}

/** The S3 event record S3 would send for `key` (naming its writer when `principalId` is given). */
export function s3Record(bucket: string, key: string, options: { eventName?: string; principalId?: string } = {}) {
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: REGION,
    eventTime: new Date().toISOString(),
    eventName: options.eventName ?? "ObjectCreated:Put",
    ...(options.principalId ? { userIdentity: { principalId: options.principalId } } : {}),
    s3: {
      s3SchemaVersion: "1.0",
      bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodeS3Key(key), size: 1, eTag: "x", sequencer: "0" },
    },
  };
}

/** An SQS body as SNS delivers an S3 event (records without a writer identity, as moto sends them). */
export function snsBody(bucket: string, ...keys: string[]): string {
  return snsBodyOf(keys.map((k) => s3Record(bucket, k)));
}

/** An SQS body as SNS delivers an S3 event of `records` (see {@link s3Record}). */
export function snsBodyOf(records: readonly unknown[]): string {
  return JSON.stringify({
    Type: "Notification",
    MessageId: crypto.randomUUID(),
    TopicArn: `arn:aws:sns:${REGION}:${CENTRAL_ACCOUNT}:log-objects`,
    Subject: "Amazon S3 Notification",
    Message: JSON.stringify({ Records: records }),
    Timestamp: new Date().toISOString(),
  });
}

/** An SQS body as EventBridge delivers an S3 Object Created event. */
export function eventBridgeBody(bucket: string, key: string): string {
  return JSON.stringify({
    version: "0",
    id: crypto.randomUUID(),
    "detail-type": "Object Created",
    source: "aws.s3",
    account: CENTRAL_ACCOUNT,
    time: new Date().toISOString(),
    region: REGION,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: "0",
      bucket: { name: bucket },
      object: { key: encodeS3Key(key), size: 1, etag: "x" },
      reason: "PutObject",
    },
  });
}

/** Environment for the processor pointed at the proxy (`CENTRAL_BUCKET` set: the sqs and lambda modes need it). */
export function processorEnv(aws: LocalAws, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: aws.proxy.url,
    TENANT_CONFIG_TABLE: aws.table,
    CLUSTER_TABLE: aws.clusterTable,
    CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: CENTRAL_ROLE_ARN,
    CENTRAL_BUCKET: aws.bucket,
    RETRY_BASE_DELAY_MS: "10",
    RETRY_MAX_DELAY_MS: "50",
    LOG_LEVEL: "info",
    ...extra,
  };
}

/** Credentials acting inside `account` (moto: AssumeRole credentials act in the role's account). */
export function accountCredentials(aws: LocalAws, account: string) {
  return sharedAccountCredentials(aws.moto, REGION, { account, sessionName: "test-reader" });
}

/** SDK client options acting inside `account`, straight at moto. */
export async function accountClientConfig(aws: LocalAws, account: string) {
  return direct(aws.moto, await accountCredentials(aws, account));
}

/** Clients acting inside `account` in `region` (through moto directly, not the proxy). */
export async function asAccount(aws: LocalAws, account: string, region = REGION) {
  const credentials = await accountCredentials(aws, account);
  return {
    logs: new CloudWatchLogsClient({ ...direct(aws.moto, credentials), region }),
    s3: new S3Client({ ...direct(aws.moto, credentials), region }),
  };
}

/** Every event in `group` of `account` (in `region`), per stream, oldest first. */
export async function readLogGroup(
  aws: LocalAws,
  account: string,
  group: string,
  region = REGION,
): Promise<Map<string, LogEvent[]>> {
  const { logs, s3 } = await asAccount(aws, account, region);
  s3.destroy();
  try {
    return await readLogGroupEvents(logs, group);
  } finally {
    logs.destroy();
  }
}

/** An integration test with its own {@link LocalAws}, closed afterwards (clients stay open: no sanitizers). */
export function awsTest(name: string, fn: (aws: LocalAws) => Promise<void>): void {
  Deno.test({
    name,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const aws = await startLocalAws();
      try {
        await fn(aws);
      } finally {
        await aws.close();
      }
    },
  });
}
