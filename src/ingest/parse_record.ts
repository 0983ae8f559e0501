/**
 * One NDJSON line as Vector writes it → the event we deliver (DESIGN 1.2).
 * Pure and hot: every line of every object passes through here.
 *
 * @module
 */
import { parseUtcTimestamp } from "./utc_timestamp.ts";

/** An event as CloudWatch Logs takes it: epoch milliseconds and a message. */
export interface LogEvent {
  timestamp: number;
  message: string;
  /**
   * Set only on the event of a line too long to keep whole (see
   * {@link cutLineEvent}): the UTF-8 size of the whole line, which its
   * truncation marker reports.
   */
  originalBytes?: number;
}

/** The marker appended to a truncated message. */
export function truncationMarker(originalBytes: number): string {
  return ` …[truncated by log-processor: ${originalBytes} bytes]`;
}

/**
 * The event of a line cut because it was too long to keep (its JSON is
 * incomplete, so it cannot be parsed): the kept head of the raw line is the
 * message, marked as cut from `originalBytes`, at the object's fallback time.
 * Delivered truncated (with the marker) like any event over the size limit,
 * never dropped. `line` is what an S3 delivery writes: a JSON record of that
 * message with its marker, since the raw line is gone.
 */
export function cutLineEvent(head: string, originalBytes: number, fallbackTimestamp: number): {
  readonly event: LogEvent;
  readonly line: string;
} {
  return {
    event: { timestamp: fallbackTimestamp, message: head, originalBytes },
    line: JSON.stringify({ message: head + truncationMarker(originalBytes) }),
  };
}

/**
 * Fields our Vector agents add for routing; never part of a delivered message
 * body. Exported as the contract with the agents' VRL (k8s/base), which
 * tests/vector_config_test.ts checks against this list.
 */
export const ROUTING_FIELDS: readonly string[] = [
  "customer_id",
  "cluster_id",
  "application",
  "pod_name",
  "environment",
];
/** Fields Vector's `kubernetes_logs` source adds as metadata. */
export const VECTOR_METADATA_FIELDS: readonly string[] = [
  "timestamp",
  "source_type",
  "stream",
  "file",
  "host",
  "kubernetes",
];
const DROPPED = new Set([...ROUTING_FIELDS, ...VECTOR_METADATA_FIELDS]);

/**
 * Epoch milliseconds from an RFC 3339 string or a number of epoch seconds,
 * milliseconds, microseconds or nanoseconds (told apart by magnitude).
 */
function parseTimestamp(value: unknown): number | undefined {
  let n: number;
  if (typeof value === "string") {
    const utc = parseUtcTimestamp(value);
    if (utc !== undefined) return utc;
    if (value === "") return undefined;
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
    n = Number(value);
  } else if (typeof value === "number") {
    n = value;
  } else {
    return undefined;
  }
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (n < 1e11) return Math.floor(n * 1000); // seconds (until year 5138)
  if (n < 1e14) return Math.floor(n); // milliseconds
  if (n < 1e17) return Math.floor(n / 1e3); // microseconds
  return Math.floor(n / 1e6); // nanoseconds
}

/** Compact JSON of a record without routing and Vector metadata. */
function bodyWithoutMetadata(record: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const key in record) if (!DROPPED.has(key)) out[key] = record[key];
  return JSON.stringify(out);
}

/**
 * Parses one non-blank line. Returns undefined when the line is not a JSON
 * object (the caller counts it as unparsable).
 */
export function parseRecord(line: string, fallbackTimestamp: number): LogEvent | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) return undefined;
  const fields = record as Record<string, unknown>;
  const message = fields.message;
  return {
    timestamp: parseTimestamp(fields.timestamp) ?? fallbackTimestamp,
    message: typeof message === "string" ? message : bodyWithoutMetadata(fields),
  };
}
