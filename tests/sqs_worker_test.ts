/**
 * The SQS worker end to end against moto: objects put into the central
 * bucket reach the worker through the real notification chain (S3 → SNS →
 * SQS, wired through the API) and end in each customer's CloudWatch Logs.
 * Every test asserts what is left in the queue and the DLQ.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { freePort } from "../scripts/local_aws/free_port.ts";
import {
  cloudWatchItem,
  createCustomerBucket,
  createDeliveryStateTable,
  encodeObject,
  listCustomerKeys,
  newCustomer,
  putObject,
  putTenantItem,
  registerCluster,
  s3Item,
  startLocalAws,
  vectorRecord,
} from "./support/fixtures.ts";
import { eventually, peekBodies, startQueueChain } from "./support/queue_chain.ts";
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

it("worker: delivered and skipped are deleted, throttled is retried then delivered, permanent ends in the DLQ", async () => {
  const aws = await startLocalAws();
  const chain = await startQueueChain(aws, { maxReceiveCount: 2 });
  const a = newCustomer(aws);
  const b = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(a));
  await putTenantItem(aws, cloudWatchItem(b));
  await registerCluster(aws, [a, b, "tenant-nobody-configured"]);
  // b's first PutLogEvents is throttled; ReceiveMessage fails twice on the way.
  aws.proxy.inject({
    operation: "PutLogEvents",
    status: 400,
    code: "ThrottlingException",
    times: 1,
    match: (c) => c.put?.group === b.logGroup,
  });
  // ReceiveMessage fails 4 times: more than the SDK's own 3 attempts, so the worker sees it.
  aws.proxy.inject({ operation: "ReceiveMessage", status: 500, code: "InternalFailure", times: 4 });
  // A port the kernel says is free (a random one can collide with a client socket of a parallel test).
  const port = freePort();
  const worker = startWorker(aws, chain, {}, ["--listen", `127.0.0.1:${port}`]);
  try {
    const aLines = numberedLines(30, "a");
    const bLines = numberedLines(20, "b");
    await putLines(aws, a.tenantId, aLines);
    await putLines(aws, b.tenantId, bLines);
    await putLines(aws, "tenant-nobody-configured", numberedLines(3, "unknown")); // skipped
    const badKey = `${a.tenantId}/not-the-layout.json.gz`;
    await putObject(aws, badKey, encodeObject([vectorRecord("x")])); // permanent
    await eventually("the queue to drain", () => queueEmpty(chain));
    const dlq = await eventually("the permanent message in the DLQ", async () => {
      const bodies = await peekBodies(chain, chain.dlqUrl);
      return bodies.length > 0 ? bodies : undefined;
    });
    strictEqual(dlq.length, 1);
    match(dlq[0]!, /not-the-layout/);
    deepStrictEqual(await deliveredLines(aws, a.account, a.logGroup), aLines);
    deepStrictEqual(
      await deliveredLines(aws, b.account, b.logGroup),
      bLines,
      "throttled once, then delivered exactly once",
    );
    ok(aws.proxy.count("ChangeMessageVisibilityBatch", (c) => /"VisibilityTimeout":[01]\b/.test(c.body)) >= 1);
    strictEqual(aws.proxy.count("DeleteMessageBatch") >= 1, true);
    strictEqual(aws.proxy.violations.length, 0);
    // /healthz and /metrics
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    strictEqual(health.status, 200);
    await health.body?.cancel();
    const live = await fetch(`http://127.0.0.1:${port}/livez`);
    strictEqual(live.status, 200);
    await live.body?.cancel();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    match(metrics, /^log_processor_messages_total\{outcome="delivered"\} 2$/m);
    // Skipped: the unknown tenant and the s3:TestEvent S3 sends when the notification is configured.
    match(metrics, /^log_processor_messages_total\{outcome="skipped"\} 2$/m);
    match(metrics, /^log_processor_messages_total\{outcome="permanent"\} 2$/m);
    match(metrics, /^log_processor_events_delivered_total\{type="cloudwatch"\} 50$/m);
    match(metrics, /^log_processor_failures_total\{class="retryable",code="ThrottlingException"\} 1$/m);
    match(metrics, /^log_processor_queue_errors_total\{operation="ReceiveMessage"\} 1$/m);
    // Latency: the age of both delivered objects since their S3 event, under a minute here.
    match(metrics, /^log_processor_delivery_age_seconds_count 2$/m);
    match(metrics, /^log_processor_delivery_age_seconds_bucket\{le="60"\} 2$/m);
    match(metrics, /^log_processor_object_duration_seconds_count\{outcome="delivered"\} 2$/m);
    match(metrics, /^log_processor_object_duration_seconds_count\{outcome="retryable"\} 1$/m);
    // Seeded families and the process' own metrics.
    match(metrics, /^log_processor_events_delivered_total\{type="s3"\} 0$/m);
    match(metrics, /^log_processor_failures_total\{class="permanent",code="AccessDenied"\} 0$/m);
    match(metrics, /^process_resident_memory_bytes [1-9]\d{6,}$/m);
    match(metrics, /^process_cpu_seconds_total \d+(\.\d+)?$/m);
    match(metrics, /^log_processor_event_loop_lag_seconds_count [1-9]\d*$/m);
    strictEqual(await terminate(worker), 0);
    ok(worker.logs.some((l) => l.msg === "ReceiveMessage failed; retrying"));
    ok(worker.logs.some((l) => l.msg === "object not delivered (permanent)" && l.code === "InvalidKey"));
  } finally {
    worker.kill("SIGKILL");
    await worker.exited;
    chain.close();
    await aws.close();
  }
});

it("worker: with DELIVERY_STATE_TABLE a redelivered message skips the delivery that already succeeded", async () => {
  const aws = await startLocalAws();
  const chain = await startQueueChain(aws, { maxReceiveCount: 5 });
  const stateTable = await createDeliveryStateTable(aws);
  const c = newCustomer(aws);
  const bucket = await createCustomerBucket(aws, c);
  await putTenantItem(aws, cloudWatchItem(c));
  await putTenantItem(aws, s3Item(c, bucket));
  await registerCluster(aws, [c]);
  // The S3 delivery fails once with a retryable error; its CloudWatch sibling succeeds on the first receive.
  aws.proxy.inject({
    operation: "PutObject",
    status: 503,
    code: "SlowDown",
    times: 1,
    match: (call) => call.path.startsWith(`/${bucket}/`),
  });
  const worker = startWorker(aws, chain, { DELIVERY_STATE_TABLE: stateTable });
  try {
    const lines = numberedLines(25, "state");
    const key = await putLines(aws, c.tenantId, lines);
    await eventually("the queue to drain", () => queueEmpty(chain));
    deepStrictEqual(await deliveredLines(aws, c.account, c.logGroup), lines, "CloudWatch got every line exactly once");
    strictEqual(aws.proxy.acceptedPuts().length, 1, "no PutLogEvents on the redelivery");
    deepStrictEqual(await listCustomerKeys(aws, c.account, bucket), [key.split("/").slice(1).join("/")]);
    ok(aws.proxy.count("GetItem", (c) => c.body.includes(stateTable)) >= 1, "the redelivery consulted the state table");
    strictEqual(await terminate(worker), 0);
  } finally {
    worker.kill("SIGKILL");
    await worker.exited;
    chain.close();
    await aws.close();
  }
});
