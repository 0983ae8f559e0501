import { deepStrictEqual } from "node:assert/strict";
import { writeLinesSync } from "./stdout_lines.ts";

Deno.test("lines are written whole, newline-ended, a partial write continued; no lines, no write", () => {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  // A writer that takes at most 5 bytes a call, as a full pipe may.
  const out = { writeSync: (b: Uint8Array) => (chunks.push(decoder.decode(b.subarray(0, 5))), Math.min(5, b.length)) };
  writeLinesSync(['{"a":1}', '{"b":22}'], out);
  deepStrictEqual(chunks.join(""), '{"a":1}\n{"b":22}\n');
  deepStrictEqual(chunks.length, 4);
  writeLinesSync([], out);
  deepStrictEqual(chunks.length, 4);
});
