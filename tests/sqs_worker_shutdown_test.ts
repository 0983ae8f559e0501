/**
 * The SQS worker under stop and failure: SIGTERM mid-batch, a grace period
 * that runs out, SIGKILL mid-object, and the heartbeat keeping a slow object
 * from a second worker. Objects arrive through S3 → SNS → SQS in moto; slow
 * AWS calls are made slow by the recording proxy.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { cloudWatchItem, newCustomer, putTenantItem, registerCluster, startLocalAws } from "./support/fixtures.ts";
import { eventually, queueCounts, startQueueChain } from "./support/queue_chain.ts";
import {
  deliveredLines,
  numberedLines,
  putLines,
  queueEmpty,
  startWorker,
  terminate,
} from "./support/worker_fixtures.ts";

const it = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

async function setup() {
  const aws = await startLocalAws();
  const chain = await startQueueChain(aws, { maxReceiveCount: 5 });
  const customer = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(customer));
  await registerCluster(aws, [customer]);
  return { aws, chain, customer };
}

it("worker SIGTERM mid-batch: in-flight work finishes, exit 0, nothing lost or duplicated", async () => {
  const { aws, chain, customer } = await setup();
  // The first four PutLogEvents are slow, so SIGTERM lands while they are in flight.
  aws.proxy.delay({ operation: "PutLogEvents", ms: 1_500, times: 4, match: (c) => c.put?.group === customer.logGroup });
  const all: string[] = [];
  for (let i = 0; i < 6; i++) {
    const lines = numberedLines(10, `object-${i}`);
    all.push(...lines);
    await putLines(aws, customer.tenantId, lines);
  }
  const first = startWorker(aws, chain);
  const second = { current: undefined as ReturnType<typeof startWorker> | undefined };
  try {
    await eventually(
      "a PutLogEvents in flight",
      () => Promise.resolve(aws.proxy.count("PutLogEvents") > 0 || undefined),
    );
    strictEqual(await terminate(first), 0);
    const stopAt = first.logs.findIndex((l) => l.msg === "stopping: no new messages; finishing in-flight work");
    ok(stopAt >= 0, "the worker logged its graceful stop");
    ok(first.logs.slice(stopAt).some((l) => l.msg === "object delivered"), "in-flight objects finished after SIGTERM");
    strictEqual(first.logs.some((l) => l.msg === "releasing messages" && l.why === "grace period over"), false);
    // A second worker takes over whatever was not received yet.
    second.current = startWorker(aws, chain);
    await eventually("the queue to drain", () => queueEmpty(chain));
    strictEqual(await terminate(second.current), 0);
    deepStrictEqual(await deliveredLines(aws, customer.account, customer.logGroup), all.sort());
    strictEqual((await queueCounts(chain, chain.dlqUrl)).visible, 0);
  } finally {
    first.kill("SIGKILL");
    second.current?.kill("SIGKILL");
    chain.close();
    await aws.close();
  }
});

it("worker SIGTERM with a grace period that runs out: unfinished message released, exit 0, delivered later", async () => {
  const { aws, chain, customer } = await setup();
  const lines = numberedLines(5, "slow");
  const key = await putLines(aws, customer.tenantId, lines);
  aws.proxy.delay({ operation: "GetObject", ms: 20_000, times: 1, match: (c) => c.path.endsWith(key) });
  const first = startWorker(aws, chain, { SHUTDOWN_GRACE_SECONDS: "1" });
  let second: ReturnType<typeof startWorker> | undefined;
  try {
    await eventually("the slow GetObject", () => Promise.resolve(aws.proxy.count("GetObject") > 0 || undefined));
    strictEqual(await terminate(first), 0);
    ok(first.logs.some((l) => l.msg === "releasing messages" && l.why === "grace period over"));
    second = startWorker(aws, chain);
    await eventually("the released message to be delivered", () => queueEmpty(chain));
    strictEqual(await terminate(second), 0);
    deepStrictEqual(await deliveredLines(aws, customer.account, customer.logGroup), lines);
  } finally {
    first.kill("SIGKILL");
    second?.kill("SIGKILL");
    chain.close();
    await aws.close();
  }
});

it("worker SIGKILL mid-object: the message is redelivered and delivered", async () => {
  const { aws, chain, customer } = await setup();
  const lines = numberedLines(250, "big");
  await putLines(aws, customer.tenantId, lines);
  // Three batches of 100; the second is held until the worker is gone.
  let puts = 0;
  aws.proxy.delay({
    operation: "PutLogEvents",
    ms: 15_000,
    times: 1,
    match: (c) => c.put?.group === customer.logGroup && ++puts === 2,
  });
  const env = { MAX_BATCH_SIZE: "100" };
  const first = startWorker(aws, chain, env);
  let second: ReturnType<typeof startWorker> | undefined;
  try {
    await eventually("the second batch in flight", () => Promise.resolve(puts >= 2 || undefined));
    first.kill("SIGKILL");
    strictEqual(await first.exited, 137);
    second = startWorker(aws, chain, env);
    await eventually("the redelivered message to be delivered", () => queueEmpty(chain));
    strictEqual(await terminate(second), 0);
    const got = await deliveredLines(aws, customer.account, customer.logGroup);
    deepStrictEqual([...new Set(got)].sort(), lines, "every line delivered (the first batch at least once)");
    strictEqual((await queueCounts(chain, chain.dlqUrl)).visible, 0);
    ok(second.logs.some((l) => l.msg === "object delivered" && Number(l.receiveCount) >= 2));
  } finally {
    first.kill("SIGKILL");
    second?.kill("SIGKILL");
    chain.close();
    await aws.close();
  }
});

it("worker heartbeat: a slow object outlives the visibility timeout without a second worker taking it", async () => {
  const { aws, chain, customer } = await setup();
  const lines = numberedLines(8, "heartbeat");
  const key = await putLines(aws, customer.tenantId, lines);
  // GetObject takes 3 visibility timeouts (2 s each).
  aws.proxy.delay({ operation: "GetObject", ms: 6_000, times: 1, match: (c) => c.path.endsWith(key) });
  const first = startWorker(aws, chain);
  let second: ReturnType<typeof startWorker> | undefined;
  try {
    await eventually("the slow GetObject", () => Promise.resolve(aws.proxy.count("GetObject") > 0 || undefined));
    second = startWorker(aws, chain);
    await eventually("the slow object to be delivered", () => queueEmpty(chain));
    strictEqual(aws.proxy.count("GetObject", (c) => c.path.endsWith(key)), 1, "only one worker ever read the object");
    ok(aws.proxy.count("ChangeMessageVisibilityBatch") >= 1, "the heartbeat extended the visibility");
    deepStrictEqual(await deliveredLines(aws, customer.account, customer.logGroup), lines);
    strictEqual(await terminate(first), 0);
    strictEqual(await terminate(second), 0);
  } finally {
    first.kill("SIGKILL");
    second?.kill("SIGKILL");
    chain.close();
    await aws.close();
  }
});
