/**
 * Structured JSON logs, one object per line on stderr. Fields whose names look
 * like secrets are replaced before anything is written: credentials never
 * reach a log.
 *
 * @module
 */
/** Logger threshold. */
export type LogLevel = "debug" | "info" | "warn" | "error";
/** Every level, lowest first. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export type LogFields = Record<string, unknown>;

/** The logging surface every module receives. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_NAME = /secret|token|password|credential|accesskey|session_?key|external_?id/i;

/** Replaces secret-looking fields and turns errors into plain objects. */
function sanitize(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[depth]";
  if (value instanceof Error) {
    const out: LogFields = { name: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (typeof code === "string") out.code = code;
    if (value.cause !== undefined) out.cause = sanitize(value.cause, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  if (value && typeof value === "object") {
    const out: LogFields = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_NAME.test(k) ? "[redacted]" : sanitize(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Writes one line; swappable in tests. */
export type LineSink = (line: string) => void;

const encoder = new TextEncoder();
/** Default sink: synchronous write to stderr, so lines never interleave. */
export const stderrSink: LineSink = (line) => {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
};

/** Creates a JSON logger at `level` writing to `sink`. */
export function createLogger(
  level: LogLevel = "info",
  sink: LineSink = stderrSink,
  base: LogFields = {},
): Logger {
  const threshold = RANK[level];
  const write = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < threshold) return;
    // The line's own keys come first and cannot be overwritten by fields.
    const line: LogFields = { time: "", level: lvl, msg, ...(sanitize({ ...base, ...fields }) as LogFields) };
    line.time = new Date().toISOString();
    line.level = lvl;
    line.msg = msg;
    sink(JSON.stringify(line));
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger(level, sink, { ...base, ...fields }),
  };
}

/** A logger that drops everything (unit tests, benchmarks). */
export const silentLogger: Logger = createLogger("error", () => {});
