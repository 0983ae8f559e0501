/**
 * Replay progress on stderr: a redrawn bar when stderr is a terminal,
 * otherwise a JSON progress log line every few seconds (and one at the end).
 *
 * @module
 */
import type { Outcome } from "../results.ts";
import type { Logger } from "../telemetry/logger.ts";

/** Counts so far. */
export interface ReplayCounts {
  listed: number;
  done: number;
  delivered: number;
  skipped: number;
  failed: number;
  listingComplete: boolean;
}

/** Receives progress events. */
export interface ReplayProgress {
  listed(): void;
  listingComplete(): void;
  finished(outcome: Outcome | "dry_run"): void;
  /** Final report; the replay is over. */
  end(): void;
}

export const PROGRESS_LOG_INTERVAL_MS = 10_000;
export const BAR_REDRAW_MS = 100;
const BAR_WIDTH = 30;

function emptyCounts(): ReplayCounts {
  return { listed: 0, done: 0, delivered: 0, skipped: 0, failed: 0, listingComplete: false };
}

function count(counts: ReplayCounts, outcome: Outcome | "dry_run"): void {
  counts.done++;
  if (outcome === "delivered") counts.delivered++;
  else if (outcome === "skipped") counts.skipped++;
  else if (outcome !== "dry_run") counts.failed++;
}

/** One line of the bar (pure). */
function renderBar(c: ReplayCounts, elapsedMs: number): string {
  const total = Math.max(c.listed, 1);
  const filled = Math.round((c.done / total) * BAR_WIDTH);
  const pct = c.listingComplete ? `${Math.floor((c.done / total) * 100)}%` : "listing…";
  const rate = elapsedMs > 0 ? (c.done / (elapsedMs / 1000)).toFixed(1) : "0.0";
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${c.done}/${c.listed}${
    c.listingComplete ? "" : "+"
  } ${pct}  delivered ${c.delivered}  skipped ${c.skipped}  failed ${c.failed}  ${rate} obj/s`;
}

/** A bar redrawn in place on a terminal. */
export function barProgress(write: (text: string) => void, now: () => number = Date.now): ReplayProgress {
  const counts = emptyCounts();
  const start = now();
  let drawn = Number.NEGATIVE_INFINITY;
  const draw = (force = false) => {
    if (!force && now() - drawn < BAR_REDRAW_MS) return;
    drawn = now();
    write(`\r\x1b[2K${renderBar(counts, now() - start)}`);
  };
  return {
    listed: () => (counts.listed++, draw()),
    listingComplete: () => (counts.listingComplete = true, draw(true)),
    finished: (o) => (count(counts, o), draw()),
    end: () => (counts.listingComplete = true, draw(true), write("\n")),
  };
}

/** Periodic structured progress logs (stderr is not a terminal). */
export function logProgress(
  logger: Logger,
  now: () => number = Date.now,
  intervalMs = PROGRESS_LOG_INTERVAL_MS,
): ReplayProgress {
  const counts = emptyCounts();
  const start = now();
  let logged = start;
  const fields = () => ({
    listed: counts.listed,
    done: counts.done,
    delivered: counts.delivered,
    skipped: counts.skipped,
    failed: counts.failed,
    listing_complete: counts.listingComplete,
    elapsed_ms: now() - start,
  });
  const maybeLog = () => {
    if (now() - logged < intervalMs) return;
    logged = now();
    logger.info("replay progress", fields());
  };
  return {
    listed: () => (counts.listed++, maybeLog()),
    listingComplete: () => (counts.listingComplete = true),
    finished: (o) => (count(counts, o), maybeLog()),
    end: () => (counts.listingComplete = true, logger.info("replay finished", fields())),
  };
}
