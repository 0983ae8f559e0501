/**
 * One application log line in the formats containers really print, with an
 * exact size in bytes: JSON (`ts` epoch seconds as zap writes it, or `time`
 * RFC 3339 as slog/logrus write it), ISO-8601-prefixed text, logfmt with
 * `time="…"`, klog, and Go's standard `log` package.
 *
 * @module
 */
import type { Random } from "./random.ts";

/** The formats a line can take; `mixed` picks one per line. */
export const LOG_FORMATS = ["json", "iso", "logfmt", "klog", "go"] as const;
export type LogFormat = typeof LOG_FORMATS[number];
export type FormatChoice = LogFormat | "mixed";

export type Level = "debug" | "info" | "warn" | "error";
/** Level frequencies of a typical service: mostly info. */
const LEVELS: readonly Level[] = ["debug", "info", "info", "info", "info", "info", "info", "warn", "warn", "error"];

/** Lines are at least this long, so every format's header fits with a message. */
export const MIN_LINE_BYTES = 100;

const WORDS = ("request handled user order payment latency cache miss upstream retry timeout connection accepted " +
  "rejected queue worker started finished span trace query rows status ok checkout cart session token " +
  "refreshed shard replica leader election heartbeat flushed batch records bytes").split(" ");
const CALLERS = ["handler.go:88", "server.go:214", "worker.go:57", "client.go:131", "store.go:402"];

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
/** klog has no debug severity: verbose lines are Info. */
const KLOG_SEVERITY: Record<Level, string> = { debug: "I", info: "I", warn: "W", error: "E" };

/** The header of a line of `format` at `time`, and how the message text is wrapped. */
function frame(format: LogFormat, time: Date, level: Level, variant: number): [string, string] {
  const iso = time.toISOString();
  switch (format) {
    case "json":
      return variant % 2 === 0
        ? [`{"ts":${(time.getTime() / 1000).toFixed(3)},"level":"${level}","caller":"${CALLERS[0]}","msg":"`, `"}`]
        : [`{"time":"${iso}","level":"${level.toUpperCase()}","msg":"`, `"}`];
    case "iso":
      return [`${iso} ${level.toUpperCase().padEnd(5)} `, ""];
    case "logfmt":
      return [`time="${iso.slice(0, 19)}Z" level=${level} msg="`, `"`];
    case "klog": {
      const micros = pad(time.getUTCMilliseconds(), 3) + pad(variant % 1000, 3);
      const date = `${pad(time.getUTCMonth() + 1)}${pad(time.getUTCDate())}`;
      const clock = `${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}:${pad(time.getUTCSeconds())}`;
      return [`${KLOG_SEVERITY[level]}${date} ${clock}.${micros} ${String(1).padStart(7)} ${CALLERS[2]}] `, ""];
    }
    case "go": {
      const date = `${time.getUTCFullYear()}/${pad(time.getUTCMonth() + 1)}/${pad(time.getUTCDate())}`;
      const clock = `${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}:${pad(time.getUTCSeconds())}`;
      return [`${date} ${clock} `, ""];
    }
  }
}

/** Words filling exactly `length` characters (ASCII, no quotes, no trailing space). */
function text(random: Random, length: number): string {
  let out = "";
  while (out.length < length) out += (out === "" ? "" : " ") + random.pick(WORDS);
  out = out.slice(0, length);
  return out.endsWith(" ") ? out.slice(0, -1) + "x" : out;
}

/** A log line. */
export interface LogLine {
  readonly format: LogFormat;
  readonly level: Level;
  /** The line exactly as the container prints it (no newline). */
  readonly line: string;
}

/** When a line is written, how long it is and where its randomness comes from. */
export interface LineSpec {
  readonly time: Date;
  /** The line's length in bytes (at least {@link MIN_LINE_BYTES}). */
  readonly bytes: number;
  readonly random: Random;
}

/**
 * A line of `choice` at `time` that is exactly `bytes` bytes long (at least
 * {@link MIN_LINE_BYTES}).
 */
export function logLine(choice: FormatChoice, { time, bytes, random }: LineSpec): LogLine {
  const format = choice === "mixed" ? random.pick(LOG_FORMATS) : choice;
  const level = random.pick(LEVELS);
  const [head, tail] = frame(format, time, level, random.int(0, 999));
  const room = Math.max(1, Math.max(bytes, MIN_LINE_BYTES) - head.length - tail.length);
  return { format, level, line: head + text(random, room) + tail };
}
