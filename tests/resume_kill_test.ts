/**
 * Resume after SIGKILL (issue 12): a long object is checkpointed while it
 * runs, so killing the worker six times mid-object re-sends at most one
 * checkpoint interval (PROGRESS_CHECKPOINT_EVENTS) plus the batch in flight
 * per kill; and a SIGTERM while the worker is still starting is a graceful
 * stop (exit 0), not the default action's exit 143.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { startLocalAws } from "./support/fixtures.ts";
import { eventually, queueCounts, startQueueChain } from "./support/queue_chain.ts";
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

const it = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

const EVENTS = 20_000;
const BATCH = 500;
const CHECKPOINT_EVENTS = 1_000;
const KILLS = 6;

it("resume: SIGKILL ×6 mid-object re-sends at most one checkpoint interval and a batch per kill", async () => {
  const { aws, stateTable, customer: c } = await stateWorld();
  const chain = await startQueueChain(aws, { maxReceiveCount: 20 });
  // Every batch takes a while, so each kill lands with one in flight (a killed worker's held call never arrives).
  aws.proxy.delay({ operation: "PutLogEvents", ms: 150, match: (call) => call.put?.group === c.logGroup });
  const env = {
    DELIVERY_STATE_TABLE: stateTable,
    MAX_BATCH_SIZE: String(BATCH),
    PROGRESS_CHECKPOINT_EVENTS: String(CHECKPOINT_EVENTS),
    PROGRESS_CHECKPOINT_SECONDS: "0",
  };
  const accepted = () => aws.proxy.acceptedPuts().length;
  const workers: ReturnType<typeof startWorker>[] = [];
  try {
    const key = await putLines(aws, c.tenantId, numberedLines(EVENTS, "killed"));
    for (let kill = 0; kill < KILLS; kill++) {
      const before = accepted();
      const worker = startWorker(aws, chain, env);
      workers.push(worker);
      await eventually("a few batches accepted", () => Promise.resolve(accepted() >= before + 4 || undefined));
      worker.kill("SIGKILL");
      strictEqual(await worker.exited, 137);
    }
    const last = startWorker(aws, chain, env);
    workers.push(last);
    await eventually("the object delivered", () => queueEmpty(chain), 120_000);
    strictEqual(await terminate(last), 0);
    const counts = await eventCounts(aws, c.account, c.logGroup);
    if (counts.distinct !== EVENTS) {
      // What a reader of a failure needs: where the message went and what each worker said about it.
      console.error("dead-letter queue:", await queueCounts(chain, chain.dlqUrl));
      workers.forEach((w, i) =>
        console.error(`worker ${i}:`, JSON.stringify(w.logs.filter((l) => l.level !== "debug" && l.level !== "info")))
      );
      console.error("last worker's results:", JSON.stringify(resultsFor(last, key)));
    }
    strictEqual(counts.distinct, EVENTS, "every event delivered");
    const bound = KILLS * (CHECKPOINT_EVENTS + BATCH);
    ok(counts.duplicates <= bound, `${counts.duplicates} duplicates, at most ${bound}`);
    const [done] = resultsFor(last, key);
    const resumedFrom = (done?.deliveries as { resumed_from?: number }[] | undefined)?.[0]?.resumed_from ?? 0;
    ok(resumedFrom >= KILLS * 4 * BATCH - bound, `the last attempt resumed from event ${resumedFrom}`);
    strictEqual((await queueCounts(chain, chain.dlqUrl)).visible, 0);
    deepStrictEqual(aws.proxy.violations, []);
  } finally {
    for (const w of workers) w.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    chain.close();
    await aws.close();
  }
});

it("worker SIGTERM while it is still starting: a graceful stop, exit 0 (not 143)", async () => {
  const aws = await startLocalAws();
  const chain = await startQueueChain(aws);
  const worker = startWorker(aws, chain, { LOG_LEVEL: "debug" });
  try {
    // The first log line: the signals are caught, the modes (the AWS SDK) are loading (how far they got when the
    // signal lands varies; src/runtime/shutdown_signals_test.ts holds a signal for certain before the hand-over).
    while (!worker.logs.some((l) => l.msg === "loading the modes")) await new Promise((r) => setTimeout(r, 2));
    strictEqual(await terminate(worker), 0, worker.stderr().slice(-1000));
    ok(worker.logs.some((l) => l.msg === "signal received" && l.signal === "SIGTERM"));
    ok(worker.logs.some((l) => l.msg === "sqs worker stopped"));
  } finally {
    worker.kill("SIGKILL");
    await worker.exited;
    chain.close();
    await aws.close();
  }
});
