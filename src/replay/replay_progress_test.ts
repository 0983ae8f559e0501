import assert from "node:assert/strict";
import { createLogger } from "../telemetry/logger.ts";
import { barProgress, logProgress } from "./replay_progress.ts";

Deno.test("the bar shows done/listed, the outcome counts and the rate", () => {
  let now = 0;
  const out: string[] = [];
  const bar = barProgress((t) => out.push(t.replace("\r\x1b[2K", "")), () => now);
  for (let i = 0; i < 10; i++) bar.listed();
  for (let i = 0; i < 4; i++) bar.finished("delivered");
  now = 2000;
  bar.finished("permanent");
  assert.equal(
    out.at(-1),
    "[###############---------------] 5/10+ listing…  delivered 4  skipped 0  failed 1  2.5 obj/s",
  );
  bar.listingComplete();
  assert.match(out.at(-1)!, /^\[#{15}-{15}\] 5\/10 50% {2}delivered 4/);
});

Deno.test("the bar redraws in place at most every 100 ms and ends with a newline", () => {
  let now = 0;
  const out: string[] = [];
  const bar = barProgress((t) => out.push(t), () => now);
  bar.listed();
  bar.listed();
  now = 150;
  bar.finished("delivered");
  bar.end();
  assert.equal(out.length, 4);
  assert.ok(out.slice(0, 3).every((t) => t.startsWith("\r\x1b[2K[")));
  assert.match(out[2]!, / 1\/2 50%/);
  assert.equal(out[3], "\n");
});

Deno.test("without a terminal, progress is a JSON log line per interval and one at the end", () => {
  let now = 0;
  const lines: string[] = [];
  const progress = logProgress(createLogger("info", (l) => lines.push(l)), () => now, 10_000);
  for (let i = 0; i < 5; i++) progress.listed();
  progress.finished("delivered");
  assert.equal(lines.length, 0);
  now = 10_000;
  progress.finished("permanent");
  now = 12_000;
  progress.listingComplete();
  progress.end();
  const logged = lines.map((l) => JSON.parse(l));
  assert.deepEqual(logged.map((l) => l.msg), ["replay progress", "replay finished"]);
  assert.deepEqual(
    [logged[1].listed, logged[1].done, logged[1].delivered, logged[1].failed, logged[1].listing_complete],
    [5, 2, 1, 1, true],
  );
});
