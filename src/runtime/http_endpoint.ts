/**
 * The worker's optional HTTP endpoint (`--listen host:port`): `/livez` (the
 * process answers: liveness), `/healthz` (the worker can do its job:
 * readiness) and `/metrics` in Prometheus text format (the counters and
 * histograms, the worker's gauges and the process' memory and CPU).
 *
 * Liveness must not depend on SQS: `/healthz` turns 503 after a few failed
 * receives in a row, and a liveness probe on it would restart every pod in a
 * loop during an SQS outage, which restarting cannot fix.
 *
 * @module
 */
import type { ListenAddress } from "../config.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { Metrics } from "../telemetry/metrics.ts";
import { processMetrics, type ProcessStats, readProcessStats } from "../telemetry/process_metrics.ts";
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from "../telemetry/prometheus.ts";
import type { WorkerHealth } from "./phase_machine.ts";

/** The paths the endpoint serves. */
export const PATHS = ["/livez", "/healthz", "/metrics"] as const;

/** What the endpoint serves. */
export interface EndpointSources {
  readonly metrics: Metrics;
  health(): WorkerHealth;
  /** The process' memory and CPU (default: this process'). */
  processStats?(): ProcessStats;
}

/** Answers one request (exported for tests without a socket). */
function handleRequest(req: Request, sources: EndpointSources): Response {
  const path = new URL(req.url).pathname;
  if (req.method !== "GET" && req.method !== "HEAD") return new Response("method not allowed\n", { status: 405 });
  if (path === "/livez") return Response.json({ alive: true });
  if (path === "/healthz") {
    const health = sources.health();
    return Response.json(health, { status: health.ok ? 200 : 503 });
  }
  if (path === "/metrics") {
    const health = sources.health();
    const body = formatPrometheus(sources.metrics, [
      { name: "log_processor_in_flight_messages", help: "Messages being processed now.", value: health.inFlight },
      {
        name: "log_processor_receive_errors_in_a_row",
        help: "ReceiveMessage failures since the last success.",
        value: health.consecutiveReceiveErrors,
      },
      ...processMetrics((sources.processStats ?? readProcessStats)()),
    ]);
    return new Response(body, { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } });
  }
  return new Response(`not found: try ${PATHS.join(", ")}\n`, { status: 404 });
}

/** What {@link serveEndpoint} serves, and where it logs that it listens. */
export interface EndpointOptions extends EndpointSources {
  readonly logger: Logger;
}

/** Serves the endpoint on `address` until the returned server is shut down. */
export function serveEndpoint(address: ListenAddress, options: EndpointOptions): Deno.HttpServer {
  return Deno.serve({
    hostname: address.hostname,
    port: address.port,
    onListen: ({ hostname, port }) => options.logger.info("listening", { hostname, port, paths: PATHS }),
  }, (req) => handleRequest(req, options));
}
