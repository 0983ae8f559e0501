import { deepStrictEqual as deepEqual, ok, strictEqual as equal, throws } from "node:assert/strict";
import type { LogEvent } from "../../ingest/parse_record.ts";
import { seededRandom } from "../../../tests/support/fakes.ts";
import { type BatchLimits, batchLimits, type LogBatch, LogEventBatcher } from "./batcher.ts";
import { BufferPool } from "./buffer_pool.ts";
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS } from "./limits.ts";
import { utf8Length } from "./prepare_event.ts";

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const encoder = new TextEncoder();

const decoder = new TextDecoder();

/** A batch with its events read back from its JSON, as the API would parse them. */
interface Decoded extends LogBatch {
  readonly events: LogEvent[];
}

/** The events of `batch`, parsed from the JSON it carries; each has exactly a timestamp and a message. */
function decode(batch: LogBatch): Decoded {
  const events: LogEvent[] = JSON.parse(`[${decoder.decode(batch.eventsJson)}]`);
  equal(events.length, batch.count, "count is the number of events written");
  deepEqual(Array.from(batch.messageBytes), events.map((e) => encoder.encode(e.message).length));
  for (const e of events) deepEqual(Object.keys(e), ["timestamp", "message"]);
  return { ...batch, events };
}

/** Feeds `events` through a batcher and returns every batch, flush included, decoded. */
function batchAll(events: LogEvent[], limits?: BatchLimits): Decoded[] {
  const batcher = new LogEventBatcher(limits);
  const out: LogBatch[] = [];
  for (const e of events) out.push(...(batcher.add(e) ?? []));
  out.push(...batcher.flush());
  equal(batcher.pending, 0);
  return out.map(decode);
}

const FRAME = { head: encoder.encode('{"logEvents":['), tail: encoder.encode("]}") };

/** What a sent batch carried, read before its buffer is recycled. */
interface Sent {
  readonly body: string;
  readonly count: number;
  readonly bytes: number;
  readonly messageBytes: number[];
}

/**
 * Feeds `events` in runs of random lengths (as chunks of an object arrive)
 * into a framed batcher, reading each batch and then recycling it, as the
 * sink does after a send.
 */
function batchInRuns(events: LogEvent[], limits: BatchLimits, random: () => number): Sent[] {
  const batcher = new LogEventBatcher(limits, FRAME);
  const out: Sent[] = [];
  const send = (batches: LogBatch[]) => {
    for (const b of batches) {
      const body = decoder.decode(b.body);
      equal(body, `{"logEvents":[${decoder.decode(b.eventsJson)}]}`, "the body is the frame around the events");
      out.push({ body, count: b.count, bytes: b.bytes, messageBytes: Array.from(b.messageBytes) });
      batcher.recycle(b);
    }
  };
  for (let i = 0; i < events.length;) {
    const run = Math.floor(random() * 60);
    send(batcher.addAll(events.slice(i, i + run)));
    i += run;
  }
  send(batcher.flush());
  equal(batcher.pending, 0);
  return out;
}

/** Every limit a PutLogEvents request must obey, computed independently of the batcher. */
function assertWithinLimits(batch: Decoded, limits: BatchLimits): void {
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
  equal(batcher.add(ev(T0, "a")), undefined);
  equal(batcher.add(ev(T0, "b")), undefined);
  equal(batcher.add(ev(T0, "c")), undefined);
  equal(batcher.pending, 3);
  const ready = batcher.add(ev(T0, "d"));
  deepEqual(ready?.map((b) => decode(b).events.map((e) => e.message)), [["a", "b", "c"]]);
  equal(batcher.pending, 1);
  deepEqual(batcher.flush().map((b) => decode(b).events.map((e) => e.message)), [["d"]]);
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
  const alphabet = ["a", "é", "日", "📜", " ", "{", "\\", '"', "\n", "\u0001", "\ud800", "\u2028", '},{"timestamp":'];
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
      events.push(ev(T0 + Math.floor(random() * spread!), `${i}:${ch!.repeat(Math.floor(length / ch!.length))}`));
    }
    const batches = batchAll(events, limits);
    for (const b of batches) assertWithinLimits(b, limits);
    // Written in runs into recycled buffers, the batches are the same, byte for byte.
    const inRuns = batchInRuns(events, limits, random);
    deepEqual(
      inRuns,
      batches.map((b) => ({
        body: `{"logEvents":[${decoder.decode(b.eventsJson)}]}`,
        count: b.count,
        bytes: b.bytes,
        messageBytes: Array.from(b.messageBytes),
      })),
    );
    const seen = batches.flatMap((b) => b.events);
    equal(seen.length, events.length, `round ${round}: count`);
    // Messages are unique (their prefix is the input index): a set of them shows loss or duplication.
    deepEqual(new Set(seen.map((e) => e.message)), new Set(events.map((e) => e.message)), `round ${round}: lost`);
    const byInput = new Map(events.map((e, i) => [e.message, i]));
    for (const b of batches) {
      for (let i = 1; i < b.events.length; i++) {
        const [p, q] = [b.events[i - 1]!, b.events[i]!];
        if (p.timestamp === q.timestamp) {
          ok(byInput.get(p.message)! < byInput.get(q.message)!, `round ${round}: unstable`);
        }
      }
    }
  }
});

Deno.test("the JSON of each event is what JSON.stringify writes, for any message and timestamp", () => {
  const messages = [
    'quotes " and \\ backslash, / slash',
    "control \u0000\u0001\b\f\n\r\t\u001f and DEL \u007f",
    "é日志 ünïcödé 📜🚀",
    "a lone high \ud800 and low \udc00 surrogate",
    "\u2028 line and \u2029 paragraph separators",
    "\u0000".repeat(3000), // six bytes of JSON per character
  ];
  const events = messages.map((m, i) => ev(T0 + i, m));
  const batcher = new LogEventBatcher();
  for (const e of events) batcher.add(e);
  const [batch] = batcher.flush();
  equal(decoder.decode(batch!.eventsJson), events.map((e) => JSON.stringify(e)).join(","));
  const odd = new LogEventBatcher();
  odd.add(ev(NaN, "no time"));
  equal(decoder.decode(odd.flush()[0]!.eventsJson), JSON.stringify({ timestamp: NaN, message: "no time" }));
});

Deno.test("the buffer grows for a large event and is reused by the next batches", () => {
  const largest = "日".repeat((MAX_BATCH_BYTES - 26) / 3 - 1);
  const events = [ev(T0, "a"), ev(T0, largest), ev(T0 + 1, "b"), ev(T0 + 2, "c")];
  const batches = batchAll(events);
  deepEqual(batches.map((b) => b.events.map((e) => e.message.length)), [[1], [largest.length], [1, 1]]);
  deepEqual(batches.flatMap((b) => b.events), events);
});

Deno.test("a recycled buffer carries a later batch; one not recycled is never written again", () => {
  const batcher = new LogEventBatcher(batchLimits(2), FRAME, new BufferPool());
  const [first] = batcher.addAll([ev(T0, "a"), ev(T0, "b"), ev(T0, "c")]);
  const [second] = batcher.addAll([ev(T0, "d"), ev(T0, "e")]);
  equal(
    decoder.decode(first!.body),
    '{"logEvents":[{"timestamp":1767225600000,"message":"a"},' +
      '{"timestamp":1767225600000,"message":"b"}]}',
  );
  ok(first!.body.buffer !== second!.body.buffer, "two batches in flight have two buffers");
  const before = decoder.decode(first!.body);
  batcher.recycle(second!);
  const [third] = batcher.addAll([ev(T0, "f"), ev(T0, "g")]);
  equal(decoder.decode(first!.body), before, "an unrecycled batch is left alone");
  // [e, f] left in the buffer that followed `second`; `g` starts the recycled one.
  ok(third!.body.buffer !== second!.body.buffer);
  const [last] = batcher.flush();
  equal(last!.body.buffer, second!.body.buffer, "the recycled buffer holds the next batch");
  equal(decoder.decode(last!.body), '{"logEvents":[{"timestamp":1767225600000,"message":"g"}]}');
  batcher.close();
  throws(() => batcher.add(ev(T0, "h")), /used after close/);
});

Deno.test("a batch addAll returns names the event it was cut at; flushed batches name none", () => {
  const batcher = new LogEventBatcher(batchLimits(2));
  batcher.add(ev(T0, "p")); // pending from an earlier call
  const ready = batcher.addAll([ev(T0, "a"), ev(T0, "b"), ev(T0, "c"), ev(T0, "d")]);
  deepEqual(ready.map((b) => [decode(b).events.map((e) => e.message), b.cutBefore]), [[["p", "a"], 1], [
    ["b", "c"],
    3,
  ]]);
  deepEqual(batcher.flush().map((b) => [decode(b).events.map((e) => e.message), b.cutBefore]), [[["d"], undefined]]);
  const split = new LogEventBatcher();
  split.add(ev(T0 + 30 * HOUR, "late"));
  const [early, late] = split.addAll(Array.from({ length: 10_000 }, (_, i) => ev(T0 + i, `e${i}`)));
  deepEqual([early!.cutBefore, late!.cutBefore], [9_999, 9_999], "batches cut by span at one cut share it");
});

Deno.test("buffers go back to the pool when grown past, recycled and closed, and are taken again", () => {
  const pool = new BufferPool();
  const batcher = new LogEventBatcher(batchLimits(), FRAME, pool);
  const big = "x".repeat(100_000); // past the first buffer: it grows
  const [batch] = [...batcher.addAll([ev(T0, big)]), ...batcher.flush()];
  equal(pool.size, 1, "the outgrown buffer (too small for the next batch, which starts as large as this one)");
  batcher.recycle(batch!);
  batcher.close();
  equal(pool.size, 3, "the outgrown one, the sent one, the one being filled");
  const next = new LogEventBatcher(batchLimits(), FRAME, pool);
  next.add(ev(T0, "a"));
  equal(pool.size, 2, "a new batcher starts in a spare buffer");
  equal(decoder.decode(next.flush()[0]!.body), '{"logEvents":[{"timestamp":1767225600000,"message":"a"}]}');
});

Deno.test("after the first batch of a steady stream, the buffers no longer grow", () => {
  let taken = 0;
  const pool = new (class extends BufferPool {
    override take(bytes: number): Uint8Array {
      taken++;
      return super.take(bytes);
    }
  })();
  const batcher = new LogEventBatcher(batchLimits(), FRAME, pool);
  const message = "m".repeat(230);
  let batches = 0;
  for (let chunk = 0; chunk < 5_000; chunk++) {
    for (const b of batcher.addAll(Array.from({ length: 22 }, () => ev(T0 + chunk, message)))) {
      batches++;
      batcher.recycle(b);
    }
  }
  ok(batches >= 25, String(batches));
  // The first batch grows from 16 KiB in doublings; then one buffer per batch, reused.
  ok(taken <= batches + 10, `${taken} buffers taken for ${batches} batches`);
});
