/**
 * What a replay selects: a key prefix in the central bucket and a time window
 * on the objects' LastModified. Pure.
 *
 * @module
 */
import { SEGMENT_PATTERN } from "../notification/parse_key.ts";

/** Objects to replay. */
export interface ReplayWindow {
  /** Normalized key prefix; always starts with a whole `customer_id/`. */
  readonly prefix: string;
  /** Inclusive lower bound on LastModified (ms), if any. */
  readonly since?: number;
  /** Exclusive upper bound on LastModified (ms), if any. */
  readonly until?: number;
  /** Only keys ending in this (the bucket notifies `.gz` objects only); empty = every key. */
  readonly suffix: string;
}

const SEGMENT_NAMES = ["customer_id", "cluster_id", "application", "pod_name"];
const RELATIVE = /^(\d+)([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Normalizes `--prefix`: `acme` → `acme/` (so it never matches `acme2/…`);
 * every whole segment must be a valid routing segment.
 */
function normalizePrefix(raw: string): string {
  const prefix = raw.replace(/^\/+/, "");
  if (prefix === "") throw new Error("--prefix needs at least a customer_id");
  const parts = prefix.split("/");
  const whole = prefix.includes("/") ? parts.slice(0, -1) : parts;
  whole.forEach((segment, i) => {
    const name = SEGMENT_NAMES[i] ?? "file name";
    if (i < 4 && (!SEGMENT_PATTERN.test(segment) || segment === "." || segment === "..")) {
      throw new Error(`--prefix: ${name} "${segment}" must be 1-128 characters of A-Z a-z 0-9 . _ -`);
    }
  });
  if (parts.length > 5) {
    throw new Error(`--prefix "${raw}" has more segments than customer_id/cluster_id/application/pod_name/file`);
  }
  return prefix.includes("/") ? prefix : `${prefix}/`;
}

/** Parses `--since`/`--until`: RFC 3339 / ISO date, or a duration ago (`90s`, `15m`, `6h`, `7d`). */
function parseTime(flag: string, raw: string, now: number): number {
  const [, amount, unit] = raw.match(RELATIVE) ?? [];
  if (amount !== undefined && unit !== undefined) return now - Number(amount) * (UNIT_MS[unit] ?? 0);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new Error(
      `${flag}: "${raw}" is neither an RFC 3339 time (2026-01-31T12:00:00Z), a date, nor a duration like 6h`,
    );
  }
  return Date.parse(raw);
}

/** Builds the window from the flags; throws naming the flag on a mistake. */
export function replayWindow(
  flags: { prefix?: string; since?: string; until?: string; suffix?: string },
  now: number,
): ReplayWindow {
  if (!flags.prefix) throw new Error("--prefix is required (customer_id[/cluster_id/…])");
  const prefix = normalizePrefix(flags.prefix);
  const since = flags.since === undefined ? undefined : parseTime("--since", flags.since, now);
  const until = flags.until === undefined ? undefined : parseTime("--until", flags.until, now);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new Error(
      `--since (${new Date(since).toISOString()}) must be before --until (${new Date(until).toISOString()})`,
    );
  }
  return { prefix, since, until, suffix: flags.suffix ?? ".gz" };
}

/** True when an object with `key` and `lastModified` (ms) is in the window. */
export function inWindow(window: ReplayWindow, key: string, lastModified: number | undefined): boolean {
  if (!key.startsWith(window.prefix) || !key.endsWith(window.suffix)) return false;
  if (lastModified === undefined) return window.since === undefined && window.until === undefined;
  if (window.since !== undefined && lastModified < window.since) return false;
  if (window.until !== undefined && lastModified >= window.until) return false;
  return true;
}
