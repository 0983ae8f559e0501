import assert from "node:assert/strict";
import { readLines } from "./read_lines.ts";

const streamOf = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
      c.close();
    },
  });

async function lines(max: number, ...chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  await readLines(streamOf(...chunks), (l) => out.push(l), max);
  return out;
}

Deno.test("readLines: lines across chunk boundaries, the last one without a newline", async () => {
  assert.deepEqual(await lines(100, "a\nb", "c\n\nd", "é\n", "tail"), ["a", "bc", "", "dé", "tail"]);
});

Deno.test("readLines: an overlong line is cut to its head, the rest skipped up to its newline", async () => {
  assert.deepEqual(await lines(5, "0123456789", "abcdef\nnext\n", "x".repeat(20)), ["01234", "next", "xxxxx"]);
});

Deno.test("readLines: a broken stream ends the lines read so far", async () => {
  let n = 0;
  const broken = new ReadableStream<Uint8Array>({
    pull(c) {
      if (n++ === 0) c.enqueue(new TextEncoder().encode("one\ntwo"));
      else c.error(new Error("gone"));
    },
  });
  const out: string[] = [];
  await readLines(broken, (l) => out.push(l), 100);
  assert.deepEqual(out, ["one", "two"]);
});
