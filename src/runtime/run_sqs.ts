/**
 * Wiring of `--mode sqs`: the SQS client, the worker, the signals, the
 * optional HTTP endpoint and the optional periodic EMF output around a built
 * pipeline. Resolves to the exit status.
 *
 * @module
 */
import { clientSettings, type Config, type ListenAddress } from "../config.ts";
import type { MessageContext } from "../pipeline/pipeline_deps.ts";
import type { MessageResult } from "../results.ts";
import type { Logger } from "../telemetry/logger.ts";
import { Metrics } from "../telemetry/metrics.ts";
import { monitorEventLoopLag } from "../telemetry/process_metrics.ts";
import { serveEndpoint } from "./http_endpoint.ts";
import { seedWorkerMetrics } from "./metric_seeds.ts";
import { onShutdownSignal } from "./shutdown_signals.ts";
import { SqsQueue } from "./sqs_queue.ts";
import { SqsWorker } from "./sqs_worker.ts";
import { startWorkerEmf } from "./worker_emf.ts";

/** What `--mode sqs` needs. */
export interface SqsModeOptions {
  /** The worker's timing, the queue URL and the SDK settings come from here. */
  readonly config: Config;
  processBody(body: string, context?: MessageContext): Promise<MessageResult>;
  readonly logger: Logger;
  /** `--listen`: serve /livez, /healthz and /metrics there. */
  readonly listen?: ListenAddress;
  /** Subscribes to shutdown signals (default {@link onShutdownSignal}; main hands over those caught at start). */
  readonly signals?: (onSignal: (hurry: boolean, signal: Deno.Signal) => void) => () => void;
}

/** Runs the worker until SIGTERM/SIGINT; 0 after a clean shutdown. */
export async function runSqsMode(options: SqsModeOptions): Promise<number> {
  const { config, logger, listen } = options;
  if (!config.queueUrl) throw new Error("sqs mode needs SQS_QUEUE_URL");
  const queue = new SqsQueue(config.queueUrl, clientSettings(config));
  const metrics = seedWorkerMetrics(new Metrics());
  const stopLagMonitor = monitorEventLoopLag(metrics);
  const emf = startWorkerEmf(config, { metrics, logger }); // METRICS_EMF_INTERVAL_SECONDS: EMF on stdout
  const worker = new SqsWorker({
    queue,
    processBody: options.processBody,
    concurrency: config.concurrency,
    receiveBuffer: config.receiveBuffer,
    tenantMaxInFlight: config.tenantMaxInFlight,
    waitTimeSeconds: config.sqsWaitTimeSeconds,
    visibilityTimeoutSeconds: config.sqsVisibilityTimeoutSeconds,
    retryVisibility: {
      baseSeconds: config.retryVisibilityBaseSeconds,
      maxSeconds: config.retryVisibilityMaxSeconds,
    },
    graceMs: config.shutdownGraceMs,
    queueRetry: {
      retries: Math.max(3, config.retryAttempts),
      baseDelayMs: config.retryBaseDelayMs,
      maxDelayMs: config.retryMaxDelayMs,
    },
    metrics,
    logger,
  });
  const removeSignals = (options.signals ?? onShutdownSignal)((hurry, signal) => {
    logger.info("signal received", { signal, hurry });
    worker.stop(hurry);
  });
  const server = listen ? serveEndpoint(listen, { metrics, health: () => worker.health(), logger }) : undefined;
  try {
    await worker.run();
  } finally {
    removeSignals();
    stopLagMonitor();
    emf?.stop(); // the last interval, after in-flight work and its deletes
    await server?.shutdown();
    queue.destroy();
  }
  return 0;
}
