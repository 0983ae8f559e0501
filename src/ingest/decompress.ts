/**
 * Gunzips a byte stream when it starts with the gzip magic bytes `1f 8b`
 * (never trusting names or headers); passes plain bytes through. Uses
 * `node:zlib`, which, unlike `DecompressionStream`, reads concatenated members.
 *
 * @module
 */
import { createGunzip } from "node:zlib";
import { pipeline, Readable } from "node:stream";
import { permanent } from "../errors.ts";

/** True when `head` begins with the gzip magic bytes. */
function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Yields `first` and then the rest of `iterator`. */
async function* prepend(
  first: Uint8Array[],
  iterator: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield* first;
  while (true) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

const ZLIB_ERROR = /^Z_|unexpected end of file|incorrect header|invalid|unknown compression/i;

async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const output = pipeline(Readable.from(source, { objectMode: false }), createGunzip(), () => {});
  try {
    for await (const chunk of output) yield chunk as Uint8Array;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    if ((typeof code === "string" && code.startsWith("Z_")) || ZLIB_ERROR.test(message)) {
      throw permanent("CorruptGzip", `gzip data is corrupt or truncated: ${message}`, err);
    }
    throw err;
  } finally {
    output.destroy();
  }
}

/** Decompresses `chunks` when they are gzip, else yields them unchanged. */
export async function* decompress(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done) break;
    if (next.value.length === 0) continue;
    head.push(next.value);
    headBytes += next.value.length;
  }
  if (headBytes === 0) return;
  const first = head.length === 1 ? head[0]! : Uint8Array.from(head.flatMap((c) => [...c]));
  const rest = prepend([first], iterator);
  yield* isGzip(first) ? gunzip(rest) : rest;
}
