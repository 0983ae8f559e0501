/**
 * The import graph of the repository's own TypeScript files, and the two
 * checks tests/import_layers_test.ts runs on it: no cycle, and no import that
 * goes up the layers. Pure except for {@link readImportGraph}.
 *
 * @module
 */

/** File (repository-relative path) → the repository files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** One layer: the files under any of `paths` (a directory ending in `/`, or a file). */
export interface Layer {
  readonly name: string;
  readonly paths: readonly string[];
  /** Why it sits where it does (one line). */
  readonly reason: string;
}

/** An import from a lower layer into a higher one. */
export interface UpwardImport {
  readonly from: string;
  readonly to: string;
  readonly fromLayer: string;
  readonly toLayer: string;
}

// Static imports and re-exports (`import … from "x"`, `import "x"`, `export … from "x"`), and `import("x")`.
const STATIC = /^\s*(?:import|export)\b[^;'"]*?(?:\bfrom\s*)?["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The module specifiers `source` imports, in order, each once. */
export function importSpecifiers(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(STATIC)) if (m[1]) found.add(m[1]);
  for (const m of source.matchAll(DYNAMIC)) if (m[1]) found.add(m[1]);
  return [...found];
}

/** `specifier` imported by `file`, as a repository-relative path; undefined for packages and URLs. */
export function resolveSpecifier(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const parts = file.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/** The layer `file` belongs to: the one with the longest matching path; undefined when none matches. */
export function layerOf(file: string, layers: readonly Layer[]): number | undefined {
  let best: number | undefined;
  let bestLength = -1;
  layers.forEach((layer, index) => {
    for (const path of layer.paths) {
      const matches = path.endsWith("/") ? file.startsWith(path) : file === path;
      if (matches && path.length > bestLength) {
        best = index;
        bestLength = path.length;
      }
    }
  });
  return best;
}

/** Every import from a file into a file of a higher layer (`layers` are listed bottom first). */
export function upwardImports(graph: ImportGraph, layers: readonly Layer[]): UpwardImport[] {
  const out: UpwardImport[] = [];
  for (const [from, targets] of graph) {
    const low = layerOf(from, layers);
    if (low === undefined) continue;
    for (const to of targets) {
      const high = layerOf(to, layers);
      if (high !== undefined && high > low) {
        out.push({ from, to, fromLayer: layers[low]?.name ?? "", toLayer: layers[high]?.name ?? "" });
      }
    }
  }
  return out;
}

/** Files of `graph` that no layer holds. */
export function unlayered(graph: ImportGraph, layers: readonly Layer[]): string[] {
  return [...graph.keys()].filter((file) => layerOf(file, layers) === undefined);
}

/**
 * The import cycles of `graph`: its strongly connected components of more
 * than one file, or a file importing itself (Tarjan's algorithm), each sorted.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Reads the TypeScript files under `dirs` of `root` (tests, `*_test.ts`, excluded) into an import graph. */
export async function readImportGraph(root: URL, dirs: readonly string[]): Promise<ImportGraph> {
  const graph = new Map<string, string[]>();
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(new URL(dir, root))) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) await walk(`${path}/`);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        const source = await Deno.readTextFile(new URL(path, root));
        const targets = importSpecifiers(source).flatMap((s) => resolveSpecifier(path, s) ?? []);
        graph.set(path, targets);
      }
    }
  };
  for (const dir of dirs) await walk(dir.endsWith("/") ? dir : `${dir}/`);
  return graph;
}
