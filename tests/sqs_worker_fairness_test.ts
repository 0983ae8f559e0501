/**
 * Per-tenant fairness of the SQS worker end to end against moto: one tenant
 * whose every PutLogEvents is throttled, with ten times the objects of the
 * others, queued ahead of and among theirs. The others' objects are all
 * delivered, exactly once, while the noisy tenant never has more than
 * TENANT_MAX_IN_FLIGHT objects in flight, and none of its messages is lost.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { freePort } from "../scripts/local_aws/free_port.ts";
import {
  cloudWatchItem,
  type Customer,
  newCustomer,
  putTenantItem,
  registerCluster,
  startLocalAws,
} from "./support/fixtures.ts";
import { eventually, queueCounts, startQueueChain } from "./support/queue_chain.ts";
import { deliveredLines, numberedLines, putLines, startWorker, terminate } from "./support/worker_fixtures.ts";

const NOISY_OBJECTS = 120;
const QUIET_OBJECTS_EACH = 6;
const CAP = 2;

Deno.test({
  name: "worker fairness: a throttled tenant with 10× the objects keeps to its cap; the others are all delivered",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const aws = await startLocalAws();
    // Never to the DLQ during the test: the noisy tenant's messages come back again and again.
    const chain = await startQueueChain(aws, { maxReceiveCount: 1000 });
    const noisy = newCustomer(aws);
    const quiet = [newCustomer(aws), newCustomer(aws)] as const;
    for (const c of [noisy, ...quiet]) await putTenantItem(aws, cloudWatchItem(c));
    await registerCluster(aws, [noisy, ...quiet]);
    aws.proxy.inject({
      operation: "PutLogEvents",
      status: 400,
      code: "ThrottlingException",
      match: (c) => c.put?.group === noisy.logGroup,
    });
    // Reading a noisy object takes a while, so its messages in flight are its GetObject calls open at once.
    const isNoisyGet = (c: { path: string }) => c.path.includes(`/${noisy.tenantId}/`);
    aws.proxy.delay({ operation: "GetObject", ms: 200, match: isNoisyGet });
    const quietLines = new Map<Customer, string[]>(quiet.map((c) => [c, []]));
    for (let i = 0; i < NOISY_OBJECTS; i++) {
      await putLines(aws, noisy.tenantId, numberedLines(5, `noisy-${i}`));
      if (i % 10 === 9) {
        const c = quiet[(i / 10) % 2 < 1 ? 0 : 1];
        const lines = numberedLines(5, `quiet-${i}`);
        await putLines(aws, c.tenantId, lines);
        quietLines.get(c)!.push(...lines);
      }
    }
    for (const lines of quietLines.values()) strictEqual(lines.length, QUIET_OBJECTS_EACH * 5);
    const port = freePort();
    const worker = startWorker(aws, chain, { CONCURRENCY: "4", TENANT_MAX_IN_FLIGHT: String(CAP) }, [
      "--listen",
      `127.0.0.1:${port}`,
    ]);
    try {
      for (const [c, lines] of quietLines) {
        const sorted = [...lines].sort();
        await eventually(`${c.tenantId}'s objects delivered`, async () => {
          const got = await deliveredLines(aws, c.account, c.logGroup);
          return got.length >= sorted.length ? got : undefined;
        }, 120_000).then((got) => deepStrictEqual(got, sorted, "every line exactly once"));
      }
      const peak = aws.proxy.peakInFlight("GetObject", isNoisyGet);
      ok(peak >= 1 && peak <= CAP, `the noisy tenant had ${peak} objects in flight at once (cap ${CAP})`);
      ok(aws.proxy.count("PutLogEvents", (c) => c.put?.group === noisy.logGroup) > 0, "the noisy tenant was tried");
      strictEqual(aws.proxy.acceptedPuts().filter((p) => p.group === noisy.logGroup).length, 0);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      match(metrics, /^log_processor_messages_deferred_total [1-9]\d*$/m);
      strictEqual(await terminate(worker), 0);
      // Nothing of the noisy tenant was lost: every one of its messages is still in the queue.
      await eventually("the noisy messages back in the queue", async () => {
        const c = await queueCounts(chain);
        return c.visible + c.inFlight === NOISY_OBJECTS ? true : undefined;
      });
      const dlq = await queueCounts(chain, chain.dlqUrl);
      strictEqual(dlq.visible + dlq.inFlight, 0);
    } finally {
      worker.kill("SIGKILL");
      await worker.exited;
      chain.close();
      await aws.close();
    }
  },
});
