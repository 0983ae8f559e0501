/**
 * Runs listed objects through the pipeline with bounded concurrency while the
 * listing is still going, and prints one result line per object in listing
 * order (the same lines as manual mode). No I/O of its own.
 *
 * @module
 */
import { isDone, type Outcome } from "../results.ts";
import type { ListedObject } from "./list_objects.ts";
import type { ReplayProgress } from "./replay_progress.ts";

/** What a replay step returns: a result line's object with its outcome. */
export interface ReplayLine {
  readonly outcome: Outcome | "dry_run";
}

/** What {@link replayObjects} needs. */
export interface ReplayDeps<L extends ReplayLine> {
  /** Processes one object; must not throw (failures are lines). */
  process(object: ListedObject): Promise<L>;
  readonly concurrency: number;
  readonly print: (line: string) => void;
  readonly progress: ReplayProgress;
}

/** Summary of a replay. */
export interface ReplaySummary {
  readonly objects: number;
  readonly notDone: number;
}

/** Replays `objects`; resolves when every one is processed and printed. */
export async function replayObjects<L extends ReplayLine>(
  objects: AsyncIterable<ListedObject>,
  deps: ReplayDeps<L>,
): Promise<ReplaySummary> {
  const limit = Math.max(1, deps.concurrency);
  const waiting = new Map<number, L>();
  const inFlight = new Set<Promise<void>>();
  let printed = 0;
  let listed = 0;
  let notDone = 0;
  const flush = () => {
    for (let line = waiting.get(printed); line; line = waiting.get(printed)) {
      waiting.delete(printed++);
      if (line.outcome !== "dry_run" && !isDone(line.outcome)) notDone++;
      deps.print(JSON.stringify(line));
    }
  };
  try {
    for await (const object of objects) {
      const index = listed++;
      deps.progress.listed();
      const task = deps.process(object).then((line) => {
        deps.progress.finished(line.outcome);
        waiting.set(index, line);
        flush();
      });
      inFlight.add(task);
      task.finally(() => inFlight.delete(task));
      if (inFlight.size >= limit) await Promise.race(inFlight);
    }
    deps.progress.listingComplete();
  } finally {
    await Promise.all(inFlight);
    deps.progress.end();
  }
  return { objects: listed, notDone };
}
