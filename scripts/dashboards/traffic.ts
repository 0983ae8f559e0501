/**
 * The traffic the dashboard pictures are rendered from: three tenants
 * against moto (through the test suite's recording proxy, which enforces
 * ExternalIds and injects faults), objects put into the central bucket
 * second by second in phases: steady traffic, a tenant whose PutLogEvents
 * are throttled for a while, a burst, and a few objects that fail for good
 * (a bad key, a tenant whose ExternalId is wrong, a cluster the registry
 * does not know: a refused write) or are skipped (a tenant without
 * deliveries), some with events too old for CloudWatch.
 *
 * @module
 */
import {
  cloudWatchItem,
  createCustomerBucket,
  type Customer,
  encodeObject,
  type LocalAws,
  newCustomer,
  objectKey,
  putObject,
  putTenantItem,
  registerCluster,
  s3Item,
  vectorRecord,
} from "../../tests/support/fixtures.ts";
import { type QueueChain, queueCounts } from "../../tests/support/queue_chain.ts";

/** The tenants of the run. */
export interface World {
  readonly acme: Customer;
  readonly globex: Customer;
  readonly initech: Customer;
  /** While true, globex's PutLogEvents answer ThrottlingException. */
  throttling: boolean;
}

/** Creates the tenants: acme (CloudWatch), globex (CloudWatch + S3 archive), initech (a wrong ExternalId). */
export async function setUpWorld(aws: LocalAws): Promise<World> {
  const acme = newCustomer(aws, "acme");
  const globex = newCustomer(aws, "globex");
  const initech = newCustomer(aws, "initech");
  await putTenantItem(aws, cloudWatchItem(acme));
  await putTenantItem(aws, cloudWatchItem(globex));
  await putTenantItem(aws, s3Item(globex, await createCustomerBucket(aws, globex)));
  await putTenantItem(aws, cloudWatchItem(initech, { external_id: "not-initech-s-external-id" }));
  // Every tenant writes from cluster prod-1 (umbrella has no delivery: skipped); edge-9 is not registered.
  await registerCluster(aws, ["acme", "globex", "initech", "umbrella"], { clusterId: "prod-1" });
  const world: World = { acme, globex, initech, throttling: false };
  aws.proxy.inject({
    operation: "PutLogEvents",
    status: 400,
    code: "ThrottlingException",
    message: "Rate exceeded",
    match: (c) => world.throttling && c.put?.group === globex.logGroup,
  });
  return world;
}

/** What one second of the run puts, by tenant. */
export interface Second {
  readonly acme: number;
  readonly globex: number;
  /** Objects of a tenant without deliveries (skipped), with a bad key (permanent), of initech (AccessDenied). */
  readonly unknown: number;
  readonly badKey: number;
  readonly initech: number;
  /** Objects from a cluster the registry does not know (refused, WriterNotAllowed). */
  readonly refused: number;
  /** Objects whose events are 15 days old (CloudWatch rejects them as too_old). */
  readonly old: number;
  readonly throttle: boolean;
}

/** The schedule of second `t` of a run of `total` seconds. */
export function schedule(t: number, total: number): Second {
  const phase = t / total;
  const burst = phase >= 0.6 && phase < 0.72;
  return {
    acme: burst ? 6 : 2,
    globex: 1,
    unknown: t % 15 === 7 ? 1 : 0,
    badKey: t % 40 === 20 ? 1 : 0,
    initech: t % 30 === 10 ? 1 : 0,
    refused: t % 25 === 12 ? 1 : 0,
    old: t % 20 === 5 ? 1 : 0,
    throttle: phase >= 0.25 && phase < 0.45,
  };
}

const EVENTS = 200;
const DAY_MS = 86_400_000;

function lines(n: number, tag: string, old = false): Uint8Array {
  const at = old ? new Date(Date.now() - 15 * DAY_MS).toISOString() : new Date().toISOString();
  return encodeObject(
    Array.from({ length: n }, (_, i) => vectorRecord(`${tag} request ${i} served in ${(i * 7) % 300} ms`, at)),
  );
}

/** Called with each object's key when it is put. */
export type OnPut = (key: string, atMs: number) => void;

/** Puts second `t`'s objects; resolves to how many it put. */
async function putSecond(aws: LocalAws, world: World, s: Second, onPut?: OnPut): Promise<number> {
  world.throttling = s.throttle;
  const puts: Promise<void>[] = [];
  const put = (key: string, body: Uint8Array) => {
    onPut?.(key, Date.now());
    puts.push(putObject(aws, key, body));
  };
  for (let i = 0; i < s.acme; i++) put(objectKey("acme", i % 2 ? "web" : "api"), lines(EVENTS, "acme"));
  for (let i = 0; i < s.globex; i++) put(objectKey("globex"), lines(EVENTS, "globex"));
  for (let i = 0; i < s.old; i++) put(objectKey("acme"), lines(50, "acme-old", true));
  for (let i = 0; i < s.unknown; i++) put(objectKey("umbrella"), lines(10, "umbrella"));
  for (let i = 0; i < s.badKey; i++) put(`acme/not-the-layout-${crypto.randomUUID()}.json.gz`, lines(5, "bad"));
  for (let i = 0; i < s.initech; i++) put(objectKey("initech"), lines(10, "initech"));
  for (let i = 0; i < s.refused; i++) put(objectKey("acme", "api", "api-7f9", "edge-9"), lines(10, "edge"));
  await Promise.all(puts);
  return puts.length;
}

/**
 * Runs the schedule for `seconds`, one second at a time, calling `tick`
 * after each; resolves to the number of objects put.
 */
export async function runTraffic(
  aws: LocalAws,
  world: World,
  options: { readonly seconds: number; readonly tick?: (t: number) => Promise<void> | void; readonly onPut?: OnPut },
): Promise<number> {
  let objects = 0;
  const start = Date.now();
  for (let t = 0; t < options.seconds; t++) {
    objects += await putSecond(aws, world, schedule(t, options.seconds), options.onPut);
    await options.tick?.(t);
    const wait = start + (t + 1) * 1000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  world.throttling = false;
  return objects;
}

/**
 * Waits until `chain`'s queue holds nothing (at most 90 s), then half a
 * minute more, so the pictures show the rates falling back to zero.
 */
export async function drainThenIdle(chain: QueueChain): Promise<void> {
  const drainUntil = Date.now() + 90_000;
  while (Date.now() < drainUntil) {
    const c = await queueCounts(chain);
    if (c.visible + c.inFlight === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  await new Promise((r) => setTimeout(r, 30_000));
}
