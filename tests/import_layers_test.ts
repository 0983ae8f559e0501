/**
 * Every dependency points one way (DESIGN 2): no import cycle anywhere in
 * src/, scripts/ or bench/, and no import from a layer into one above it.
 * The layers, bottom first, each with why it sits there:
 */
import assert from "node:assert/strict";
import {
  importCycles,
  type ImportGraph,
  importSpecifiers,
  type Layer,
  readImportGraph,
  resolveSpecifier,
  unlayered,
  upwardImports,
} from "./support/import_graph.ts";

export const LAYERS: readonly Layer[] = [
  {
    name: "leaves",
    paths: ["src/errors.ts", "src/results.ts", "src/aws/name_rules.ts", "src/telemetry/"],
    reason: "errors, results, AWS name rules and telemetry are spoken by every layer, so they import only each other",
  },
  {
    name: "notification",
    paths: ["src/notification/"],
    reason: "pure parsing of message bodies and object keys; needs nothing but the leaves",
  },
  {
    name: "aws",
    paths: ["src/aws/"],
    reason: "the SDK edge (role chain, clients, retry classification) knows nothing of tenants or deliveries",
  },
  {
    name: "ingest",
    paths: ["src/ingest/"],
    reason: "reads and parses objects through the aws edge",
  },
  {
    name: "tenant",
    paths: ["src/tenant/"],
    reason: "tenant items become deliveries, checked with key segments (notification) and AWS name rules",
  },
  {
    name: "delivery",
    paths: ["src/delivery/"],
    reason: "one sink per delivery type: takes tenant deliveries and ingest chunks, calls the aws edge",
  },
  {
    name: "config",
    paths: ["src/config.ts"],
    reason:
      "the environment read once into the settings of the layers below (and their limits); the core never sees it",
  },
  {
    name: "pipeline",
    paths: ["src/pipeline/"],
    reason: "wires tenant lookup, ingest and delivery into processing one object and one message",
  },
  {
    name: "modes",
    paths: ["src/runtime/", "src/replay/", "src/dlq/"],
    reason:
      "the run modes (Lambda, SQS worker, stdin), replay and the dead-letter tools drive the pipeline and the queue; nothing below knows them",
  },
  {
    name: "cli",
    paths: ["src/cli/"],
    reason: "operator subcommands reuse the modes' and the pipeline's pieces",
  },
  {
    name: "main",
    paths: ["src/main.ts"],
    reason: "the entry point: arguments and environment → Config → a mode or a subcommand",
  },
  {
    name: "tools",
    paths: ["scripts/", "bench/"],
    reason: "deploy, demo, log generator and benchmarks use src/; src/ never uses them",
  },
];

const ROOT = new URL("../", import.meta.url);

Deno.test("the repository's imports have no cycle and never go up the layers", async () => {
  const graph = await readImportGraph(ROOT, ["src", "scripts", "bench"]);
  assert.ok(graph.size > 100, `read only ${graph.size} files`);
  assert.deepEqual(unlayered(graph, LAYERS), [], "every file belongs to a layer");
  assert.deepEqual(importCycles(graph), []);
  assert.deepEqual(upwardImports(graph, LAYERS).map((u) => `${u.from} (${u.fromLayer}) → ${u.to} (${u.toLayer})`), []);
});

Deno.test("every layer is written down with a reason and owns files", async () => {
  const graph = await readImportGraph(ROOT, ["src", "scripts", "bench"]);
  for (const layer of LAYERS) {
    assert.ok(layer.reason.length > 20, layer.name);
    const owned = [...graph.keys()].filter((f) => layer.paths.some((p) => p.endsWith("/") ? f.startsWith(p) : f === p));
    assert.ok(owned.length > 0, `layer ${layer.name} holds no file`);
  }
});

const TOY_LAYERS: readonly Layer[] = [
  { name: "low", paths: ["src/low/", "src/leaf.ts"], reason: "bottom" },
  { name: "high", paths: ["src/high/"], reason: "top" },
];

Deno.test("the checker finds a cycle and an upward import in a small graph", () => {
  const graph: ImportGraph = new Map([
    ["src/leaf.ts", []],
    ["src/low/a.ts", ["src/low/b.ts", "src/leaf.ts"]],
    ["src/low/b.ts", ["src/low/c.ts"]],
    ["src/low/c.ts", ["src/low/a.ts", "src/high/h.ts"]],
    ["src/high/h.ts", ["src/low/a.ts", "src/leaf.ts"]],
    ["src/high/self.ts", ["src/high/self.ts"]],
    ["src/stray.ts", []],
  ]);
  assert.deepEqual(importCycles(graph).sort(), [
    ["src/high/h.ts", "src/low/a.ts", "src/low/b.ts", "src/low/c.ts"],
    ["src/high/self.ts"],
  ]);
  assert.deepEqual(upwardImports(graph, TOY_LAYERS), [
    { from: "src/low/c.ts", to: "src/high/h.ts", fromLayer: "low", toLayer: "high" },
  ]);
  assert.deepEqual(unlayered(graph, TOY_LAYERS), ["src/stray.ts"]);
});

Deno.test("a graph that only points down passes", () => {
  const graph: ImportGraph = new Map([
    ["src/leaf.ts", []],
    ["src/low/a.ts", ["src/leaf.ts"]],
    ["src/high/h.ts", ["src/low/a.ts", "src/leaf.ts"]],
  ]);
  assert.deepEqual(importCycles(graph), []);
  assert.deepEqual(upwardImports(graph, TOY_LAYERS), []);
});

Deno.test("imports are read from static, type-only, re-export, side-effect and dynamic forms", () => {
  const source = [
    'import { a } from "./a.ts";',
    'import type { B } from "../b.ts";',
    "import {\n  c,\n  type D,\n} from './c.ts';",
    'export { e } from "./e.ts";',
    'export type * from "./f.ts";',
    'import "./side_effect.ts";',
    'const g = await import("./g.ts");',
    'import { parseArgs } from "node:util";',
    '  // import { no } from "./not_at_line_start_but_commented.ts"',
  ].join("\n");
  assert.deepEqual(importSpecifiers(source), [
    "./a.ts",
    "../b.ts",
    "./c.ts",
    "./e.ts",
    "./f.ts",
    "./side_effect.ts",
    "node:util",
    "./g.ts",
  ]);
  assert.equal(resolveSpecifier("src/pipeline/x.ts", "../results.ts"), "src/results.ts");
  assert.equal(resolveSpecifier("scripts/deploy/a.ts", "../../src/aws/name_rules.ts"), "src/aws/name_rules.ts");
  assert.equal(resolveSpecifier("src/a.ts", "./b/c.ts"), "src/b/c.ts");
  assert.equal(resolveSpecifier("src/a.ts", "npm:yaml"), undefined);
});
