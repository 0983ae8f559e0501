/**
 * An opened object → chunks of events, streamed: decompress → lines → records.
 * Blank lines are skipped; unparsable lines are counted, never fatal; a line
 * too long to keep is cut and delivered truncated. The object's inflated
 * size and line count are capped ({@link ReadLimits}), and the work is time
 * sliced so the event loop stays free (see time_slice.ts).
 *
 * @module
 */
import { permanent } from "../errors.ts";
import { decompress } from "./decompress.ts";
import { cutLineEvent, type LogEvent, parseRecord } from "./parse_record.ts";
import { MAX_LINE_CHARS, splitLines } from "./split_lines.ts";
import { SHARED_SLICER, type TimeSlicer } from "./time_slice.ts";

/** Events parsed from a run of lines; `lines[i]` is the source line of `events[i]`. */
export interface RecordChunk {
  readonly events: LogEvent[];
  readonly lines: string[];
}

/** What reading one object found. */
export interface ReadStats {
  /** Non-blank lines seen. */
  lines: number;
  /** Lines that parsed into events (cut lines included). */
  events: number;
  /** Lines that were not a JSON object. */
  unparsable: number;
  /** Bytes of decompressed NDJSON. */
  bytes: number;
}

/** Creates zeroed read statistics. */
export function emptyReadStats(): ReadStats {
  return { lines: 0, events: 0, unparsable: 0, bytes: 0 };
}

/** Caps on one object; past one, reading fails with a permanent `ObjectTooLarge`. */
export interface ReadLimits {
  /** Decompressed bytes. */
  readonly maxBytes: number;
  /** Lines, blank ones included (they cost the same to split). */
  readonly maxLines: number;
  /** The settings that set them, named in the error. */
  readonly names?: { readonly bytes: string; readonly lines: string };
}

/** No cap (tests and tools that read what they are given). */
export const NO_LIMITS: ReadLimits = { maxBytes: Infinity, maxLines: Infinity };

/** How to read one object. */
export interface ReadOptions {
  /** Timestamp (epoch ms) of records without a usable one: the object's LastModified. */
  readonly fallbackMs: number;
  /** Updated as the stream is consumed. */
  readonly stats: ReadStats;
  readonly limits?: ReadLimits;
  /** Gives the event loop its turns; default the process-wide one. */
  readonly slicer?: TimeSlicer;
}

function tooLarge(what: string, limit: number, setting: string | undefined): Error {
  const raise = setting ? ` (raise ${setting} to read it)` : "";
  return permanent("ObjectTooLarge", `object has more than ${limit} ${what}${raise}`);
}

async function* counted(
  chunks: AsyncIterable<Uint8Array>,
  stats: ReadStats,
  limits: ReadLimits,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    stats.bytes += chunk.length;
    if (stats.bytes > limits.maxBytes) throw tooLarge("decompressed bytes", limits.maxBytes, limits.names?.bytes);
    yield chunk;
  }
}

/**
 * Reads `chunks` (gzip or plain NDJSON) into event chunks. Their order is the
 * object's: the same object version always yields the same events in the
 * same order, whatever its bytes' chunking, so an event's ordinal names it
 * across attempts (progress, see src/pipeline/delivery_memory.ts).
 *
 * @throws {ProcessingError} `CorruptGzip`, or `ObjectTooLarge` past a limit (both permanent).
 */
export async function* readRecords(
  chunks: AsyncIterable<Uint8Array>,
  options: ReadOptions,
): AsyncGenerator<RecordChunk> {
  const { fallbackMs, stats } = options;
  const limits = options.limits ?? NO_LIMITS;
  const slicer = options.slicer ?? SHARED_SLICER;
  const split = { cutBytes: [] as number[] };
  let allLines = 0;
  for await (const batch of splitLines(counted(decompress(chunks), stats, limits), split)) {
    allLines += batch.length;
    if (allLines > limits.maxLines) throw tooLarge("lines", limits.maxLines, limits.names?.lines);
    const events: LogEvent[] = [];
    const lines: string[] = [];
    for (const line of batch) {
      // A cut line is longer than any kept whole; its size comes in the same order.
      const cutBytes = line.length > MAX_LINE_CHARS ? split.cutBytes.shift() ?? line.length : undefined;
      // Fast path: a record starts with "{"; only other lines need trimming.
      if (line.charCodeAt(0) !== 0x7b && line.trim() === "") continue;
      stats.lines++;
      if (cutBytes !== undefined) {
        const cut = cutLineEvent(line, cutBytes, fallbackMs);
        events.push(cut.event);
        lines.push(cut.line);
        continue;
      }
      const event = parseRecord(line, fallbackMs);
      if (event === undefined) {
        stats.unparsable++;
        continue;
      }
      events.push(event);
      lines.push(line);
    }
    stats.events += events.length;
    if (events.length > 0) yield { events, lines };
    const pause = slicer.pause();
    if (pause) await pause;
  }
}
