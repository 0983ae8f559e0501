import assert from "node:assert/strict";
import type { Outcome } from "../results.ts";
import type { ListedObject } from "./list_objects.ts";
import { replayObjects } from "./replay_objects.ts";
import type { ReplayProgress } from "./replay_progress.ts";

function objects(n: number): AsyncIterable<ListedObject> {
  return (async function* () {
    for (let i = 0; i < n; i++) {
      await Promise.resolve();
      yield { ref: { bucket: "b", key: `t/c/a/p/${String(i).padStart(3, "0")}.json.gz` } };
    }
  })();
}

function recorder(): ReplayProgress & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    listed: () => events.push("listed"),
    listingComplete: () => events.push("listing-complete"),
    finished: (o) => events.push(`finished:${o}`),
    end: () => events.push("end"),
  };
}

Deno.test("results print in listing order although they finish out of order", async () => {
  const printed: string[] = [];
  let running = 0;
  let peak = 0;
  const summary = await replayObjects(objects(20), {
    concurrency: 3,
    print: (l) => printed.push(l),
    progress: recorder(),
    process: async (o) => {
      running++;
      peak = Math.max(peak, running);
      const i = Number(o.ref.key.slice(8, 11));
      await new Promise((r) => setTimeout(r, (20 - i) % 4));
      running--;
      return { key: o.ref.key, outcome: "delivered" as Outcome };
    },
  });
  assert.deepEqual(summary, { objects: 20, notDone: 0 });
  assert.equal(peak, 3);
  assert.deepEqual(
    printed.map((l) => JSON.parse(l).key),
    Array.from({ length: 20 }, (_, i) => `t/c/a/p/${String(i).padStart(3, "0")}.json.gz`),
  );
});

Deno.test("retryable and permanent objects count as not done; progress sees everything", async () => {
  const progress = recorder();
  const outcomes: Outcome[] = ["delivered", "skipped", "retryable", "permanent"];
  const summary = await replayObjects(objects(4), {
    concurrency: 1,
    print: () => {},
    progress,
    process: (o) => Promise.resolve({ outcome: outcomes[Number(o.ref.key.slice(8, 11))]! }),
  });
  assert.deepEqual(summary, { objects: 4, notDone: 2 });
  assert.deepEqual(progress.events, [
    "listed",
    "finished:delivered",
    "listed",
    "finished:skipped",
    "listed",
    "finished:retryable",
    "listed",
    "finished:permanent",
    "listing-complete",
    "end",
  ]);
});

Deno.test("an empty listing prints nothing and ends the progress", async () => {
  const progress = recorder();
  const summary = await replayObjects(objects(0), {
    concurrency: 4,
    print: () => assert.fail("nothing to print"),
    progress,
    process: () => assert.fail("nothing to process"),
  });
  assert.deepEqual(summary, { objects: 0, notDone: 0 });
  assert.deepEqual(progress.events, ["listing-complete", "end"]);
});
