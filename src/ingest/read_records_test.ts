import { deepStrictEqual as deepEqual, rejects, strictEqual as equal } from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { ProcessingError } from "../errors.ts";
import { chunked, collect, streamOf } from "../../tests/support/fakes.ts";
import { emptyReadStats, readRecords } from "./read_records.ts";
import { MAX_LINE_CHARS } from "./split_lines.ts";

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
  const chunks = await collect(readRecords(streamOf(OBJECT), FALLBACK, stats));
  deepEqual(chunks.flatMap((c) => c.events), [
    { timestamp: Date.UTC(2026, 0, 1, 0, 0, 1), message: "one" },
    { timestamp: FALLBACK, message: "two" },
    { timestamp: FALLBACK, message: '{"level":"info"}' },
  ]);
  deepEqual(stats, { lines: 5, events: 3, unparsable: 2, bytes: encoder.encode(OBJECT).length });
});

Deno.test("lines[i] is the raw source line of events[i]", async () => {
  const chunks = await collect(readRecords(streamOf(OBJECT), FALLBACK, emptyReadStats()));
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
  const fromPlain = await collect(readRecords(streamOf(OBJECT), FALLBACK, plain));
  const fromGzip = await collect(readRecords(streamOf(...chunked(gzipSync(OBJECT), 5)), FALLBACK, gz));
  deepEqual(fromGzip.flatMap((c) => c.events), fromPlain.flatMap((c) => c.events));
  deepEqual(gz, plain);
});

Deno.test("an empty object yields nothing and zero stats", async () => {
  const stats = emptyReadStats();
  deepEqual(await collect(readRecords(streamOf(), FALLBACK, stats)), []);
  deepEqual(stats, emptyReadStats());
  deepEqual(await collect(readRecords(streamOf(gzipSync("")), FALLBACK, stats)), []);
  deepEqual(stats, emptyReadStats());
});

Deno.test("an object of only blank lines yields no chunk and counts no line", async () => {
  const stats = emptyReadStats();
  deepEqual(await collect(readRecords(streamOf("\n\r\n  \n"), FALLBACK, stats)), []);
  equal(stats.lines, 0);
  equal(stats.unparsable, 0);
});

Deno.test("an oversized line counts as a line and as unparsable", async () => {
  const stats = emptyReadStats();
  const big = `{"message":"${"x".repeat(MAX_LINE_CHARS)}"}`;
  const text = `{"message":"a"}\n${big}\n{"message":"b"}\n`;
  const events = (await collect(readRecords(streamOf(text), FALLBACK, stats))).flatMap((c) => c.events);
  deepEqual(events.map((e) => e.message), ["a", "b"]);
  deepEqual({ lines: stats.lines, events: stats.events, unparsable: stats.unparsable }, {
    lines: 3,
    events: 2,
    unparsable: 1,
  });
});

Deno.test("stats are updated while the stream is consumed", async () => {
  const stats = emptyReadStats();
  const iterator = readRecords(streamOf('{"message":"a"}\n', '{"message":"b"}\n'), FALLBACK, stats);
  await iterator.next();
  equal(stats.events, 1);
  await iterator.next();
  equal(stats.events, 2);
});

Deno.test("a corrupt gzip object fails with the permanent CorruptGzip error", async () => {
  const gz = gzipSync(OBJECT);
  await rejects(
    collect(readRecords(streamOf(gz.subarray(0, gz.length - 3)), FALLBACK, emptyReadStats())),
    (err) => err instanceof ProcessingError && err.code === "CorruptGzip" && err.failureClass === "permanent",
  );
});
