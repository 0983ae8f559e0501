import assert from "node:assert/strict";
import { LOG_FORMATS, logLine, MIN_LINE_BYTES } from "./log_line.ts";
import { Random } from "./random.ts";

const AT = new Date("2026-03-04T05:06:07.089Z");
const SHAPES: Record<string, RegExp> = {
  iso: /^2026-03-04T05:06:07\.089Z (DEBUG|INFO |WARN |ERROR) [a-z ]+$/,
  logfmt: /^time="2026-03-04T05:06:07Z" level=(debug|info|warn|error) msg="[a-z ]+"$/,
  klog: /^[IWE]0304 05:06:07\.089\d{3} +1 [\w.]+:\d+\] [a-z ]+$/,
  go: /^2026\/03\/04 05:06:07 [a-z ]+$/,
};

Deno.test("every format yields lines of exactly the requested size", () => {
  const random = new Random(1);
  for (const format of [...LOG_FORMATS, "mixed"] as const) {
    for (const size of [MIN_LINE_BYTES, MIN_LINE_BYTES + 1, 157, 1000, 8192]) {
      for (let i = 0; i < 20; i++) {
        const { line } = logLine(format, { time: AT, bytes: size, random });
        assert.equal(new TextEncoder().encode(line).length, size, `${format} ${size}: ${line}`);
      }
    }
  }
});

Deno.test("each format looks like what real programs print, with the given time", () => {
  const random = new Random(2);
  for (const format of LOG_FORMATS) {
    for (let i = 0; i < 50; i++) {
      const { line, level, format: used } = logLine(format, { time: AT, bytes: 200, random });
      assert.equal(used, format);
      if (format === "json") {
        const doc = JSON.parse(line);
        assert.match(doc.msg, /^[a-z ]+$/);
        assert.equal(doc.level.toLowerCase(), level);
        if ("ts" in doc) assert.equal(doc.ts, AT.getTime() / 1000);
        else assert.equal(doc.time, AT.toISOString());
      } else {
        assert.match(line, SHAPES[format]!, line);
      }
    }
  }
});

Deno.test("json lines use both ts and time; mixed uses every format", () => {
  const random = new Random(3);
  const keys = new Set<string>();
  for (let i = 0; i < 100; i++) {
    keys.add(Object.keys(JSON.parse(logLine("json", { time: AT, bytes: 150, random }).line))[0]!);
  }
  assert.deepEqual([...keys].sort(), ["time", "ts"]);
  const used = new Set<string>();
  for (let i = 0; i < 200; i++) used.add(logLine("mixed", { time: AT, bytes: 150, random }).format);
  assert.deepEqual([...used].sort(), [...LOG_FORMATS].sort());
});

Deno.test("a line never gets shorter than MIN_LINE_BYTES", () => {
  assert.equal(logLine("iso", { time: AT, bytes: 10, random: new Random(4) }).line.length, MIN_LINE_BYTES);
});
