/**
 * Distributions: a histogram family (its Prometheus name, fixed buckets and
 * EMF name) and the in-memory state of one labelled series. Each observation
 * updates the Prometheus bucket counts, the sum and count, and a log-scale
 * bin (about 10 % wide) that EMF sends as `Values`/`Counts`, so CloudWatch
 * can compute percentiles from it. Pure; a few arithmetic operations per
 * observation (the processor observes per object, never per event).
 *
 * @module
 */

/** A histogram family. Values are in seconds (Prometheus base unit). */
export interface HistogramFamily {
  readonly name: string;
  readonly help: string;
  readonly emfName: string;
  readonly unit: "Seconds";
  /** Upper bounds of the Prometheus buckets, ascending (`+Inf` is implicit). */
  readonly buckets: readonly number[];
}

/**
 * Ages of objects at the end of their delivery: Vector flushes every few
 * seconds to minutes, a backlog or retries stretch it to hours.
 */
const AGE_BUCKETS: readonly number[] = [
  1,
  2.5,
  5,
  10,
  20,
  30,
  60,
  120,
  300,
  600,
  1800,
  3600,
  7200,
  21_600,
  86_400,
];

/** Processing time of one object: milliseconds (a skip) to minutes (a large object to a slow destination). */
const DURATION_BUCKETS: readonly number[] = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
  60,
  120,
  300,
];

/** Event-loop lag: healthy under 10 ms; beyond 100 ms timers, heartbeats and /healthz answer late. */
const LAG_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** A histogram family named `log_processor_<name>`. */
const histogramFamily = (
  name: string,
  emfName: string,
  help: string,
  buckets: readonly number[],
): HistogramFamily => ({ name: `log_processor_${name}`, help, emfName, unit: "Seconds", buckets });

/** Every histogram the processor keeps. */
export const HISTOGRAMS = {
  deliveryAge: histogramFamily(
    "delivery_age_seconds",
    "DeliveryAge",
    "Seconds from the S3 event time (the object's creation) to the end of its delivery, for delivered objects.",
    AGE_BUCKETS,
  ),
  objectDuration: histogramFamily(
    "object_duration_seconds",
    "ObjectDuration",
    "Processing time per object (read, parse, deliver to every destination), by outcome.",
    DURATION_BUCKETS,
  ),
  eventLoopLag: histogramFamily(
    "event_loop_lag_seconds",
    "EventLoopLag",
    "How late a periodic timer fired: time the event loop was busy with other work.",
    LAG_BUCKETS,
  ),
} as const satisfies Record<string, HistogramFamily>;

/** Log-bin width of the EMF distribution (values within ~10 % share a bin). */
const BIN_BASE = Math.log(1.1);

/** The representative value of `value`'s log bin (0 for values ≤ 0). */
function emfBin(value: number): number {
  if (!(value > 0)) return 0;
  const index = Math.floor(Math.log(value) / BIN_BASE);
  return Math.exp((index + 0.5) * BIN_BASE);
}

/**
 * The range `[low, high)` of values that share the log bin whose
 * representative value is `bin` (an {@link emfBin} result; `[0, 0]` for 0).
 */
export function emfBinBounds(bin: number): readonly [number, number] {
  if (!(bin > 0)) return [0, 0];
  const index = Math.round(Math.log(bin) / BIN_BASE - 0.5);
  return [Math.exp(index * BIN_BASE), Math.exp((index + 1) * BIN_BASE)];
}

/** The state of one labelled histogram series. */
export class Histogram {
  /** Non-cumulative count per bucket; the last entry is `+Inf`. */
  readonly #counts: number[];
  readonly #bins = new Map<number, number>();
  #sum = 0;
  #count = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  constructor(readonly family: HistogramFamily) {
    this.#counts = new Array(family.buckets.length + 1).fill(0);
  }

  /** Records one value (negative values count as 0). */
  observe(value: number): void {
    const v = Number.isFinite(value) && value > 0 ? value : 0;
    const buckets = this.family.buckets;
    let i = 0;
    while (i < buckets.length && v > buckets[i]!) i++;
    this.#counts[i]!++;
    this.#sum += v;
    this.#count++;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
    const bin = emfBin(v);
    this.#bins.set(bin, (this.#bins.get(bin) ?? 0) + 1);
  }

  /** What was recorded so far. */
  snapshot(): HistogramSnapshot {
    let running = 0;
    const cumulative = this.#counts.map((c) => running += c);
    const bins = [...this.#bins.entries()].sort(([a], [b]) => a - b);
    return {
      cumulative,
      sum: this.#sum,
      count: this.#count,
      min: this.#count ? this.#min : 0,
      max: this.#count ? this.#max : 0,
      bins,
    };
  }
}

/** A histogram's recorded state. */
export interface HistogramSnapshot {
  /** Cumulative counts per bucket upper bound, `+Inf` last (Prometheus `_bucket`). */
  readonly cumulative: readonly number[];
  readonly sum: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** `[representative value, count]` per log bin, ascending (EMF `Values`/`Counts`). */
  readonly bins: readonly (readonly [number, number])[];
}
