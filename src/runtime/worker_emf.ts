/**
 * The SQS worker's EMF output (`METRICS_EMF_INTERVAL_SECONDS`): its metrics
 * as EMF documents on stdout every interval and at shutdown, in the Lambda's
 * layout (namespace `POWERTOOLS_METRICS_NAMESPACE`, dimension `service` =
 * `POWERTOOLS_SERVICE_NAME`), for the SQS stack's CloudWatch dashboard. The
 * worker's logs are on stderr, so stdout carries nothing else.
 *
 * @module
 */
import type { Config } from "../config.ts";
import { type PeriodicEmf, startPeriodicEmf } from "../telemetry/emf_flusher.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { Metrics } from "../telemetry/metrics.ts";
import { writeLinesSync } from "./stdout_lines.ts";

/** What {@link startWorkerEmf} writes, where it says so, and (tests) where the lines go. */
export interface WorkerEmfOptions {
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Default: stdout. */
  readonly emit?: (lines: readonly string[]) => void;
}

/** Starts the periodic EMF output of `metrics`; undefined when `config.emfIntervalMs` is 0 (off). */
export function startWorkerEmf(
  config: Pick<Config, "emfIntervalMs" | "metricsNamespace" | "serviceName">,
  { metrics, logger, emit = (lines) => writeLinesSync(lines) }: WorkerEmfOptions,
): PeriodicEmf | undefined {
  if (config.emfIntervalMs <= 0) return undefined;
  logger.info("EMF metrics on stdout", {
    intervalSeconds: config.emfIntervalMs / 1000,
    namespace: config.metricsNamespace,
  });
  return startPeriodicEmf({
    metrics,
    intervalMs: config.emfIntervalMs,
    namespace: config.metricsNamespace,
    dimensions: { service: config.serviceName },
    emit,
    logger,
  });
}
