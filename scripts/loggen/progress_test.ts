import assert from "node:assert/strict";
import { formatBytes, Progress, progressBar } from "./progress.ts";

Deno.test("progressBar and formatBytes", () => {
  assert.equal(progressBar(5, 10, 10), "[#####-----]  50%");
  assert.equal(progressBar(10, 10, 4), "[####] 100%");
  assert.equal(progressBar(0, 0, 2), "[##] 100%");
  assert.deepEqual([formatBytes(999), formatBytes(1500), formatBytes(2_500_000)], ["999 B", "1.5 kB", "2.5 MB"]);
});

Deno.test("Progress redraws in place on a terminal and prints a line per tenth otherwise", () => {
  const tty: string[] = [];
  const bar = new Progress(100, true, (t) => tty.push(t));
  for (let i = 1; i <= 100; i++) bar.update(i, `${i}`);
  bar.finish();
  assert.equal(tty.length, 101);
  assert.ok(tty.slice(0, 100).every((t) => t.startsWith("\r") && !t.includes("\n")));
  assert.equal(tty.at(-1), "\n");

  const plain: string[] = [];
  const lines = new Progress(100, false, (t) => plain.push(t));
  for (let i = 1; i <= 100; i++) lines.update(i, `${i}`);
  lines.finish();
  assert.equal(plain.length, 11);
  assert.ok(plain.every((t) => t.endsWith("\n") && !t.includes("\r")));
  assert.match(plain.at(-1)!, /100% 100\n$/);
});
