/**
 * What landed in each customer's account, read back with that account's own
 * credentials: every event of each CloudWatch Logs group (GetLogEvents), and
 * every object under each S3 delivery's prefix (GetObject, gunzipped).
 *
 * @module
 */
import { gunzipSync } from "node:zlib";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { accountClientConfig } from "../local_aws/account_clients.ts";
import { readLogGroupEvents } from "../local_aws/log_group_events.ts";
import type { DemoDelivery, DemoTenant } from "./demo_plan.ts";

/** One delivered line shown by the demo. */
export interface SampleLine {
  /** Stream name or object key. */
  readonly where: string;
  readonly text: string;
}

/** What one delivery's destination holds. */
export type ReadBack =
  | {
    readonly kind: "cloudwatch";
    readonly deliveryId: string;
    readonly group: string;
    readonly exists: boolean;
    readonly streams: number;
    readonly events: number;
    readonly samples: readonly SampleLine[];
  }
  | {
    readonly kind: "s3";
    readonly deliveryId: string;
    readonly bucket: string;
    readonly prefix: string;
    readonly objects: number;
    readonly lines: number;
    readonly samples: readonly SampleLine[];
  };

/** Reads every delivery of `tenant` back from its account; `samples` lines of each. */
export async function readBackTenant(
  endpoint: string,
  region: string,
  { tenant, samples = 2 }: { readonly tenant: DemoTenant; readonly samples?: number },
): Promise<ReadBack[]> {
  const config = await accountClientConfig(endpoint, region, tenant.account);
  const logs = new CloudWatchLogsClient(config);
  const s3 = new S3Client(config);
  try {
    return await Promise.all(tenant.deliveries.map((d) => readBack(logs, s3, d, samples)));
  } finally {
    logs.destroy();
    s3.destroy();
  }
}

async function readBack(
  logs: CloudWatchLogsClient,
  s3: S3Client,
  delivery: DemoDelivery,
  samples: number,
): Promise<ReadBack> {
  if (delivery.type === "cloudwatch") {
    const streams = await readLogGroupEvents(logs, delivery.logGroup);
    const names = [...streams.keys()].sort();
    const first = names[0];
    return {
      kind: "cloudwatch",
      deliveryId: delivery.deliveryId,
      group: delivery.logGroup,
      exists: streams.size > 0,
      streams: streams.size,
      events: [...streams.values()].reduce((n, events) => n + events.length, 0),
      samples: first ? streams.get(first)!.slice(0, samples).map((e) => ({ where: first, text: e.message })) : [],
    };
  }
  const keys = await listKeys(s3, delivery.bucket, delivery.bucketPrefix);
  let lines = 0;
  const shown: SampleLine[] = [];
  for (const key of keys) {
    const out = await s3.send(new GetObjectCommand({ Bucket: delivery.bucket, Key: key }));
    const text = new TextDecoder().decode(gunzipSync(await out.Body!.transformToByteArray()));
    const objectLines = text.split("\n").filter((l) => l !== "");
    lines += objectLines.length;
    for (const line of objectLines.slice(0, samples - shown.length)) shown.push({ where: key, text: line });
  }
  return {
    kind: "s3",
    deliveryId: delivery.deliveryId,
    bucket: delivery.bucket,
    prefix: delivery.bucketPrefix,
    objects: keys.length,
    lines,
    samples: shown,
  };
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}
