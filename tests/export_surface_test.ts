/**
 * The exported surface of src/ stays what callers need (issue 9):
 *
 * - no export that only tests import. A test checks a module through what
 *   the rest of the code uses; a type named in the signature of an export
 *   that other code imports (an options interface, a sender interface a
 *   caller implements) is part of that export and counts as used.
 * - no exported function, constructor or method (src/, scripts/, bench/)
 *   with more than two positional parameters plus an options object
 *   (Deno's standard library's rule).
 *
 * Each allowlist below names the few exceptions with the reason for each.
 */
import assert from "node:assert/strict";
import { dynamicImports, longSignatures, MAX_PARAMS, readDocNodes, testOnlyExports } from "./support/export_surface.ts";

/** Exports only tests import, and why each may stay so. */
export const TEST_ONLY_EXPORTS: Readonly<Record<string, string>> = {
  "src/delivery/vector/vector_version.ts#VECTOR_VERSION":
    "the one Vector pin the docs, Containerfile and k8s/base name; tests/vector_version_test.ts checks them all against it",
  "src/delivery/vector/vector_version.ts#VECTOR_IMAGE_VARIANT": "the image variant of that pin, checked the same way",
  "src/ingest/parse_record.ts#ROUTING_FIELDS":
    "the contract with the agents' VRL (k8s/base): tests/vector_config_test.ts checks the shipped config against it",
  "src/main.ts#VERSION": "what `log-processor --version` prints; the Lambda package test runs the bootstrap against it",
};

/** Exported callables with more than {@link MAX_PARAMS} parameters, and why each may stay so. */
export const LONG_SIGNATURES: Readonly<Record<string, string>> = {
  "src/errors.ts#ProcessingError.constructor":
    "(class, code, message, { cause }): Error(message, options) with the two fields that classify it first, as every failure names them",
};

const ROOT = new URL("../", import.meta.url);

Deno.test("no export of src/ is imported by tests only, but for the allowlisted ones", async () => {
  const nodes = await readDocNodes(ROOT, ["src", "scripts", "bench", "tests"]);
  assert.ok(nodes.size > 300, `read only ${nodes.size} files`);
  const found = testOnlyExports(nodes, new Set(Object.keys(TEST_ONLY_EXPORTS)));
  const allowed = Object.keys(TEST_ONLY_EXPORTS);
  assert.deepEqual(found.filter((id) => !allowed.includes(id)), [], "test-only exports: unexport them, test the API");
  // An entry that no longer applies goes, so the list stays the exceptions there are.
  const stale = allowed.filter((id) => !testOnlyExports(nodes).includes(id as never));
  assert.deepEqual(stale, [], "allowlisted but no longer test-only");
});

Deno.test("exported callables take at most two positional parameters and an options object", async () => {
  const nodes = await readDocNodes(ROOT, ["src", "scripts", "bench"]);
  const found = longSignatures(nodes).map((l) => `${l.id} (${l.params} parameters)`);
  const allowed = Object.keys(LONG_SIGNATURES);
  assert.deepEqual(
    found.filter((f) => !allowed.some((id) => f.startsWith(`${id} `))),
    [],
    `more than ${MAX_PARAMS} parameters: take the tail as an options object`,
  );
  assert.deepEqual(allowed.filter((id) => !found.some((f) => f.startsWith(`${id} `))), [], "stale allowlist entries");
});

Deno.test("every allowlist entry says why", () => {
  for (const [id, reason] of Object.entries({ ...TEST_ONLY_EXPORTS, ...LONG_SIGNATURES })) {
    assert.ok(reason.length > 20, id);
    assert.match(id, /^src\/[\w/]+\.ts#[\w.]+$/);
  }
});

const TOY: Record<string, string> = {
  "src/a.ts": `
/** Options of {@link used}. */
export interface Opts { readonly inner: Inner }
/** Reached through Opts. */
export interface Inner { readonly n: number }
/** Imported by b. */
export function used(o: Opts): number { return o.inner.n + helper(); }
/** Imported by the test only. */
export function helper(): number { return 1; }
/** Imported by nobody. */
export const unused = 2;
/** Imported by the test only, but allowlisted; its type is reached through it. */
export function kept(k: Kept): number { return k.x; }
/** Reached through kept. */
export interface Kept { readonly x: number }
`,
  "src/b.ts": `import { used as u } from "./a.ts";\nexport const b = u({ inner: { n: 1 } });\n`,
  "src/lazy.ts": `export const lazyOne = 1;\nexport const lazyTwo = 2;\n`,
  "src/every.ts": `export const anything = 3;\n`,
  "src/main.ts": `const { lazyOne } = await import("./lazy.ts");\n` +
    `const [every] = await Promise.all([import("./every.ts")]);\nconsole.log(lazyOne, every);\n`,
  "src/a_test.ts": `import { helper, Inner, kept } from "./a.ts";\nimport { lazyTwo } from "./lazy.ts";\n` +
    `import { anything } from "./every.ts";\nconst i: Inner = { n: helper() + kept({ x: 1 }) + lazyTwo + anything };\n` +
    `console.log(i);\n`,
  "src/long.ts": `
export function four(a: number, b: number, c: number, d: number): number { return a + b + c + d; }
export function three(a: number, b: number, options: { c?: number } = {}): number { return a + b + (options.c ?? 0); }
export const arrow = (a: number, b: number, c: number, d: number): number => a + b + c + d;
export class C {
  constructor(a: number, b: number, c: number, d: number) { console.log(a, b, c, d); }
  method(a: number, b: number, c: number, d: number): void { console.log(a, b, c, d); }
  #hidden(a: number, b: number, c: number, d: number): void { console.log(a, b, c, d); }
  private alsoHidden(a: number, b: number, c: number, d: number): void { this.#hidden(a, b, c, d); }
}
export interface I { send(a: string, b: string, c: string, d: string): void }
function local(a: number, b: number, c: number, d: number): number { return a + b + c + d; }
console.log(local);
`,
};

async function toyNodes() {
  const dir = await Deno.makeTempDir({ prefix: "export-surface-" });
  await Deno.mkdir(`${dir}/src`);
  for (const [path, text] of Object.entries(TOY)) await Deno.writeTextFile(`${dir}/${path}`, text);
  return { dir, nodes: await readDocNodes(new URL(`file://${dir}/`), ["src"]) };
}

Deno.test("the checker finds test-only exports, and reaches types through signatures and allowlisted exports", async () => {
  const { dir, nodes } = await toyNodes();
  try {
    assert.deepEqual(testOnlyExports(nodes, new Set(["src/a.ts#kept"])), ["src/a.ts#helper", "src/lazy.ts#lazyTwo"]);
    assert.deepEqual(testOnlyExports(nodes), ["src/a.ts#helper", "src/a.ts#kept", "src/lazy.ts#lazyTwo"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the checker counts the parameters of exported functions, constructors and public methods", async () => {
  const { dir, nodes } = await toyNodes();
  try {
    assert.deepEqual(longSignatures(nodes), [
      { id: "src/long.ts#arrow", params: 4 },
      { id: "src/long.ts#C.constructor", params: 4 },
      { id: "src/long.ts#C.method", params: 4 },
      { id: "src/long.ts#four", params: 4 },
      { id: "src/long.ts#I.send", params: 4 },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dynamic imports are read by name where the code names them, else as everything", () => {
  const source = [
    'const { a, b: renamed } = await import("./x.ts");',
    'return (await import("../y/z.ts")).run(args);',
    'const [m] = await Promise.all([import("./w.ts")]);',
  ].join("\n");
  assert.deepEqual(dynamicImports("src/main/m.ts", source), [
    { importedName: "run", src: "src/y/z.ts" },
    { importedName: "a", src: "src/main/x.ts" },
    { importedName: "b", src: "src/main/x.ts" },
    { importedName: "*", src: "src/main/w.ts" },
  ]);
});
