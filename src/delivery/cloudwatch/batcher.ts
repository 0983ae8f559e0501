/**
 * Packs events into PutLogEvents batches that obey the API limits: at most
 * `maxEvents` events and `maxBytes` bytes (message UTF-8 bytes + 26 each),
 * sorted by timestamp (stable for equal timestamps), spanning at most
 * `maxSpanMs`. Pure and incremental.
 *
 * Events are written as the request body's own JSON
 * (`{"timestamp":…,"message":…}`) the moment they are added, into one
 * growing byte buffer, so a pending batch is one buffer and a few typed
 * arrays instead of thousands of strings that outlive V8's young generation:
 * memory stays at about one batch of bytes, outside the JS heap, and sending
 * needs no serialization step. A run of events (one chunk of an object) is
 * written by one `JSON.stringify` and one `encodeInto`, and the UTF-8 size of
 * each message follows from what was written (docs/performance.md).
 *
 * @module
 */
import type { LogEvent } from "../../ingest/parse_record.ts";
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS } from "./limits.ts";
import { utf8Length } from "./prepare_event.ts";

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

/** One PutLogEvents request's events, already written as JSON, and their counted size. */
export interface LogBatch {
  /**
   * The events in the order they are sent, as the JSON objects
   * `{"timestamp":…,"message":…}` joined by commas, in UTF-8: what goes
   * between the brackets of the body's `logEvents` (exactly what the SDK's
   * serializer would write for them).
   */
  readonly eventsJson: Uint8Array;
  /** Number of events. */
  readonly count: number;
  /** Message bytes plus overhead, as the API counts them. */
  readonly bytes: number;
  /** UTF-8 bytes of each event's message, in the order sent. */
  readonly messageBytes: Uint32Array;
  /**
   * For a batch `addAll` returned: the index, in the events of that call, of
   * the event it was cut at (the first after it, now pending). Every event
   * added before that one is in this batch or an earlier one. Undefined for
   * the batches of `flush`.
   */
  readonly cutBefore?: number;
}

const encoder = new TextEncoder();
const COMMA = 0x2c;
const INITIAL_BYTES = 16 * 1024;
const INITIAL_EVENTS = 256;
/** Between two events of a JSON array of `{timestamp, message}` objects; a string never holds it (its `"` is escaped). */
const BOUNDARY = '},{"timestamp":';

/** Events as objects of exactly these two members, so `JSON.stringify` writes nothing else. */
function shaped(events: readonly LogEvent[]): LogEvent[] {
  return events.map((e) => ({ timestamp: e.timestamp, message: e.message }));
}

/** One run of events being written by `addAll`. */
interface Run {
  /** Where the batches cut go. */
  readonly ready: LogBatch[];
  /** Index of the run's first event in the events of `addAll`. */
  readonly offset: number;
  /** One event, whose JSON may escape a lone surrogate. */
  readonly single: boolean;
}

/** Accumulates events and hands out full batches. */
export class LogEventBatcher {
  /** The pending events' JSON joined by commas; `#length` bytes are used. */
  #json = new Uint8Array(INITIAL_BYTES);
  #length = 0;
  #count = 0;
  /** Per pending event: where its JSON starts (its `{`), its timestamp and its message bytes. */
  #starts = new Uint32Array(INITIAL_EVENTS);
  #timestamps = new Float64Array(INITIAL_EVENTS);
  #sizes = new Uint32Array(INITIAL_EVENTS);
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
    return this.#count;
  }

  /**
   * Adds one event (its message at most the per-event limit). Returns the
   * batches that became full, if any.
   */
  add(event: LogEvent): LogBatch[] | undefined {
    const ready = this.addAll([event]);
    return ready.length > 0 ? ready : undefined;
  }

  /**
   * Adds `events` in order (each message at most the per-event limit), as
   * if one by one. Returns the batches that became full, in order.
   */
  addAll(events: readonly LogEvent[]): LogBatch[] {
    const ready: LogBatch[] = [];
    if (events.length === 0) return ready;
    const inner = JSON.stringify(shaped(events)).slice(1, -1);
    // A lone surrogate is written as a \ud… escape, so the JSON's UTF-8 no longer tells the message's:
    // such runs go one event at a time, each message measured.
    if (inner.includes("\\ud")) {
      events.forEach((event, i) => {
        this.#writeRun([event], JSON.stringify(shaped([event])).slice(1, -1), { ready, offset: i, single: true });
      });
    } else this.#writeRun(events, inner, { ready, offset: 0, single: false });
    return ready;
  }

  /** Returns every remaining event as batches. */
  flush(): LogBatch[] {
    return this.#count > 0 ? this.#drain(this.#length) : [];
  }

  /**
   * Appends `json`, the comma-joined JSON of `events` (from `run.offset` on in
   * the events of `addAll`), cutting batches into `run.ready` as the limits
   * say. Unless `run.single` (one event whose JSON may escape lone
   * surrogates), the JSON holds no lone surrogate.
   */
  #writeRun(events: readonly LogEvent[], json: string, run: Run): void {
    const { ready, offset, single } = run;
    const base = this.#length + (this.#length > 0 ? 1 : 0);
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 for 2).
    if (base + json.length * 3 > this.#json.length) this.#growBytes(base + json.length * 3);
    if (base > this.#length) this.#json[this.#length] = COMMA;
    const written = encoder.encodeInto(json, new Uint8Array(this.#json.buffer, base)).written;
    const end = base + written;
    // ASCII: every message's UTF-8 size is its length. Otherwise each one is measured, and the
    // bytes each adds beyond its length shift the byte offsets of the events after it.
    const ascii = written === json.length && !single;
    let shift = 0; // bytes moved out of the buffer by a cut in this run
    let extra = 0; // UTF-8 bytes beyond UTF-16 units of the messages so far
    let at = 0; // where the current event's JSON starts in `json`
    for (let k = 0; k < events.length; k++) {
      const message = events[k]!.message;
      const bytes = ascii ? message.length : utf8Length(message);
      let start = base + at + extra - shift;
      const size = bytes + EVENT_OVERHEAD_BYTES;
      const n = this.#count;
      if (n > 0 && (n >= this.#limits.maxEvents || this.#bytes + size > this.#limits.maxBytes)) {
        // The byte before `start` is the comma.
        for (const batch of this.#drain(start - 1)) ready.push({ ...batch, cutBefore: offset + k });
        this.#json.copyWithin(0, start, end - shift);
        shift += start;
        start = 0;
      }
      this.#note(events[k]!.timestamp, start, bytes);
      this.#bytes += size;
      extra += bytes - message.length;
      if (k + 1 < events.length) at = json.indexOf(BOUNDARY, at) + 2;
    }
    if (!single && base + json.length + extra !== end) {
      throw new Error("LogEventBatcher: UTF-8 sizes do not add up to what was written");
    }
    this.#length = end - shift;
  }

  /** Records one more pending event. */
  #note(timestamp: number, start: number, bytes: number): void {
    const i = this.#count;
    if (i === this.#starts.length) this.#growEvents();
    this.#starts[i] = start;
    this.#timestamps[i] = timestamp;
    this.#sizes[i] = bytes;
    this.#count = i + 1;
    if (timestamp < this.#max) this.#sorted = false;
    if (timestamp < this.#min) this.#min = timestamp;
    if (timestamp > this.#max) this.#max = timestamp;
  }

  #growEvents(): void {
    const n = this.#starts.length * 2;
    const starts = new Uint32Array(n);
    const timestamps = new Float64Array(n);
    const sizes = new Uint32Array(n);
    starts.set(this.#starts);
    timestamps.set(this.#timestamps);
    sizes.set(this.#sizes);
    this.#starts = starts;
    this.#timestamps = timestamps;
    this.#sizes = sizes;
  }

  #growBytes(needed: number): void {
    const json = new Uint8Array(Math.max(needed, this.#json.length * 2));
    json.set(this.#json.subarray(0, this.#length));
    this.#json = json;
  }

  /** Hands out the pending events, whose JSON ends at `end`, as batches, and starts afresh. */
  #drain(end: number): LogBatch[] {
    const n = this.#count;
    const whole = this.#sorted && this.#max - this.#min <= this.#limits.maxSpanMs;
    const batches = whole
      ? [{ eventsJson: this.#json.slice(0, end), count: n, bytes: this.#bytes, messageBytes: this.#sizes.slice(0, n) }]
      : this.#splitBySpan(end);
    this.#length = 0;
    this.#count = 0;
    this.#bytes = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
    this.#sorted = true;
    return batches;
  }

  /** Sorts (stably) and cuts the pending events wherever a batch would span more than `maxSpanMs`. */
  #splitBySpan(end: number): LogBatch[] {
    const n = this.#count;
    const timestamps = this.#timestamps;
    const order = Array.from({ length: n }, (_, i) => i);
    if (!this.#sorted) order.sort((a, b) => timestamps[a]! - timestamps[b]! || a - b);
    const batches: LogBatch[] = [];
    let first = 0;
    for (let k = 1; k <= n; k++) {
      if (k === n || timestamps[order[k]!]! - timestamps[order[first]!]! > this.#limits.maxSpanMs) {
        batches.push(this.#gather(order.slice(first, k), end));
        first = k;
      }
    }
    return batches;
  }

  /** The batch of the pending events `indexes`, in that order; the last pending event's JSON ends at `end`. */
  #gather(indexes: readonly number[], end: number): LogBatch {
    const from = (i: number) => this.#starts[i]!;
    const to = (i: number) => (i + 1 < this.#count ? this.#starts[i + 1]! - 1 : end);
    let length = indexes.length - 1;
    let bytes = 0;
    const messageBytes = new Uint32Array(indexes.length);
    indexes.forEach((i, k) => {
      length += to(i) - from(i);
      messageBytes[k] = this.#sizes[i]!;
      bytes += this.#sizes[i]! + EVENT_OVERHEAD_BYTES;
    });
    const eventsJson = new Uint8Array(length);
    let at = 0;
    indexes.forEach((i, k) => {
      if (k > 0) eventsJson[at++] = COMMA;
      eventsJson.set(this.#json.subarray(from(i), to(i)), at);
      at += to(i) - from(i);
    });
    return { eventsJson, count: indexes.length, bytes, messageBytes };
  }
}
