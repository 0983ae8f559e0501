/**
 * Packs events into PutLogEvents batches that obey the API limits: at most
 * `maxEvents` events and `maxBytes` bytes (message UTF-8 bytes + 26 each),
 * sorted by timestamp (stable for equal timestamps), spanning at most
 * `maxSpanMs`. Pure and incremental.
 *
 * Events are written as the request body's own JSON
 * (`{"timestamp":…,"message":…}`) the moment they are added, into a byte
 * buffer that already holds the body's head, so a full batch is its request
 * body as it is sent: no serialization step, no copy, and a pending batch is
 * one buffer and a few typed arrays instead of thousands of strings that
 * outlive V8's young generation. A sent batch's buffer is recycled for the
 * next one (buffer_pool.ts), so memory stays at about two batches of bytes. A run of events
 * (one chunk of an object) is written by one `JSON.stringify` and one
 * `encodeInto`, and the UTF-8 size of each message follows from what was
 * written (docs/performance.md).
 *
 * @module
 */
import type { LogEvent } from "../../ingest/parse_record.ts";
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS } from "./limits.ts";
import { type BufferPool, SHARED_BUFFERS } from "./buffer_pool.ts";
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

/** The bytes around a batch's events in its body (e.g. `{"logGroupName":…,"logEvents":[` and `]}`). */
export interface BatchFrame {
  readonly head: Uint8Array;
  readonly tail: Uint8Array;
}

/** One PutLogEvents request's events, already written as JSON, and their counted size. */
export interface LogBatch {
  /** The frame's head, {@link eventsJson}, the frame's tail: the request body. */
  readonly body: Uint8Array;
  /**
   * The events in the order they are sent, as the JSON objects
   * `{"timestamp":…,"message":…}` joined by commas, in UTF-8 (exactly what
   * the SDK's serializer would write for them); a part of {@link body}.
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
/** Room for one more run of events (a 16 KiB chunk's JSON takes at most 48 KiB). */
const RUN_ROOM = 64 * 1024;
/** Between two events of a JSON array of `{timestamp, message}` objects; a string never holds it (its `"` is escaped). */
const BOUNDARY = '},{"timestamp":';
const NO_FRAME: BatchFrame = { head: new Uint8Array(0), tail: new Uint8Array(0) };

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
  readonly #limits: BatchLimits;
  readonly #frame: BatchFrame;
  /** The head, then the pending events' JSON joined by commas, up to `#length`. */
  #json: Uint8Array;
  #length: number;
  #count = 0;
  /** Per pending event: where its JSON starts (its `{`), its timestamp and its message bytes. */
  #starts = new Uint32Array(INITIAL_EVENTS);
  #timestamps = new Float64Array(INITIAL_EVENTS);
  #sizes = new Uint32Array(INITIAL_EVENTS);
  #bytes = 0;
  #min = Infinity;
  #max = -Infinity;
  #sorted = true;
  #closed = false;
  readonly #pool: BufferPool;

  /** `pool`: where buffers come from and go back to (default: the process's {@link SHARED_BUFFERS}). */
  constructor(limits: BatchLimits = batchLimits(), frame: BatchFrame = NO_FRAME, pool: BufferPool = SHARED_BUFFERS) {
    this.#limits = limits;
    this.#frame = frame;
    this.#pool = pool;
    this.#json = this.#buffer(0);
    this.#length = frame.head.length;
  }

  /** Number of events waiting. */
  get pending(): number {
    return this.#count;
  }

  /** Adds one event (its message at most the per-event limit). Returns the batches that became full, if any. */
  add(event: LogEvent): LogBatch[] | undefined {
    const ready = this.addAll([event]);
    return ready.length > 0 ? ready : undefined;
  }

  /**
   * Adds `events` in order (each message at most the per-event limit), as
   * if one by one. Returns the batches that became full, in order.
   */
  addAll(events: readonly LogEvent[]): LogBatch[] {
    if (this.#closed) throw new Error("LogEventBatcher: used after close");
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
    if (this.#closed) throw new Error("LogEventBatcher: used after close");
    return this.#count > 0 ? this.#drain(this.#length, this.#length, this.#length) : [];
  }

  /**
   * Gives back the buffer of a batch that was sent and is no longer read, for
   * the batches to come. Call it once per batch, after its send.
   */
  recycle(batch: LogBatch): void {
    if (batch.body.buffer !== this.#json.buffer) this.#pool.give(new Uint8Array(batch.body.buffer));
  }

  /** Gives back the buffer being filled (its events are dropped); the batcher is not used again. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pool.give(this.#json);
  }

  /** A buffer of at least `bytes` from the pool (or new) with the frame's head written. */
  #buffer(bytes: number): Uint8Array {
    const buffer = this.#pool.take(Math.max(bytes, INITIAL_BYTES));
    buffer.set(this.#frame.head);
    return buffer;
  }

  /**
   * Appends `json`, the comma-joined JSON of `events` (from `run.offset` on in
   * the events of `addAll`), cutting batches into `run.ready` as the limits
   * say. Unless `run.single` (one event whose JSON may escape lone
   * surrogates), the JSON holds no lone surrogate.
   */
  #writeRun(events: readonly LogEvent[], json: string, run: Run): void {
    const { ready, offset, single } = run;
    const head = this.#frame.head.length;
    const base = this.#length + (this.#count > 0 ? 1 : 0);
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 for 2); the tail follows.
    const needed = base + json.length * 3 + this.#frame.tail.length;
    if (needed > this.#json.length) this.#grow(needed);
    if (this.#count > 0) this.#json[this.#length] = COMMA;
    const written = encoder.encodeInto(json, new Uint8Array(this.#json.buffer, base)).written;
    const end = base + written;
    // ASCII: every message's UTF-8 size is its length. Otherwise each one is measured, and the
    // bytes each adds beyond its length shift the byte offsets of the events after it.
    const ascii = written === json.length && !single;
    let shift = 0; // how far the run moved back in the buffer at its cuts
    let extra = 0; // UTF-8 bytes beyond UTF-16 units of the messages so far
    let at = 0; // where the current event's JSON starts in `json`
    for (let k = 0; k < events.length; k++) {
      const message = events[k]!.message;
      const bytes = ascii ? message.length : utf8Length(message);
      let start = base + at + extra - shift;
      const size = bytes + EVENT_OVERHEAD_BYTES;
      const n = this.#count;
      if (n > 0 && (n >= this.#limits.maxEvents || this.#bytes + size > this.#limits.maxBytes)) {
        // The byte before `start` is the comma; the rest of the run stays pending.
        for (const batch of this.#drain(start - 1, start, end - shift)) ready.push({ ...batch, cutBefore: offset + k });
        shift += start - head;
        start = head;
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

  #grow(needed: number): void {
    const json = this.#buffer(Math.max(needed, this.#json.length * 2));
    json.set(this.#json.subarray(0, this.#length));
    this.#pool.give(this.#json);
    this.#json = json;
  }

  /**
   * Hands out the pending events, whose JSON ends at `end`, as batches, and
   * starts afresh with the bytes `[from, to)` (a run's events after a cut) as
   * the start of the next batch's JSON.
   */
  #drain(end: number, from: number, to: number): LogBatch[] {
    const { head, tail } = this.#frame;
    let batches: LogBatch[];
    if (this.#sorted && this.#max - this.#min <= this.#limits.maxSpanMs) {
      // The buffer becomes the batch's body; the next batch starts in another one.
      const full = this.#json;
      // The next batch likely needs as many bytes: a buffer that large from the start saves growing again.
      this.#json = this.#buffer(Math.max(head.length + (to - from), Math.ceil(end * 1.25)) + tail.length + RUN_ROOM);
      this.#json.set(full.subarray(from, to), head.length);
      full.set(tail, end);
      batches = [
        this.#batch(full.subarray(0, end + tail.length), this.#count, this.#bytes, this.#sizes.slice(0, this.#count)),
      ];
    } else {
      batches = this.#splitBySpan(end);
      this.#json.copyWithin(head.length, from, to);
    }
    this.#length = head.length + (to - from);
    this.#count = 0;
    this.#bytes = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
    this.#sorted = true;
    return batches;
  }

  #batch(body: Uint8Array, count: number, bytes: number, messageBytes: Uint32Array): LogBatch {
    const eventsJson = body.subarray(this.#frame.head.length, body.length - this.#frame.tail.length);
    return { body, eventsJson, count, bytes, messageBytes };
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

  /** The batch of the pending events `indexes`, in that order, in a body of its own; the last pending event's JSON ends at `end`. */
  #gather(indexes: readonly number[], end: number): LogBatch {
    const { head, tail } = this.#frame;
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
    const body = new Uint8Array(head.length + length + tail.length);
    body.set(head);
    let at = head.length;
    indexes.forEach((i, k) => {
      if (k > 0) body[at++] = COMMA;
      body.set(this.#json.subarray(from(i), to(i)), at);
      at += to(i) - from(i);
    });
    body.set(tail, at);
    return this.#batch(body, indexes.length, bytes, messageBytes);
  }
}
