/**
 * S3 mode: plan and write Vector-shaped gzip NDJSON objects into the central
 * bucket under the DESIGN 1.1 layout, for every pod of a fleet of tenants,
 * clusters and applications, so the pipeline can be exercised without Vector.
 * Every object's content derives from (seed, object index) alone, so a seed
 * reproduces the same keys and bytes whatever the upload concurrency.
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { mapConcurrent } from "../../src/pipeline/map_concurrent.ts";
import { logLine } from "./log_line.ts";
import type { S3Options } from "./options.ts";
import { Random } from "./random.ts";
import { makePod, type Pod, routedRecord } from "./records.ts";

/** How much time one object covers: Vector's batch timeout (5 minutes). */
export const OBJECT_WINDOW_MS = 300_000;

/** Every pod of the fleet `options` describes, tenant by tenant. */
export function fleet(options: S3Options, random: Random): Pod[] {
  const pods: Pod[] = [];
  for (const customerId of options.tenantIds) {
    for (const clusterId of options.clusterIds) {
      for (const application of options.appNames) {
        for (let i = 0; i < options.pods; i++) pods.push(makePod({ customerId, clusterId, application }, random));
      }
    }
  }
  return pods;
}

/** `YYYYMMDD-HHMMSS` in UTC, as the agents' `filename_time_format`. */
export function fileTime(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
}

/** The key Vector writes for `pod` at `at`: `<customer>/<cluster>/<app>/<pod>/<time>-<uuid>.json.gz`. */
export function objectKeyFor(pod: Pod, at: Date, uuid: string): string {
  return `${pod.customerId}/${pod.clusterId}/${pod.application}/${pod.podName}/${fileTime(at)}-${uuid}.json.gz`;
}

/** One object to write. */
export interface PlannedObject {
  readonly index: number;
  readonly pod: Pod;
  readonly key: string;
  /** End of the time window its events cover. */
  readonly end: Date;
}

/** A Random for one object, independent of the others. */
function objectRandom(seed: number, index: number): Random {
  return new Random((seed + Math.imul(index + 1, 0x9e3779b1)) >>> 0);
}

/**
 * The objects of a run: round-robin over `pods`, so each pod's k-th object
 * covers the k-th of consecutive 5-minute windows ending at `options.time`.
 */
export function planObjects(options: S3Options, pods: readonly Pod[]): PlannedObject[] {
  const rounds = Math.ceil(options.objects / pods.length);
  return Array.from({ length: options.objects }, (_, index) => {
    const pod = pods[index % pods.length]!; // index % length is in range
    const round = Math.floor(index / pods.length);
    const end = new Date(options.time - (rounds - 1 - round) * OBJECT_WINDOW_MS);
    return { index, pod, key: objectKeyFor(pod, end, objectRandom(options.seed, index).uuid()), end };
  });
}

/** The NDJSON text of one object: `eventsPerObject` routed records spread over its window. */
export function objectNdjson(plan: PlannedObject, options: S3Options): string {
  const random = objectRandom(options.seed, plan.index);
  random.uuid(); // the key's
  const start = plan.end.getTime() - OBJECT_WINDOW_MS;
  const step = OBJECT_WINDOW_MS / options.eventsPerObject;
  let text = "";
  for (let i = 0; i < options.eventsPerObject; i++) {
    const time = new Date(Math.floor(start + (i + 1) * step));
    const size = random.int(options.minMessageSize, options.maxMessageSize);
    const { line, level } = logLine(options.format, { time, bytes: size, random });
    text += JSON.stringify(routedRecord(plan.pod, line, { time, stream: level === "error" ? "stderr" : "stdout" })) +
      "\n";
  }
  return text;
}

/** What a run wrote. */
export interface S3Summary {
  readonly bucket: string;
  readonly seed: number;
  objects: number;
  events: number;
  /** Uncompressed NDJSON bytes. */
  ndjsonBytes: number;
  /** Bytes stored (gzip). */
  gzipBytes: number;
  /** Objects and events per tenant. */
  readonly tenants: Record<string, { objects: number; events: number }>;
}

/**
 * Writes the run's objects with `options.concurrency` parallel PutObject
 * calls; `onObject` sees the running summary after each one.
 */
export async function writeObjects(
  options: S3Options,
  s3: S3Client,
  onObject: (summary: S3Summary) => void = () => {},
): Promise<S3Summary> {
  const pods = fleet(options, new Random(options.seed));
  const summary: S3Summary = {
    bucket: options.bucket,
    seed: options.seed,
    objects: 0,
    events: 0,
    ndjsonBytes: 0,
    gzipBytes: 0,
    tenants: Object.fromEntries(options.tenantIds.map((t) => [t, { objects: 0, events: 0 }])),
  };
  await mapConcurrent(planObjects(options, pods), async (plan) => {
    const ndjson = new TextEncoder().encode(objectNdjson(plan, options));
    const body = gzipSync(ndjson);
    // As Vector's aws_s3 sink uploads: gzip body, Content-Encoding gzip, text/x-log.
    await s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: plan.key,
        Body: body,
        ContentEncoding: "gzip",
        ContentType: "text/x-log",
      }),
    );
    summary.objects++;
    summary.events += options.eventsPerObject;
    summary.ndjsonBytes += ndjson.length;
    summary.gzipBytes += body.length;
    const tenant = summary.tenants[plan.pod.customerId] ??= { objects: 0, events: 0 };
    tenant.objects++;
    tenant.events += options.eventsPerObject;
    onObject(summary);
  }, { limit: options.concurrency });
  return summary;
}
