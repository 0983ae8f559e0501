/**
 * The event loop stays free (issue 12): while the SQS worker burns CPU on a
 * gzip bomb (1 MiB that inflates to 1 GiB of newlines), `/livez` answers
 * within a second, another tenant's objects are delivered meanwhile, and the
 * heartbeat keeps the bomb's message hidden (no second worker or receive
 * takes it while it is being read).
 */
import { Buffer } from "node:buffer";
import { gzipSync } from "node:zlib";
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { freePort } from "../scripts/local_aws/free_port.ts";
import {
  cloudWatchItem,
  newCustomer,
  objectKey,
  putObject,
  putTenantItem,
  registerCluster,
  startLocalAws,
} from "./support/fixtures.ts";
import { eventually, startQueueChain } from "./support/queue_chain.ts";
import { deliveredLines, numberedLines, putLines, startWorker } from "./support/worker_fixtures.ts";

/** 16 gzip members of 64 MiB of newlines each: about 1 MiB that inflates to 1 GiB. */
function newlineBomb(): Uint8Array {
  const member = gzipSync(new Uint8Array(64 * 1024 * 1024).fill(0x0a), { level: 9 });
  return new Uint8Array(Buffer.concat(Array.from({ length: 16 }, () => member)));
}

/** Milliseconds `/livez` takes to answer 200; Infinity when it does not within `limitMs`. */
async function livezMs(port: number, limitMs: number): Promise<number> {
  const started = performance.now();
  try {
    const res = await fetch(`http://127.0.0.1:${port}/livez`, { signal: AbortSignal.timeout(limitMs) });
    await res.body?.cancel();
    return res.status === 200 ? performance.now() - started : Infinity;
  } catch {
    return Infinity;
  }
}

Deno.test({
  name: "event loop: /livez answers within 1 s and other tenants are served while a 1 GiB gzip bomb is read",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const aws = await startLocalAws();
    const chain = await startQueueChain(aws, { maxReceiveCount: 5 });
    const bomber = newCustomer(aws);
    const other = newCustomer(aws);
    for (const c of [bomber, other]) await putTenantItem(aws, cloudWatchItem(c));
    await registerCluster(aws, [bomber, other]);
    const port = freePort();
    // Caps high enough that the bomb is read all the way (the test ends before it is).
    const worker = startWorker(aws, chain, { MAX_OBJECT_LINES: "2000000000" }, ["--listen", `127.0.0.1:${port}`]);
    try {
      const bomb = newlineBomb();
      ok(bomb.length < 1.1 * 1024 * 1024, `${bomb.length} bytes`);
      const bombKey = objectKey(bomber.tenantId);
      await eventually("the worker listening", async () => await livezMs(port, 1_000) < Infinity || undefined);
      await putObject(aws, bombKey, bomb);
      const reads = () => aws.proxy.count("GetObject", (c) => c.path.endsWith(bombKey));
      await eventually("the bomb being read", () => Promise.resolve(reads() > 0 || undefined));
      const lines = numberedLines(20, "meanwhile");
      for (let i = 0; i < 4; i++) await putLines(aws, other.tenantId, lines.slice(i * 5, i * 5 + 5));
      const probes: number[] = [];
      const delivered = eventually("the other tenant's objects", async () => {
        probes.push(await livezMs(port, 1_000));
        const got = await deliveredLines(aws, other.account, other.logGroup);
        return got.length === 20 ? got : undefined;
      }, 30_000);
      deepStrictEqual(await delivered, [...lines].sort());
      // A few more seconds of bomb: the probes keep answering and the visibility (2 s) keeps being extended.
      const until = Date.now() + 6_000;
      while (Date.now() < until) {
        probes.push(await livezMs(port, 1_000));
        await new Promise((r) => setTimeout(r, 250));
      }
      ok(probes.length >= 10, `${probes.length} probes`);
      ok(Math.max(...probes) < 1_000, `slowest /livez ${Math.round(Math.max(...probes))} ms`);
      strictEqual(worker.logs.some((l) => l.key === bombKey && l.outcome), false, "the bomb is still being read");
      strictEqual(reads(), 1, "no second receive took the bomb's message meanwhile");
    } finally {
      worker.kill("SIGKILL");
      await worker.exited;
      chain.close();
      await aws.close();
    }
  },
});
