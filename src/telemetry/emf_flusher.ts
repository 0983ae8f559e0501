/**
 * Periodic EMF output of a long-running process (the SQS worker with
 * `METRICS_EMF_INTERVAL_SECONDS`): every interval, what the {@link Metrics}
 * counted since the previous flush ({@link metricsDelta}) goes out as EMF
 * documents ({@link formatEmf}, the Lambda runtime's formatter: the same
 * names, units and dimensions), and a last flush when the process stops.
 * A flush costs a pass over the series and one write: nothing happens per
 * message or event. Nothing is written for an idle interval.
 *
 * @module
 */
import { formatEmf } from "./emf.ts";
import type { Logger } from "./logger.ts";
import {
  EMPTY_SNAPSHOT,
  metricsDelta,
  type MetricsSnapshot,
  type MetricsView,
  snapshotMetrics,
} from "./metrics_delta.ts";

/** What a flusher reads and where it writes. */
export interface EmfFlusherOptions {
  readonly metrics: MetricsView;
  /** The CloudWatch namespace (`POWERTOOLS_METRICS_NAMESPACE`). */
  readonly namespace: string;
  /** Added to every document: `{ service }`, as in Lambda. */
  readonly dimensions: Readonly<Record<string, string>>;
  /**
   * Writes one flush's documents, one per line (stdout in the worker). When
   * it throws, the failure is logged and the interval is kept for the next flush.
   */
  emit(lines: readonly string[]): void;
  readonly logger: Logger;
  /** Epoch milliseconds, the documents' `Timestamp`. Default `Date.now`. */
  readonly now?: () => number;
}

/** Writes what changed since its previous flush. */
class EmfFlusher {
  readonly #o: EmfFlusherOptions;
  #before: MetricsSnapshot = EMPTY_SNAPSHOT;

  constructor(options: EmfFlusherOptions) {
    this.#o = options;
  }

  /** Writes the interval since the previous flush; returns the number of documents written. */
  flush(): number {
    const o = this.#o;
    const now = snapshotMetrics(o.metrics);
    const lines = formatEmf(metricsDelta(now, this.#before), {
      namespace: o.namespace,
      dimensions: o.dimensions,
      timestamp: (o.now ?? Date.now)(),
    });
    if (lines.length === 0) return 0;
    try {
      o.emit(lines);
    } catch (err) {
      o.logger.warn("cannot write EMF metrics; they are kept for the next flush", { error: err });
      return 0;
    }
    this.#before = now;
    return lines.length;
  }
}

/** Schedules `fn` every `ms` without keeping the process alive; returns the cancel function. */
export type Every = (ms: number, fn: () => void) => () => void;

const unrefInterval: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
};

/** A running periodic flush. */
export interface PeriodicEmf {
  /** Stops the timer and flushes what is left (idempotent). */
  stop(): void;
}

/**
 * Flushes `options.metrics` every `intervalMs` until {@link PeriodicEmf.stop},
 * which flushes a last time (`every` is swappable for tests).
 */
export function startPeriodicEmf(
  options: EmfFlusherOptions & { readonly intervalMs: number; readonly every?: Every },
): PeriodicEmf {
  const flusher = new EmfFlusher(options);
  const cancel = (options.every ?? unrefInterval)(options.intervalMs, () => flusher.flush());
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      cancel();
      flusher.flush();
    },
  };
}
