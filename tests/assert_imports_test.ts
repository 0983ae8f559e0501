/**
 * Deno 2.9's `node:assert/strict` exports loose `equal`/`deepEqual` as named
 * imports (only the default export's methods are strict), so a test importing
 * them by name would accept `1 == "1"`. Every test must import the strict
 * functions (`strictEqual as equal`, `deepStrictEqual as deepEqual`, …).
 */
import assert from "node:assert/strict";

const LOOSE = new Set(["equal", "deepEqual", "notEqual", "notDeepEqual"]);
const IMPORT = /import\s*\{([^}]*)\}\s*from\s*"node:assert\/strict"/g;

async function* typescriptFiles(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name === "dist") continue;
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* typescriptFiles(url);
    else if (entry.name.endsWith(".ts")) yield url;
  }
}

Deno.test("no test imports a loose assertion from node:assert/strict by name", async () => {
  const root = new URL("../", import.meta.url);
  const offenders: string[] = [];
  for await (const file of typescriptFiles(root)) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(IMPORT)) {
      for (const name of m[1]!.split(",").map((n) => n.trim()).filter(Boolean)) {
        if (LOOSE.has(name)) offenders.push(`${file.pathname.slice(root.pathname.length)}: ${name}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
  // The default export's methods, used here, are strict.
  assert.throws(() => assert.deepEqual({ a: 1 }, { a: "1" }));
});
