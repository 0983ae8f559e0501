/**
 * Resume, never resend (issue 12), through the SQS worker against moto with
 * the fault proxy: a throttling storm, a truncated gzip, a good record next
 * to a bad key, a DLQ redrive and a copy of a message each deliver every
 * event exactly once (counted per destination: distinct and duplicate
 * events); a permanent failure reaches the DLQ after maxReceiveCount quick
 * receives; the steady state costs one GetObject plus the PutLogEvents the
 * data needs, and nothing of the delivery state.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { constants, gunzipSync } from "node:zlib";
import { seededRandom } from "./support/fakes.ts";
import {
  type Customer,
  encodeObject,
  listCustomerKeys,
  type LocalAws,
  objectKey,
  processorEnv,
  putObject,
  runProcessor,
  snsBody,
  vectorRecord,
} from "./support/fixtures.ts";
import {
  eventually,
  peekBodies,
  type QueueChain,
  queueCounts,
  sendBodies,
  startQueueChain,
} from "./support/queue_chain.ts";
import {
  eventCounts,
  numberedLines,
  putLines,
  queueEmpty,
  resultsFor,
  startWorker,
  stateWorld,
  terminate,
} from "./support/worker_fixtures.ts";
import type { ProcessorProcess } from "../scripts/local_aws/processor_process.ts";

const it = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

/** Runs `body` with a worker (DELIVERY_STATE_TABLE set) and cleans everything up. */
async function withWorker(
  ctx: { aws: LocalAws; stateTable: string },
  chain: QueueChain,
  env: Record<string, string>,
  body: (worker: ProcessorProcess) => Promise<void>,
): Promise<void> {
  const worker = startWorker(ctx.aws, chain, { DELIVERY_STATE_TABLE: ctx.stateTable, ...env });
  try {
    await body(worker);
    strictEqual(await terminate(worker), 0);
    strictEqual(ctx.aws.proxy.violations.length, 0, ctx.aws.proxy.violations.join("\n"));
  } finally {
    worker.kill("SIGKILL");
    await worker.exited;
    chain.close();
    await ctx.aws.close();
  }
}

const counts = (aws: LocalAws, c: Customer) => eventCounts(aws, c.account, c.logGroup);
const dlqHolds = (chain: QueueChain, n: number) => async () => {
  const c = await queueCounts(chain, chain.dlqUrl);
  return c.visible === n ? true : undefined;
};

it("resume: a throttling storm (60 % of PutLogEvents) delivers every event exactly once", async () => {
  const ctx = await stateWorld();
  const { aws, customer } = ctx;
  const chain = await startQueueChain(aws, { maxReceiveCount: 1000 });
  const random = seededRandom(60);
  aws.proxy.inject({
    operation: "PutLogEvents",
    status: 400,
    code: "ThrottlingException",
    match: (c) => c.put?.group === customer.logGroup && random() < 0.6,
  });
  await withWorker(ctx, chain, { MAX_BATCH_SIZE: "100" }, async (worker) => {
    for (let i = 0; i < 4; i++) await putLines(aws, customer.tenantId, numberedLines(600, `storm-${i}`));
    await eventually("the queue to drain", () => queueEmpty(chain), 240_000);
    deepStrictEqual(await counts(aws, customer), { total: 2400, distinct: 2400, duplicates: 0 });
    const throttled = aws.proxy.count("PutLogEvents", (c) => c.status === 400);
    ok(throttled >= 10, `${throttled} throttled puts`);
    ok(worker.logs.some((l) => (l.deliveries as { resumed_from?: number }[] | undefined)?.some((d) => d.resumed_from)));
    strictEqual((await queueCounts(chain, chain.dlqUrl)).visible, 0);
  });
});

it("resume: a truncated gzip delivers its readable prefix once and reaches the DLQ after quick receives", async () => {
  const ctx = await stateWorld();
  const { aws, customer } = ctx;
  const chain = await startQueueChain(aws, { maxReceiveCount: 3 });
  const lines = numberedLines(20_000, "truncated");
  const gz = encodeObject(lines.map((l) => vectorRecord(l)));
  const cut = gz.subarray(0, Math.floor(gz.length / 2));
  // What can be got out of the cut bytes at best: the complete lines before the cut.
  const readable = new TextDecoder().decode(gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }));
  const best = readable.split("\n").length - 1;
  ok(best > 5_000 && best < 20_000, `${best} readable lines`);
  // A 30 s visibility timeout: three receives a timeout apart would take a minute.
  await withWorker(ctx, chain, { SQS_VISIBILITY_TIMEOUT_SECONDS: "30", MAX_BATCH_SIZE: "1000" }, async (worker) => {
    const key = objectKey(customer.tenantId);
    await putObject(aws, key, cut);
    const started = Date.now();
    await eventually("the message in the DLQ", dlqHolds(chain, 1), 60_000);
    const elapsed = Date.now() - started;
    ok(elapsed < 25_000, `in the DLQ after ${elapsed} ms, less than one visibility timeout`);
    const results = resultsFor(worker, key);
    deepStrictEqual(results.map((r) => [r.outcome, r.code]), Array(3).fill(["permanent", "CorruptGzip"]));
    // node:zlib hands out what it inflated in 16 KiB pieces and drops the last ones when it fails, a little
    // more or less depending on how the bytes arrived: each receive reads a prefix of the object, and a
    // receive that reads further sends only what is new.
    const reads = results.map((r) => r.events_read as number);
    for (const read of reads) ok(read <= best && read >= best - 1_000, `${read} events read of ${best} readable`);
    const read = Math.max(...reads);
    deepStrictEqual(await counts(aws, customer), { total: read, distinct: read, duplicates: 0 });
    ok(aws.proxy.count("ChangeMessageVisibilityBatch", (c) => c.body.includes('"VisibilityTimeout":0')) >= 2);
  });
});

it("resume: a good record next to a bad key is delivered once, however often the message comes back", async () => {
  const ctx = await stateWorld();
  const { aws, customer } = ctx;
  // The objects exist before the bucket's notification does: only the mixed message names them.
  const lines = numberedLines(1_200, "mixed");
  const good = await putLines(aws, customer.tenantId, lines);
  const chain = await startQueueChain(aws, { maxReceiveCount: 3 });
  await withWorker(ctx, chain, { MAX_BATCH_SIZE: "500" }, async (worker) => {
    await sendBodies(chain.sqs, chain.queueUrl, [snsBody(aws.bucket, good, `${customer.tenantId}/not-the-layout.gz`)]);
    await eventually("the message in the DLQ", dlqHolds(chain, 1));
    deepStrictEqual(await counts(aws, customer), { total: 1_200, distinct: 1_200, duplicates: 0 });
    const results = resultsFor(worker, good);
    strictEqual(results.length, 3);
    deepStrictEqual(
      results.slice(1).map((r) => (r.deliveries as { code?: string }[]).map((d) => d.code)),
      [["AlreadyDelivered"], ["AlreadyDelivered"]],
    );
    strictEqual(aws.proxy.acceptedPuts().length, 3, "1 200 events in batches of 500, sent once");
    strictEqual(aws.proxy.count("PutObjectTagging"), 1, "tagged once, when its completion was remembered");
  });
});

it("resume: a DLQ redrive and a copy of the message re-send nothing that was delivered", async () => {
  const ctx = await stateWorld({ s3: true });
  const { aws, customer, bucket } = ctx;
  const chain = await startQueueChain(aws, { maxReceiveCount: 2 });
  // The archive refuses the object on both receives: the message goes to the DLQ, CloudWatch got everything.
  aws.proxy.inject({
    operation: "PutObject",
    status: 403,
    code: "AccessDenied",
    times: 2,
    match: (c) => c.path.startsWith(`/${bucket}/`),
  });
  await withWorker(ctx, chain, { MAX_BATCH_SIZE: "200" }, async () => {
    const lines = numberedLines(1_000, "redrive");
    const key = await putLines(aws, customer.tenantId, lines);
    await eventually("the message in the DLQ", dlqHolds(chain, 1));
    deepStrictEqual(await listCustomerKeys(aws, customer.account, bucket!), []);
    // Back to the source queue: SQS counts its receives from 1 again.
    const redrive = await runProcessor(
      ["dlq", "redrive", "--method", "copy"],
      processorEnv(aws, { SQS_QUEUE_URL: chain.queueUrl }),
    );
    strictEqual(redrive.code, 0, redrive.stderr);
    await eventually("the redriven message delivered", () => queueEmpty(chain));
    deepStrictEqual(await listCustomerKeys(aws, customer.account, bucket!), [key.split("/").slice(1).join("/")]);
    deepStrictEqual(await counts(aws, customer), { total: 1_000, distinct: 1_000, duplicates: 0 });
    // A copy of the notification (a second subscription, a re-notification): the object completed, nothing is sent.
    const puts = aws.proxy.count("PutLogEvents");
    const objectPuts = aws.proxy.count("PutObject", (c) => c.path.startsWith(`/${bucket}/`));
    await sendBodies(chain.sqs, chain.queueUrl, [snsBody(aws.bucket, key)]);
    await eventually("the copy processed", () => queueEmpty(chain));
    deepStrictEqual(await counts(aws, customer), { total: 1_000, distinct: 1_000, duplicates: 0 });
    strictEqual(aws.proxy.count("PutLogEvents"), puts);
    strictEqual(aws.proxy.count("PutObject", (c) => c.path.startsWith(`/${bucket}/`)), objectPuts);
    strictEqual((await queueCounts(chain, chain.dlqUrl)).visible, 0);
  });
});

it("resume: the steady state costs one GetObject and the PutLogEvents the data needs, no state call", async () => {
  const ctx = await stateWorld();
  const { aws, customer, stateTable } = ctx;
  const chain = await startQueueChain(aws, { maxReceiveCount: 3 });
  await withWorker(ctx, chain, {}, async () => {
    await putLines(aws, customer.tenantId, ["warm-up"]); // creates the group and stream, caches credentials
    await eventually("the warm-up delivered", () => queueEmpty(chain));
    const from = aws.proxy.calls.length;
    const keys: string[] = [];
    for (let i = 0; i < 8; i++) keys.push(await putLines(aws, customer.tenantId, numberedLines(50, `steady-${i}`)));
    await eventually("the queue to drain", () => queueEmpty(chain));
    const calls = aws.proxy.calls.slice(from);
    const ops = (op: string, match = (_: (typeof calls)[number]) => true) =>
      calls.filter((c) => c.operation === op && match(c)).length;
    strictEqual(ops("GetObject"), 8);
    strictEqual(ops("PutLogEvents"), 8);
    strictEqual(ops("GetItem", (c) => c.body.includes(stateTable)), 0);
    strictEqual(ops("UpdateItem", (c) => c.body.includes(stateTable)), 0);
    deepStrictEqual([ops("PutObjectTagging"), ops("GetObjectTagging")], [0, 0]);
    deepStrictEqual(await counts(aws, customer), { total: 401, distinct: 401, duplicates: 0 });
  });
});

it("resume: an object past MAX_OBJECT_LINES is a permanent ObjectTooLarge; what was read is delivered once", async () => {
  const ctx = await stateWorld();
  const { aws, customer } = ctx;
  const chain = await startQueueChain(aws, { maxReceiveCount: 2 });
  await withWorker(ctx, chain, { MAX_OBJECT_LINES: "20000" }, async (worker) => {
    const key = await putLines(aws, customer.tenantId, numberedLines(40_000, "capped"));
    await eventually("the message in the DLQ", dlqHolds(chain, 1));
    const results = resultsFor(worker, key);
    deepStrictEqual(results.map((r) => r.code), ["ObjectTooLarge", "ObjectTooLarge"]);
    match(String(results[0]!.reason), /more than 20000 lines \(raise MAX_OBJECT_LINES/);
    const read = results[0]!.events_read as number;
    ok(read > 0 && read <= 20_000, `${read} events read before the cap`);
    // The second attempt resumes where the first one's delivered events end, and may get a little further
    // (how far reading ran ahead of delivery when the cap was hit varies with the machine's load).
    const reach = Math.max(...results.map((r) => {
      const d = (r.deliveries as { resumed_from?: number; events_delivered: number }[])[0];
      return (d?.resumed_from ?? 0) + (d?.events_delivered ?? 0);
    }));
    ok(reach >= read && reach <= 20_000, `the attempts delivered up to event ${reach}; the first read ${read}`);
    deepStrictEqual(await counts(aws, customer), { total: reach, distinct: reach, duplicates: 0 });
    deepStrictEqual(await peekBodies(chain, chain.dlqUrl).then((b) => b.length), 1);
  });
});
