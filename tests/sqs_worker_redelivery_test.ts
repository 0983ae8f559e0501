/**
 * The SQS worker against moto when SQS hands a message out again to the
 * worker still processing it (its heartbeats failed, so the visibility timeout
 * ran out): the copy is folded into the message in progress, the object is
 * read and delivered once, and the message leaves the queue.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { cloudWatchItem, newCustomer, putTenantItem, registerCluster, startLocalAws } from "./support/fixtures.ts";
import { eventually, startQueueChain } from "./support/queue_chain.ts";
import { eventCounts, numberedLines, putLines, queueEmpty, startWorker, terminate } from "./support/worker_fixtures.ts";

Deno.test({
  name: "worker: a message handed out again while it is processed is delivered once and deleted",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const aws = await startLocalAws();
    const chain = await startQueueChain(aws, { maxReceiveCount: 5 });
    const customer = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(customer));
    await registerCluster(aws, [customer.tenantId]);
    // Every heartbeat fails, and the first PutLogEvents takes 5 s: the 2 s visibility timeout runs out meanwhile.
    aws.proxy.inject({
      operation: "ChangeMessageVisibilityBatch",
      status: 500,
      code: "InternalFailure",
      times: 10_000,
    });
    aws.proxy.delay({ operation: "PutLogEvents", ms: 5_000, times: 1 });
    const worker = startWorker(aws, chain, { SQS_VISIBILITY_TIMEOUT_SECONDS: "2", RETRY_ATTEMPTS: "0" });
    try {
      await putLines(aws, customer.tenantId, numberedLines(40, "once"));
      const folded = await eventually(
        "the worker to see the copy",
        () =>
          Promise.resolve(
            worker.logs.find((l) => l.msg === "SQS handed out messages again; not delivering them twice"),
          ),
      );
      deepStrictEqual((folded.held as unknown[]).length, 1);
      await eventually("the queue to drain", () => queueEmpty(chain));
      strictEqual(await terminate(worker), 0);
      strictEqual(aws.proxy.count("GetObject"), 1, "the object was read once");
      deepStrictEqual(await eventCounts(aws, customer.account, customer.logGroup), {
        total: 40,
        distinct: 40,
        duplicates: 0,
      });
      const delivered = worker.logs.filter((l) => l.outcome === "delivered" && Array.isArray(l.deliveries));
      strictEqual(delivered.length, 1, "one result line: processed once");
      ok(aws.proxy.count("DeleteMessageBatch") >= 1);
    } finally {
      worker.kill("SIGKILL");
      await worker.exited;
      chain.close();
      await aws.close();
    }
  },
});
