/**
 * Packs events into PutLogEvents batches that obey the API limits: at most
 * `maxEvents` events and `maxBytes` bytes (message UTF-8 bytes + 26 each),
 * sorted by timestamp (stable for equal timestamps), spanning at most
 * `maxSpanMs`. Pure and incremental: memory stays at about one batch.
 *
 * @module
 */
import type { LogEvent } from "../../ingest/parse_record.ts";
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS } from "./limits.ts";

/** The limits one batch must respect. */
export interface BatchLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
  readonly maxSpanMs: number;
}

/** The real API limits; `maxEvents` is lowered by `MAX_BATCH_SIZE`. */
export function batchLimits(maxEvents = MAX_BATCH_EVENTS): BatchLimits {
  return { maxEvents, maxBytes: MAX_BATCH_BYTES, maxSpanMs: MAX_BATCH_SPAN_MS };
}

/** One PutLogEvents request's events and their counted size. */
export interface LogBatch {
  readonly events: LogEvent[];
  /** Message bytes plus overhead, as the API counts them. */
  readonly bytes: number;
}

/** Accumulates events and hands out full batches. */
export class LogEventBatcher {
  #events: LogEvent[] = [];
  #sizes: number[] = [];
  #bytes = 0;
  #min = Infinity;
  #max = -Infinity;
  #sorted = true;

  readonly #limits: BatchLimits;

  constructor(limits: BatchLimits = batchLimits()) {
    this.#limits = limits;
  }

  /** Number of events waiting. */
  get pending(): number {
    return this.#events.length;
  }

  /**
   * Adds an event whose message is `messageBytes` UTF-8 bytes (at most the
   * per-event limit). Returns the batches that became full, if any.
   */
  add(event: LogEvent, messageBytes: number): LogBatch[] | undefined {
    const size = messageBytes + EVENT_OVERHEAD_BYTES;
    let ready: LogBatch[] | undefined;
    const n = this.#events.length;
    if (n > 0 && (n >= this.#limits.maxEvents || this.#bytes + size > this.#limits.maxBytes)) {
      ready = this.#drain();
    }
    const ts = event.timestamp;
    if (ts < this.#max) this.#sorted = false;
    if (ts < this.#min) this.#min = ts;
    if (ts > this.#max) this.#max = ts;
    this.#events.push(event);
    this.#sizes.push(size);
    this.#bytes += size;
    return ready;
  }

  /** Returns every remaining event as batches. */
  flush(): LogBatch[] {
    return this.#events.length > 0 ? this.#drain() : [];
  }

  #drain(): LogBatch[] {
    const events = this.#events;
    const sizes = this.#sizes;
    const bytes = this.#bytes;
    const inOrder = this.#sorted;
    const span = this.#max - this.#min;
    this.#events = [];
    this.#sizes = [];
    this.#bytes = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
    this.#sorted = true;
    if (inOrder && span <= this.#limits.maxSpanMs) return [{ events, bytes }];
    return splitBySpan(events, sizes, inOrder, this.#limits.maxSpanMs);
  }
}

/** Sorts (stably) and cuts events wherever a batch would span more than `maxSpanMs`. */
function splitBySpan(
  events: LogEvent[],
  sizes: number[],
  inOrder: boolean,
  maxSpanMs: number,
): LogBatch[] {
  const order = events.map((_, i) => i);
  if (!inOrder) {
    // Indexes into `events` (and `sizes`, of the same length), so every lookup below is in range.
    order.sort((a, b) => events[a]!.timestamp - events[b]!.timestamp || a - b);
  }
  const batches: LogBatch[] = [];
  let current: LogEvent[] = [];
  let bytes = 0;
  let start = 0;
  for (const i of order) {
    const event = events[i]!;
    if (current.length > 0 && event.timestamp - start > maxSpanMs) {
      batches.push({ events: current, bytes });
      current = [];
      bytes = 0;
    }
    if (current.length === 0) start = event.timestamp;
    current.push(event);
    bytes += sizes[i]!;
  }
  if (current.length > 0) batches.push({ events: current, bytes });
  return batches;
}
