import { deepStrictEqual as deepEqual, ok, strictEqual as equal } from "node:assert/strict";
import type { LogEvent } from "../../ingest/parse_record.ts";
import { seededRandom } from "../../../tests/support/fakes.ts";
import { type BatchLimits, batchLimits, type LogBatch, LogEventBatcher } from "./batcher.ts";
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS } from "./limits.ts";
import { utf8Length } from "./prepare_event.ts";

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const encoder = new TextEncoder();

/** Feeds `events` through a batcher and returns every batch, flush included. */
function batchAll(events: LogEvent[], limits?: BatchLimits): LogBatch[] {
  const batcher = new LogEventBatcher(limits);
  const out: LogBatch[] = [];
  for (const e of events) out.push(...(batcher.add(e, utf8Length(e.message)) ?? []));
  out.push(...batcher.flush());
  equal(batcher.pending, 0);
  return out;
}

/** Every limit a PutLogEvents request must obey, computed independently of the batcher. */
function assertWithinLimits(batch: LogBatch, limits: BatchLimits): void {
  const { events } = batch;
  ok(events.length >= 1, "no empty batch");
  ok(events.length <= limits.maxEvents, `${events.length} events > ${limits.maxEvents}`);
  const bytes = events.reduce((sum, e) => sum + encoder.encode(e.message).length + EVENT_OVERHEAD_BYTES, 0);
  equal(batch.bytes, bytes, "reported size is the API's count");
  ok(bytes <= limits.maxBytes, `${bytes} bytes > ${limits.maxBytes}`);
  for (let i = 1; i < events.length; i++) ok(events[i - 1]!.timestamp <= events[i]!.timestamp, `unsorted at ${i}`);
  ok(events.at(-1)!.timestamp - events[0]!.timestamp <= limits.maxSpanMs, "span over limit");
}

const ev = (timestamp: number, message: string): LogEvent => ({ timestamp, message });

Deno.test("batchLimits are the real API limits; MAX_BATCH_SIZE lowers only the count", () => {
  deepEqual(batchLimits(), { maxEvents: 10_000, maxBytes: 1_048_576, maxSpanMs: 24 * HOUR });
  deepEqual(batchLimits(250), { maxEvents: 250, maxBytes: MAX_BATCH_BYTES, maxSpanMs: MAX_BATCH_SPAN_MS });
});

Deno.test("in-order events under every limit make one batch on flush", () => {
  const events = Array.from({ length: 100 }, (_, i) => ev(T0 + i, `m${i}`));
  const batches = batchAll(events);
  equal(batches.length, 1);
  deepEqual(batches[0]!.events, events);
  equal(batches[0]!.bytes, events.reduce((s, e) => s + e.message.length + 26, 0));
});

Deno.test("add returns nothing until a batch is full; flush of an empty batcher is empty", () => {
  const batcher = new LogEventBatcher(batchLimits(3));
  equal(batcher.add(ev(T0, "a"), 1), undefined);
  equal(batcher.add(ev(T0, "b"), 1), undefined);
  equal(batcher.add(ev(T0, "c"), 1), undefined);
  equal(batcher.pending, 3);
  const ready = batcher.add(ev(T0, "d"), 1);
  deepEqual(ready?.map((b) => b.events.map((e) => e.message)), [["a", "b", "c"]]);
  equal(batcher.pending, 1);
  deepEqual(batcher.flush().map((b) => b.events.map((e) => e.message)), [["d"]]);
  deepEqual(batcher.flush(), []);
});

Deno.test("the count limit is 10 000 events by default", () => {
  const events = Array.from({ length: 25_000 }, (_, i) => ev(T0 + i, "x"));
  deepEqual(batchAll(events).map((b) => b.events.length), [MAX_BATCH_EVENTS, MAX_BATCH_EVENTS, 5_000]);
});

Deno.test("a MAX_BATCH_SIZE below 10 000 is obeyed", () => {
  const events = Array.from({ length: 1_001 }, (_, i) => ev(T0 + i, "x"));
  const batches = batchAll(events, batchLimits(100));
  deepEqual(batches.map((b) => b.events.length), [...Array(10).fill(100), 1]);
  deepEqual(batches.flatMap((b) => b.events), events);
  deepEqual(batchAll(events.slice(0, 3), batchLimits(1)).map((b) => b.events.length), [1, 1, 1]);
});

Deno.test("the byte limit counts UTF-8 bytes plus 26 per event, with multibyte messages", () => {
  // "日" is 3 UTF-8 bytes but 1 UTF-16 unit: counting units would overfill the batch threefold.
  const message = "日".repeat(1000); // 3000 bytes + 26 = 3026 per event
  const perBatch = Math.floor(MAX_BATCH_BYTES / 3026); // 346
  const events = Array.from({ length: 1000 }, (_, i) => ev(T0 + i, message));
  const batches = batchAll(events);
  deepEqual(batches.map((b) => b.events.length), [perBatch, perBatch, 1000 - 2 * perBatch]);
  for (const b of batches) assertWithinLimits(b, batchLimits());
});

Deno.test("a batch fills to exactly 1 048 576 bytes and not one byte more", () => {
  const big = "a".repeat(MAX_BATCH_BYTES / 2 - 26); // two of these fill a batch exactly
  deepEqual(batchAll([ev(T0, big), ev(T0, big)]).map((b) => b.bytes), [MAX_BATCH_BYTES]);
  const over = "a".repeat(MAX_BATCH_BYTES / 2 - 25);
  deepEqual(batchAll([ev(T0, over), ev(T0, over)]).map((b) => b.events.length), [1, 1]);
});

Deno.test("one event of the largest allowed size is a batch on its own", () => {
  const largest = "z".repeat(MAX_BATCH_BYTES - 26);
  const batches = batchAll([ev(T0, "a"), ev(T0, largest), ev(T0, "b")]);
  deepEqual(batches.map((b) => b.events.length), [1, 1, 1]);
  equal(batches[1]!.bytes, MAX_BATCH_BYTES);
});

Deno.test("events spanning more than 24 h are split into batches of at most 24 h", () => {
  const events = [0, 1, 23, 24, 24.5, 30, 47, 49, 100].map((h, i) => ev(T0 + h * HOUR, `e${i}`));
  const batches = batchAll(events);
  deepEqual(batches.map((b) => b.events.map((e) => e.message)), [
    ["e0", "e1", "e2", "e3"], // 0..24 h inclusive
    ["e4", "e5", "e6"], // 24.5..47
    ["e7"],
    ["e8"],
  ]);
  for (const b of batches) assertWithinLimits(b, batchLimits());
});

Deno.test("out-of-order events are sorted, stably for equal timestamps", () => {
  const events = [
    ev(T0 + 5, "c1"),
    ev(T0 + 1, "a1"),
    ev(T0 + 5, "c2"),
    ev(T0 + 3, "b1"),
    ev(T0 + 1, "a2"),
    ev(T0 + 5, "c3"),
    ev(T0 + 1, "a3"),
  ];
  const batches = batchAll(events);
  equal(batches.length, 1);
  deepEqual(batches[0]!.events.map((e) => e.message), ["a1", "a2", "a3", "b1", "c1", "c2", "c3"]);
  equal(batches[0]!.bytes, events.length * 28);
});

Deno.test("out-of-order events over more than 24 h are sorted and then split by span", () => {
  const events = [ev(T0 + 30 * HOUR, "late"), ev(T0, "early"), ev(T0 + 2 * HOUR, "mid"), ev(T0 + 25 * HOUR, "next")];
  const batches = batchAll(events);
  deepEqual(batches.map((b) => b.events.map((e) => e.message)), [["early", "mid"], ["next", "late"]]);
  deepEqual(batches.map((b) => b.bytes), [
    utf8Length("early") + utf8Length("mid") + 52,
    utf8Length("next") + utf8Length("late") + 52,
  ]);
});

Deno.test("equal timestamps keep input order across a large batch", () => {
  const events = Array.from({ length: 5000 }, (_, i) => ev(T0 + (i % 3), `n${i}`));
  const [batch] = batchAll(events);
  const expected = [0, 1, 2].flatMap((r) => events.filter((_, i) => i % 3 === r));
  deepEqual(batch!.events, expected);
});

Deno.test("property: random events always give batches within every limit, none lost or duplicated", () => {
  const random = seededRandom(20260101);
  const alphabet = ["a", "é", "日", "📜", " ", "{", "\\"];
  for (let round = 0; round < 24; round++) {
    const maxEvents = [10_000, 500, 37, 1][round % 4];
    const limits = batchLimits(maxEvents);
    const n = 1 + Math.floor(random() * (round % 5 === 0 ? 12_000 : 800));
    const spread = [1_000, HOUR, 3 * 24 * HOUR][round % 3];
    const events: LogEvent[] = [];
    for (let i = 0; i < n; i++) {
      const big = round % 5 !== 0 && random() < 0.01; // big events only in the smaller rounds
      // At most 250 000 characters of up to 4 bytes: within the per-event limit the batcher expects.
      const length = big ? 100_000 + Math.floor(random() * 150_000) : Math.floor(random() * 300);
      const ch = alphabet[Math.floor(random() * alphabet.length)];
      // Unique message prefix so loss or duplication is visible.
      events.push(ev(T0 + Math.floor(random() * spread!), `${i}:${ch!.repeat(length)}`));
    }
    const batches = batchAll(events, limits);
    for (const b of batches) assertWithinLimits(b, limits);
    const seen = batches.flatMap((b) => b.events);
    equal(seen.length, events.length, `round ${round}: count`);
    deepEqual(new Set(seen).size, events.length, `round ${round}: duplicates`);
    const byInput = new Map(events.map((e, i) => [e, i]));
    for (const b of batches) {
      for (let i = 1; i < b.events.length; i++) {
        const [p, q] = [b.events[i - 1], b.events[i]];
        if (p!.timestamp === q!.timestamp) ok(byInput.get(p!)! < byInput.get(q!)!, `round ${round}: unstable`);
      }
    }
  }
});
