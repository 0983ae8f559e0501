/**
 * An opened object → chunks of events, streamed: decompress → lines → records.
 * Blank lines are skipped; unparsable lines are counted, never fatal.
 *
 * @module
 */
import { decompress } from "./decompress.ts";
import { type LogEvent, parseRecord } from "./parse_record.ts";
import { splitLines } from "./split_lines.ts";

/** Events parsed from a run of lines; `lines[i]` is the source line of `events[i]`. */
export interface RecordChunk {
  readonly events: LogEvent[];
  readonly lines: string[];
}

/** What reading one object found. */
export interface ReadStats {
  /** Non-blank lines seen. */
  lines: number;
  /** Lines that parsed into events. */
  events: number;
  /** Lines that were not a JSON object, or too long to keep. */
  unparsable: number;
  /** Bytes of decompressed NDJSON. */
  bytes: number;
}

/** Creates zeroed read statistics. */
export function emptyReadStats(): ReadStats {
  return { lines: 0, events: 0, unparsable: 0, bytes: 0 };
}

async function* counted(
  chunks: AsyncIterable<Uint8Array>,
  stats: ReadStats,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    stats.bytes += chunk.length;
    yield chunk;
  }
}

/**
 * Reads `chunks` (gzip or plain NDJSON) into event chunks. `fallbackTimestamp`
 * (the object's LastModified) is used for records without a usable timestamp.
 * `stats` is updated as the stream is consumed.
 */
export async function* readRecords(
  chunks: AsyncIterable<Uint8Array>,
  fallbackTimestamp: number,
  stats: ReadStats,
): AsyncGenerator<RecordChunk> {
  const split = { oversized: 0 };
  for await (const batch of splitLines(counted(decompress(chunks), stats), split)) {
    const events: LogEvent[] = [];
    const lines: string[] = [];
    for (const line of batch) {
      // Fast path: a record starts with "{"; only other lines need trimming.
      if (line.charCodeAt(0) !== 0x7b && line.trim() === "") continue;
      stats.lines++;
      const event = parseRecord(line, fallbackTimestamp);
      if (event === undefined) {
        stats.unparsable++;
        continue;
      }
      events.push(event);
      lines.push(line);
    }
    stats.events += events.length;
    if (events.length > 0) yield { events, lines };
  }
  stats.unparsable += split.oversized;
  stats.lines += split.oversized;
}
