/**
 * The parsing limit of one gzip NDJSON object: the least any processor must
 * do with it (gunzip, split into lines, `JSON.parse` each line), streamed from
 * the file like the object body, and `readRecords` over the same bytes; both
 * as CPU seconds from the OS (`/proc/self/stat`, every thread). The
 * whole-process bench measures it in its own process and again in a child
 * started with the processor's V8 flags, so the figures share a run with it.
 *
 * `deno run -A bench/parse_limit.ts <file.json.gz> [repetitions]` prints JSON.
 *
 * @module
 */
import { createGunzip } from "node:zlib";
import { Readable } from "node:stream";
import { emptyReadStats, readRecords } from "../src/ingest/read_records.ts";
import { sampleProcess } from "./proc_stats.ts";

/** gunzip → lines → JSON.parse, streamed; returns uncompressed bytes and lines. */
export async function parseLimitPass(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number; lines: number }> {
  const decoder = new TextDecoder();
  let bytes = 0;
  let lines = 0;
  let carry = "";
  for await (const chunk of Readable.from(chunks).pipe(createGunzip())) {
    const data = chunk as Uint8Array;
    bytes += data.length;
    const parts = (carry + decoder.decode(data, { stream: true })).split("\n");
    carry = parts.pop()!;
    for (const line of parts) {
      if (line !== "") {
        JSON.parse(line);
        lines++;
      }
    }
  }
  if (carry !== "") {
    JSON.parse(carry);
    lines++;
  }
  return { bytes, lines };
}

/** `readRecords` over `chunks`; returns uncompressed bytes and events. */
export async function readRecordsPass(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number; lines: number }> {
  const stats = emptyReadStats();
  for await (const _ of readRecords(chunks, { fallbackMs: Date.now(), stats })) { /* consume */ }
  return { bytes: stats.bytes, lines: stats.events };
}

/** A pass's rate: uncompressed MB per CPU second (best of `repetitions`). */
export interface PassRate {
  readonly mb: number;
  readonly lines: number;
  readonly cpu_seconds: number;
  readonly mb_per_cpu_s: number;
}

async function measure(
  file: string,
  pass: (chunks: AsyncIterable<Uint8Array>) => Promise<{ bytes: number; lines: number }>,
  repetitions: number,
): Promise<PassRate> {
  let best: PassRate | undefined;
  for (let i = 0; i < repetitions; i++) {
    const before = await sampleProcess(Deno.pid);
    const { bytes, lines } = await pass((await Deno.open(file)).readable);
    const cpu = (await sampleProcess(Deno.pid)).cpuSeconds - before.cpuSeconds;
    const rate = { mb: bytes / 1e6, lines, cpu_seconds: cpu, mb_per_cpu_s: bytes / 1e6 / cpu };
    if (!best || rate.mb_per_cpu_s > best.mb_per_cpu_s) best = rate;
  }
  return best!;
}

/** The parsing limit and readRecords over `file`, alternating so load affects both alike. */
export async function parseLimits(file: string, repetitions = 2) {
  const limit = await measure(file, parseLimitPass, repetitions);
  const records = await measure(file, readRecordsPass, repetitions);
  return { limit, read_records: records, read_records_vs_limit: records.mb_per_cpu_s / limit.mb_per_cpu_s };
}

if (import.meta.main) {
  console.log(JSON.stringify(await parseLimits(Deno.args[0] ?? "", Number(Deno.args[1] ?? 2))));
}
