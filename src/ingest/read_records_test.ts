import { deepStrictEqual as deepEqual, ok, rejects, strictEqual as equal } from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { ProcessingError } from "../errors.ts";
import { chunked, collect, streamOf } from "../../tests/support/fakes.ts";
import { emptyReadStats, readRecords } from "./read_records.ts";
import { MAX_LINE_CHARS } from "./split_lines.ts";
import { truncationMarker } from "./parse_record.ts";
import { TimeSlicer } from "./time_slice.ts";

const FALLBACK = Date.UTC(2026, 0, 1);
const encoder = new TextEncoder();

const OBJECT = [
  '{"message":"one","timestamp":"2026-01-01T00:00:01Z"}',
  "",
  "   ",
  "not json",
  '{"message":"two"}',
  "\t",
  "[1,2,3]",
  '{"level":"info"}',
].join("\r\n") + "\n";

Deno.test("reads events, skipping blank lines and counting unparsable ones", async () => {
  const stats = emptyReadStats();
  const chunks = await collect(readRecords(streamOf(OBJECT), { fallbackMs: FALLBACK, stats }));
  deepEqual(chunks.flatMap((c) => c.events), [
    { timestamp: Date.UTC(2026, 0, 1, 0, 0, 1), message: "one" },
    { timestamp: FALLBACK, message: "two" },
    { timestamp: FALLBACK, message: '{"level":"info"}' },
  ]);
  deepEqual(stats, { lines: 5, events: 3, unparsable: 2, bytes: encoder.encode(OBJECT).length });
});

Deno.test("lines[i] is the raw source line of events[i]", async () => {
  const chunks = await collect(readRecords(streamOf(OBJECT), { fallbackMs: FALLBACK, stats: emptyReadStats() }));
  for (const chunk of chunks) equal(chunk.lines.length, chunk.events.length);
  deepEqual(chunks.flatMap((c) => c.lines), [
    '{"message":"one","timestamp":"2026-01-01T00:00:01Z"}',
    '{"message":"two"}',
    '{"level":"info"}',
  ]);
});

Deno.test("gzip and plain objects give the same events and stats (bytes are decompressed bytes)", async () => {
  const plain = emptyReadStats();
  const gz = emptyReadStats();
  const fromPlain = await collect(readRecords(streamOf(OBJECT), { fallbackMs: FALLBACK, stats: plain }));
  const fromGzip = await collect(
    readRecords(streamOf(...chunked(gzipSync(OBJECT), 5)), { fallbackMs: FALLBACK, stats: gz }),
  );
  deepEqual(fromGzip.flatMap((c) => c.events), fromPlain.flatMap((c) => c.events));
  deepEqual(gz, plain);
});

Deno.test("an empty object yields nothing and zero stats", async () => {
  const stats = emptyReadStats();
  deepEqual(await collect(readRecords(streamOf(), { fallbackMs: FALLBACK, stats })), []);
  deepEqual(stats, emptyReadStats());
  deepEqual(await collect(readRecords(streamOf(gzipSync("")), { fallbackMs: FALLBACK, stats })), []);
  deepEqual(stats, emptyReadStats());
});

Deno.test("an object of only blank lines yields no chunk and counts no line", async () => {
  const stats = emptyReadStats();
  deepEqual(await collect(readRecords(streamOf("\n\r\n  \n"), { fallbackMs: FALLBACK, stats })), []);
  equal(stats.lines, 0);
  equal(stats.unparsable, 0);
});

Deno.test("a line too long to keep is delivered cut, with its full size, never dropped", async () => {
  const stats = emptyReadStats();
  const body = "é".repeat(MAX_LINE_CHARS);
  const big = `{"message":"${body}"}`;
  const text = `{"message":"a"}\n${big}\n{"message":"b"}\n`;
  const chunks = await collect(readRecords(streamOf(text), { fallbackMs: FALLBACK, stats }));
  const events = chunks.flatMap((c) => c.events);
  deepEqual(events.map((e) => e.message.length), [1, MAX_LINE_CHARS + 1, 1]);
  const cut = events[1]!;
  equal(cut.message, big.slice(0, MAX_LINE_CHARS + 1), "the head of the raw line");
  equal(cut.originalBytes, encoder.encode(big).length);
  equal(cut.timestamp, FALLBACK);
  const line = chunks.flatMap((c) => c.lines)[1]!;
  deepEqual(JSON.parse(line), { message: `${cut.message}${truncationMarker(cut.originalBytes!)}` });
  deepEqual({ lines: stats.lines, events: stats.events, unparsable: stats.unparsable }, {
    lines: 3,
    events: 3,
    unparsable: 0,
  });
});

Deno.test("past MAX_OBJECT_MB or MAX_OBJECT_LINES reading fails with a permanent ObjectTooLarge, what was read counted", async () => {
  const text = Array.from({ length: 100 }, (_, i) => `{"message":"m${i}"}\n\n`).join("");
  const names = { bytes: "MAX_OBJECT_MB", lines: "MAX_OBJECT_LINES" };
  for (
    const [limits, pattern] of [
      [{ maxBytes: 1000, maxLines: Infinity, names }, /more than 1000 decompressed bytes \(raise MAX_OBJECT_MB/],
      [{ maxBytes: Infinity, maxLines: 50, names }, /more than 50 lines \(raise MAX_OBJECT_LINES/],
    ] as const
  ) {
    const stats = emptyReadStats();
    const seen: string[] = [];
    await rejects(
      (async () => {
        for await (
          const c of readRecords(streamOf(...chunked(encoder.encode(text), 64)), { fallbackMs: 0, stats, limits })
        ) {
          seen.push(...c.events.map((e) => e.message));
        }
      })(),
      (err) => err instanceof ProcessingError && err.code === "ObjectTooLarge" && pattern.test(err.message),
    );
    ok(seen.length > 0 && seen.length < 100, `${seen.length} events before the cap`);
    deepEqual(seen, seen.map((_, i) => `m${i}`), "a prefix of the object, in order");
    equal(stats.events, seen.length);
  }
});

Deno.test("reading gives the event loop a turn once a slice is used up, not on every chunk", async () => {
  let clock = 0;
  const slicer = new TimeSlicer({ sliceMs: 10, now: () => clock });
  let turns = 0;
  const timer = setInterval(() => turns++, 0);
  try {
    const chunks = Array.from({ length: 30 }, (_, i) => `{"message":"${i}"}\n`);
    let read = 0;
    for await (const _ of readRecords(streamOf(...chunks), { fallbackMs: 0, stats: emptyReadStats(), slicer })) {
      read++;
      clock += 1; // each chunk "costs" 1 ms: a turn every 10 chunks
    }
    equal(read, 30);
    ok(turns >= 2 && turns <= 4, `${turns} turns`);
  } finally {
    clearInterval(timer);
  }
});

Deno.test("stats are updated while the stream is consumed", async () => {
  const stats = emptyReadStats();
  const iterator = readRecords(streamOf('{"message":"a"}\n', '{"message":"b"}\n'), { fallbackMs: FALLBACK, stats });
  await iterator.next();
  equal(stats.events, 1);
  await iterator.next();
  equal(stats.events, 2);
});

Deno.test("a corrupt gzip object fails with the permanent CorruptGzip error", async () => {
  const gz = gzipSync(OBJECT);
  await rejects(
    collect(readRecords(streamOf(gz.subarray(0, gz.length - 3)), { fallbackMs: FALLBACK, stats: emptyReadStats() })),
    (err) => err instanceof ProcessingError && err.code === "CorruptGzip" && err.failureClass === "permanent",
  );
});
