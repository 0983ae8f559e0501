import { deepStrictEqual as deepEqual } from "node:assert/strict";
import { chunked, collect, seededRandom, streamOf } from "../../tests/support/fakes.ts";
import { splitLines, type SplitStats } from "./split_lines.ts";

const encoder = new TextEncoder();

async function lines(chunks: AsyncIterable<Uint8Array>, stats?: SplitStats, max?: number): Promise<string[]> {
  return (await collect(splitLines(chunks, stats, max))).flat();
}

Deno.test("splits LF and CRLF lines and strips the CR", async () => {
  deepEqual(await lines(streamOf("a\nb\r\nc\r\n")), ["a", "b", "c"]);
});

Deno.test("a CR inside a line is kept; only a CR before LF is removed", async () => {
  deepEqual(await lines(streamOf("a\rb\n\r\n")), ["a\rb", ""]);
});

Deno.test("blank lines are yielded as empty strings", async () => {
  deepEqual(await lines(streamOf("a\n\n\r\nb\n")), ["a", "", "", "b"]);
});

Deno.test("a last line without a newline is yielded (CR stripped too)", async () => {
  deepEqual(await lines(streamOf("a\nlast")), ["a", "last"]);
  deepEqual(await lines(streamOf("a\r\nlast\r")), ["a", "last"]);
  deepEqual(await lines(streamOf("only")), ["only"]);
});

Deno.test("empty input yields nothing", async () => {
  deepEqual(await lines(streamOf()), []);
  deepEqual(await lines(streamOf(new Uint8Array(0), "")), []);
});

Deno.test("lines split across chunks are joined, whatever the chunk size", async () => {
  const text = '{"message":"first"}\r\n{"message":"second"}\n\n{"message":"third"}\r\ntail';
  const expected = ['{"message":"first"}', '{"message":"second"}', "", '{"message":"third"}', "tail"];
  const bytes = encoder.encode(text);
  for (const size of [1, 2, 3, 5, 7, 19, 20, 21, 64, bytes.length]) {
    deepEqual(await lines(streamOf(...chunked(bytes, size))), expected, `chunk size ${size}`);
  }
});

Deno.test("a CRLF split between chunks is still one line ending", async () => {
  deepEqual(await lines(streamOf("a\r", "\nb\r", "\n")), ["a", "b"]);
});

Deno.test("multi-byte UTF-8 characters split across chunks decode intact", async () => {
  const text = "é日志📜\nünïcödé 🚀🚀\n";
  const bytes = encoder.encode(text);
  for (let size = 1; size <= 5; size++) {
    deepEqual(await lines(streamOf(...chunked(bytes, size))), ["é日志📜", "ünïcödé 🚀🚀"], `chunk size ${size}`);
  }
});

Deno.test("invalid UTF-8 becomes U+FFFD instead of failing", async () => {
  deepEqual(await lines(streamOf(new Uint8Array([0x61, 0xff, 0x62, 0x0a]))), ["a\ufffdb"]);
});

Deno.test("lines are yielded in batches, one per input chunk with complete lines", async () => {
  const batches = await collect(splitLines(streamOf("a\nb\nc", "d\ne\n", "f")));
  deepEqual(batches, [["a", "b"], ["cd", "e"], ["f"]]);
});

Deno.test("an oversized line spread over chunks is cut to its head and its size counted; neighbours survive", async () => {
  const long = "x".repeat(25);
  const bytes = encoder.encode(`before\n${long}\nafter\n`);
  for (const size of [1, 4, 10]) {
    const stats: SplitStats = { cutBytes: [] };
    const got = await lines(streamOf(...chunked(bytes, size)), stats, 10);
    deepEqual(got, ["before", "x".repeat(11), "after"], `chunk ${size}`);
    deepEqual(stats.cutBytes, [25], `chunk ${size}`);
  }
});

Deno.test("an oversized line is cut however it is chunked, even inside one chunk or at the very end", async () => {
  const long = "y".repeat(25);
  const text = `before\n${long}\r\nafter\n${long}`;
  const bytes = encoder.encode(text);
  for (const size of [1, 3, 8, 11, 30, bytes.length]) {
    const stats: SplitStats = { cutBytes: [] };
    const got = await lines(streamOf(...chunked(bytes, size)), stats, 10);
    deepEqual(got, ["before", "y".repeat(11), "after", "y".repeat(11)], `chunk ${size}`);
    deepEqual(stats.cutBytes, [25, 25], `chunk ${size}: the CR of CRLF is not the line's`);
  }
});

Deno.test("a cut line's size counts UTF-8 bytes, not characters", async () => {
  const long = "é".repeat(20); // 40 bytes
  for (const size of [1, 5, 100]) {
    const stats: SplitStats = { cutBytes: [] };
    deepEqual(await lines(streamOf(...chunked(encoder.encode(`${long}\nok\n`), size)), stats, 10), [
      "é".repeat(11),
      "ok",
    ]);
    deepEqual(stats.cutBytes, [40], `chunk ${size}`);
  }
});

Deno.test("a line exactly at the limit is kept whole", async () => {
  const stats: SplitStats = { cutBytes: [] };
  const exact = "z".repeat(10);
  for (const size of [1, 4, 100]) {
    deepEqual(await lines(streamOf(...chunked(encoder.encode(`${exact}\r\n${exact}\r`), size)), stats, 10), [
      exact,
      exact,
    ]);
  }
  deepEqual(stats.cutBytes, []);
});

Deno.test("several oversized lines in a row are each cut and counted", async () => {
  const stats: SplitStats = { cutBytes: [] };
  const long = "w".repeat(30);
  const bytes = encoder.encode(`${long}\n${long}\n${long}\nok\n`);
  const head = "w".repeat(11);
  deepEqual(await lines(streamOf(...chunked(bytes, 4)), stats, 10), [head, head, head, "ok"]);
  deepEqual(stats.cutBytes, [30, 30, 30]);
});

Deno.test("property: any chunking gives the same lines and cut sizes as splitting the whole text", async () => {
  const random = seededRandom(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const pieces = ["a", "bb", "é", "日", "📜", "\r", "\n", "\r\n", "\n\n", "xxxxxxxx"];
  const max = 12;
  for (let round = 0; round < 300; round++) {
    let text = "";
    const length = Math.floor(random() * 40);
    for (let i = 0; i < length; i++) text += pick(pieces);
    const all = text.split("\n").map((l) => l.endsWith("\r") ? l.slice(0, -1) : l);
    if (text === "" || text.endsWith("\n")) all.pop();
    const expected = all.map((l) => l.length > max ? l.slice(0, max + 1) : l);
    const expectedCuts = all.filter((l) => l.length > max).map((l) => encoder.encode(l).length);
    const bytes = encoder.encode(text);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length;) {
      const n = 1 + Math.floor(random() * 9);
      chunks.push(bytes.subarray(i, i + n));
      i += n;
    }
    const stats: SplitStats = { cutBytes: [] };
    deepEqual(await lines(streamOf(...chunks), stats, max), expected, JSON.stringify(text));
    deepEqual(stats.cutBytes, expectedCuts, JSON.stringify(text));
  }
});
