/**
 * Process metrics under Prometheus' standard names (resident memory, CPU
 * seconds, start time) plus the V8 heap in use, and an event-loop lag
 * monitor that feeds {@link HISTOGRAMS.eventLoopLag}. Read at scrape time
 * (the lag timer fires twice a second), never on the processing path.
 *
 * @module
 */
import process from "node:process";
import { HISTOGRAMS } from "./histogram.ts";
import type { Metrics } from "./metrics.ts";
import type { ExtraMetric } from "./prometheus.ts";

/** What the process uses now. */
export interface ProcessStats {
  readonly residentBytes: number;
  readonly heapUsedBytes: number;
  /** User + system CPU time since the process started. */
  readonly cpuSeconds: number;
  /** Epoch seconds when the process started. */
  readonly startTimeSeconds: number;
}

/** The current {@link ProcessStats} of this process. */
export function readProcessStats(): ProcessStats {
  const memory = Deno.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    residentBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    startTimeSeconds: Math.round(performance.timeOrigin) / 1000,
  };
}

/** `stats` as Prometheus families. */
export function processMetrics(stats: ProcessStats): ExtraMetric[] {
  return [
    { name: "process_resident_memory_bytes", help: "Resident memory size in bytes.", value: stats.residentBytes },
    {
      name: "process_cpu_seconds_total",
      help: "Total user and system CPU time spent in seconds.",
      value: stats.cpuSeconds,
      type: "counter",
    },
    {
      name: "process_start_time_seconds",
      help: "Start time of the process since unix epoch in seconds.",
      value: stats.startTimeSeconds,
    },
    { name: "log_processor_heap_used_bytes", help: "V8 heap in use, in bytes.", value: stats.heapUsedBytes },
  ];
}

/** How often the lag timer fires. */
export const LAG_INTERVAL_MS = 500;

/**
 * Measures event-loop lag: a timer due every `intervalMs` records how late
 * it fired. Returns a function that stops it. The timer never keeps the
 * process alive.
 */
export function monitorEventLoopLag(
  metrics: Metrics,
  options: { readonly intervalMs?: number; readonly now?: () => number } = {},
): () => void {
  const intervalMs = options.intervalMs ?? LAG_INTERVAL_MS;
  const now = options.now ?? (() => performance.now());
  let due = now() + intervalMs;
  const timer = setInterval(() => {
    const at = now();
    metrics.observe(HISTOGRAMS.eventLoopLag, {}, Math.max(0, at - due) / 1000);
    due = at + intervalMs;
  }, intervalMs);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}
