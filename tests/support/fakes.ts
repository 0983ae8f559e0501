/**
 * Small fakes for fast unit tests of the pure core (no moto, no network):
 * SDK-shaped errors, a recording sleep, a settable clock, byte streams, a
 * seeded random generator, a unit-test customer, an S3 tenant-table item and
 * a validated delivery.
 *
 * @module
 */
import type { CloudWatchDelivery } from "../../src/tenant/delivery.ts";
import type { Customer } from "./fixtures.ts";

/** An error shaped like an AWS SDK v3 service exception. */
export function awsError(
  name: string,
  status?: number,
  extra: Record<string, unknown> = {},
): Error {
  const err = new Error(`${name} from fake`);
  err.name = name;
  Object.assign(err, { $metadata: { httpStatusCode: status }, $fault: status && status >= 500 ? "server" : "client" });
  return Object.assign(err, extra);
}

/** A sleep that returns at once and records the delays asked for. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { sleep: (ms) => (delays.push(ms), Promise.resolve()), delays };
}

/** A clock tests move by hand. */
export function fakeClock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Yields `chunks` as an async byte stream. */
export async function* streamOf(...chunks: (Uint8Array | string)[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const c of chunks) yield typeof c === "string" ? encoder.encode(c) : c;
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Cuts `bytes` into pieces of `size` bytes. */
export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** A deterministic random generator in [0, 1) for property-style tests (the benchmarks' mulberry32). */
export { prng as seededRandom } from "../../bench/vector_data.ts";

/**
 * A customer for unit tests (no moto): pass it to `cloudWatchItem` of
 * fixtures.ts for a valid CloudWatch tenant-table item.
 */
export const UNIT_CUSTOMER: Customer = {
  tenantId: "acme",
  account: "210987654321",
  roleArn: "arn:aws:iam::210987654321:role/log-delivery",
  externalId: "acme-external-id-1",
  logGroup: "/customer/acme/k8s",
};

/** A valid S3 tenant-table item. */
export function s3TableItem(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tenant_id: "acme",
    delivery_id: "archive",
    type: "s3",
    role_arn: UNIT_CUSTOMER.roleArn,
    external_id: UNIT_CUSTOMER.externalId,
    bucket_name: "acme-log-archive",
    ...extra,
  };
}

/** A validated CloudWatch delivery. */
export function cloudWatchDelivery(extra: Partial<CloudWatchDelivery> = {}): CloudWatchDelivery {
  return {
    tenantId: "acme",
    deliveryId: "cloudwatch",
    type: "cloudwatch",
    enabled: true,
    roleArn: UNIT_CUSTOMER.roleArn,
    externalId: UNIT_CUSTOMER.externalId,
    applications: [],
    logGroupName: UNIT_CUSTOMER.logGroup,
    ...extra,
  };
}

/** Encodes a key the way S3 puts it into a notification (`+` for a space, the rest percent-encoded but `/`). */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replaceAll("%20", "+").replaceAll("%2F", "/");
}
