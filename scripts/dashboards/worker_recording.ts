/**
 * Phase one of the render: a real worker subprocess (`--mode sqs --listen`)
 * on a queue chain against moto, fed by {@link runTraffic}, its `/metrics`
 * scraped every `scrapeMs` into a {@link Recording} until the queue is drained.
 *
 * @module
 */
import { freePort } from "../local_aws/free_port.ts";
import type { LocalAws } from "../../tests/support/fixtures.ts";
import { startQueueChain } from "../../tests/support/queue_chain.ts";
import { startWorker } from "../../tests/support/worker_fixtures.ts";
import { parsePrometheusText, Recording } from "./prometheus_text.ts";
import { drainThenIdle, runTraffic, type World } from "./traffic.ts";

/** What the worker served over the run. */
export interface WorkerRecording {
  readonly recording: Recording;
  readonly times: number[];
  readonly objects: number;
}

/** Worker settings of the run: production-like retry backoff, scaled to a few minutes. */
const WORKER_ENV = {
  CONCURRENCY: "8",
  SQS_VISIBILITY_TIMEOUT_SECONDS: "10",
  RETRY_VISIBILITY_BASE_SECONDS: "5",
  RETRY_VISIBILITY_MAX_SECONDS: "20",
  RETRY_ATTEMPTS: "1",
};

/** Runs the worker through `seconds` of traffic and the drain after it. */
export async function recordWorker(
  aws: LocalAws,
  world: World,
  options: { readonly seconds: number; readonly scrapeMs: number; readonly log: (line: string) => void },
): Promise<WorkerRecording> {
  const chain = await startQueueChain(aws, { maxReceiveCount: 3, visibilityTimeoutSeconds: 10 });
  const port = freePort();
  const worker = startWorker(aws, chain, WORKER_ENV, ["--listen", `127.0.0.1:${port}`]);
  const recording = new Recording();
  const times: number[] = [];
  const scrape = async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      if (!res.ok) return void await res.body?.cancel();
      const at = Date.now();
      recording.add(at, parsePrometheusText(await res.text()), { job: "log-processor", pod: "log-processor-0" });
      times.push(at);
    } catch { /* not listening yet */ }
  };
  const timer = setInterval(scrape, options.scrapeMs);
  try {
    const objects = await runTraffic(aws, world, {
      seconds: options.seconds,
      tick: (t) => t % 30 === 29 ? options.log(`worker: ${t + 1} s of traffic`) : undefined,
    });
    await drainThenIdle(chain);
    options.log(`worker: ${objects} objects, ${times.length} scrapes`);
    return { recording, times, objects };
  } finally {
    clearInterval(timer);
    worker.kill("SIGTERM");
    await worker.exited;
    chain.close();
  }
}
