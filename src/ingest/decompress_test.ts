import { deepStrictEqual as deepEqual, ok, rejects, strictEqual as equal } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { gzipSync } from "node:zlib";
import { ProcessingError } from "../errors.ts";
import { chunked, collect, streamOf } from "../../tests/support/fakes.ts";
import { decompress } from "./decompress.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function text(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts = await collect(decompress(chunks));
  return decoder.decode(Buffer.concat(parts));
}

async function corrupt(chunks: AsyncIterable<Uint8Array>): Promise<ProcessingError> {
  let caught: unknown;
  await rejects(text(chunks), (err) => (caught = err, true));
  ok(caught instanceof ProcessingError, String(caught));
  equal(caught.failureClass, "permanent");
  equal(caught.code, "CorruptGzip");
  return caught;
}

const ndjson = '{"message":"a"}\n{"message":"b"}\n';

/** Whether decompress reads `bytes` as gzip (a truncated stream, so corrupt) rather than passing them through. */
async function isGzip(bytes: Uint8Array): Promise<boolean> {
  try {
    deepEqual(await collect(decompress(streamOf(bytes))), [bytes]);
    return false;
  } catch (err) {
    if (err instanceof ProcessingError && err.code === "CorruptGzip") return true;
    throw err;
  }
}

Deno.test("gzip is told by the magic bytes only", async () => {
  equal(await isGzip(new Uint8Array([0x1f, 0x8b, 0x08])), true);
  equal(await isGzip(new Uint8Array([0x1f, 0x8b])), true);
  equal(await isGzip(new Uint8Array([0x1f])), false);
  equal(await isGzip(new Uint8Array([0x8b, 0x1f])), false);
  equal(await isGzip(encoder.encode("{")), false);
});

Deno.test("plain NDJSON passes through unchanged, chunk by chunk", async () => {
  const chunks = [encoder.encode('{"message":'), encoder.encode('"a"}\n')];
  const out = await collect(decompress(streamOf(...chunks)));
  deepEqual(out, chunks);
});

Deno.test("gzip is detected by magic bytes and inflated", async () => {
  equal(await text(streamOf(gzipSync(ndjson))), ndjson);
});

Deno.test("several concatenated gzip members are all read", async () => {
  const members = Buffer.concat([gzipSync("one\n"), gzipSync("two\n"), gzipSync(""), gzipSync("three\n")]);
  equal(await text(streamOf(members)), "one\ntwo\nthree\n");
  equal(await text(streamOf(...chunked(members, 7))), "one\ntwo\nthree\n");
});

Deno.test("a first chunk of one byte is joined with the next to detect gzip", async () => {
  const gz = gzipSync(ndjson);
  equal(await text(streamOf(gz.subarray(0, 1), gz.subarray(1))), ndjson);
  equal(await text(streamOf(...chunked(gz, 1))), ndjson);
  equal(await text(streamOf(new Uint8Array(0), gz.subarray(0, 1), new Uint8Array(0), gz.subarray(1))), ndjson);
});

Deno.test("a one-byte plain first chunk is passed through", async () => {
  equal(await text(streamOf("{", '"message":"a"}\n')), '{"message":"a"}\n');
  equal(await text(streamOf("x")), "x");
});

Deno.test("empty input yields nothing", async () => {
  deepEqual(await collect(decompress(streamOf())), []);
  deepEqual(await collect(decompress(streamOf(new Uint8Array(0), new Uint8Array(0)))), []);
});

Deno.test("a truncated gzip is a permanent CorruptGzip error", async () => {
  const gz = gzipSync(ndjson.repeat(50));
  for (const cut of [2, 10, gz.length - 4, gz.length - 1]) {
    await corrupt(streamOf(gz.subarray(0, cut)));
  }
});

Deno.test("corrupt gzip data is a permanent CorruptGzip error", async () => {
  const gz = Buffer.from(gzipSync(ndjson.repeat(50)));
  const badHeader = Buffer.from(gz);
  badHeader[2] = 0x07; // unknown compression method
  await corrupt(streamOf(badHeader));
  const badData = Buffer.from(gz);
  badData[gz.length - 6]! ^= 0xff; // CRC mismatch
  await corrupt(streamOf(badData));
  const garbage = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from("this is not deflate data at all")]);
  const err = await corrupt(streamOf(garbage));
  ok(err.message.includes("corrupt or truncated"), err.message);
});

Deno.test("bytes after the last gzip member are an error, never silently dropped", async () => {
  await corrupt(streamOf(gzipSync(ndjson), encoder.encode('{"message":"plain"}\n')));
});

Deno.test("an error of the source stream is not mistaken for corrupt gzip", async () => {
  const failure = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
  async function* failing() {
    yield gzipSync(ndjson).subarray(0, 10);
    throw failure;
  }
  await rejects(text(failing()), (err) => err === failure);
  async function* failingPlain() {
    yield encoder.encode("plain");
    throw failure;
  }
  await rejects(text(failingPlain()), (err) => err === failure);
});
