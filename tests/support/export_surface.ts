/**
 * The exported surface of the repository's own modules, read from
 * `deno doc --json`, and the two checks tests/export_surface_test.ts runs on
 * it: no export that only tests import, and no exported function, constructor
 * or method with more than two positional parameters plus an options object.
 * Pure except for {@link readDocNodes}.
 *
 * @module
 */

/** The parts of a `deno doc --json` module node these checks read. */
export interface DocNode {
  readonly imports?: readonly { readonly importedName: string; readonly originalName?: string; readonly src: string }[];
  readonly symbols: readonly DocSymbol[];
}

/** One symbol of a module node (only its exported declarations matter here). */
export interface DocSymbol {
  readonly name: string;
  readonly declarations: readonly {
    readonly declarationKind: string;
    readonly kind: string;
    // deno-lint-ignore no-explicit-any
    readonly def?: any;
  }[];
}

/** Repository-relative path → its module node. */
export type DocNodes = ReadonlyMap<string, DocNode>;

/** `file#name`: one export of one file. */
export type ExportId = `${string}#${string}`;

/** Whether `path` is test code: a `*_test.ts` file or anything under tests/. */
export function isTestFile(path: string): boolean {
  return path.endsWith("_test.ts") || path.startsWith("tests/");
}

/**
 * Runs `deno doc --json` over the .ts files under `dirs` of `root` (tests
 * included); nodes keyed by relative path, their imports' `src` relative too.
 */
export async function readDocNodes(root: URL, dirs: readonly string[]): Promise<Map<string, DocNode>> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(new URL(dir, root))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) files.push(path);
    }
  };
  for (const dir of dirs) await walk(dir);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...files.sort()],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`deno doc failed: ${new TextDecoder().decode(out.stderr)}`);
  const prefix = new URL(".", root).href;
  const nodes = new Map<string, DocNode>();
  const json = JSON.parse(new TextDecoder().decode(out.stdout)) as { nodes: Record<string, DocNode> };
  for (const [url, node] of Object.entries(json.nodes)) {
    const path = url.replace(prefix, "");
    const imports = (node.imports ?? []).map((i) => ({ ...i, src: i.src.replace(prefix, "") }));
    imports.push(...dynamicImports(path, await Deno.readTextFile(new URL(path, root))));
    nodes.set(path, { ...node, imports });
  }
  return nodes;
}

/**
 * What `source` (the file `path`) takes from dynamic `import("./x.ts")`
 * calls (deno doc lists static imports only), as doc imports with relative
 * paths: the names of `(await import("x")).name` and
 * `const { a, b } = await import("x")`; for any other form, the name `*`
 * (everything the module exports).
 */
export function dynamicImports(path: string, source: string): { importedName: string; src: string }[] {
  const found: { importedName: string; src: string }[] = [];
  const at = (specifier: string) => new URL(specifier, `file:///${path}`).href.replace("file:///", "");
  const named = new Set<number>();
  for (const m of source.matchAll(/\(await import\(\s*"([^"]+)"\s*\)\)\.(\w+)/g)) {
    found.push({ importedName: m[2]!, src: at(m[1]!) });
    named.add(m.index! + 7);
  }
  for (const m of source.matchAll(/\{([^}]*)\}\s*=\s*await (import\(\s*"([^"]+)"\s*\))/g)) {
    for (const name of m[1]!.split(",").map((n) => n.split(":")[0]!.trim()).filter(Boolean)) {
      found.push({ importedName: name, src: at(m[3]!) });
    }
    named.add(m.index! + m[0].length - m[2]!.length);
  }
  for (const m of source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) {
    if (!named.has(m.index!)) found.push({ importedName: "*", src: at(m[1]!) });
  }
  return found;
}

/** The exported symbols of a node, by name. */
function exported(node: DocNode): Map<string, DocSymbol> {
  const out = new Map<string, DocSymbol>();
  for (const s of node.symbols) if (s.declarations.some((d) => d.declarationKind === "export")) out.set(s.name, s);
  return out;
}

/** The local type names a value mentions anywhere in its (JSON) shape. */
function localTypeNames(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) localTypeNames(v, into);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const resolution = record.resolution as { kind?: string } | undefined;
    if (typeof record.typeName === "string" && (resolution === undefined || resolution.kind === "local")) {
      into.add(record.typeName);
    }
    for (const v of Object.values(record)) localTypeNames(v, into);
  }
  return into;
}

/** `file#name` → whether a test file or a non-test file imports it (`file#*`: everything `file` exports). */
function importers(nodes: DocNodes): { byCode: Set<string>; byTests: Set<string> } {
  const byCode = new Set<string>();
  const byTests = new Set<string>();
  for (const [path, node] of nodes) {
    for (const i of node.imports ?? []) {
      if (i.src !== path) (isTestFile(path) ? byTests : byCode).add(`${i.src}#${i.originalName ?? i.importedName}`);
    }
  }
  return { byCode, byTests };
}

/**
 * Exports of the `src/` files in `nodes` that tests import but no other
 * non-test file does, and that no such import reaches through a signature:
 * a type named in the declaration of an export another file imports (an
 * options interface, a sender interface callers implement), and so on, is
 * part of that export. The `kept` exports (an allowlist) reach their
 * signatures' types the same way.
 */
export function testOnlyExports(nodes: DocNodes, kept: ReadonlySet<string> = new Set()): ExportId[] {
  const { byCode, byTests } = importers(nodes);
  const out: ExportId[] = [];
  for (const [path, node] of nodes) {
    if (!path.startsWith("src/") || isTestFile(path)) continue;
    const symbols = exported(node);
    const public_ = (name: string) =>
      byCode.has(`${path}#${name}`) || byCode.has(`${path}#*`) || kept.has(`${path}#${name}`);
    const reached = new Set([...symbols.keys()].filter(public_));
    const queue = [...reached];
    while (queue.length > 0) {
      const symbol = symbols.get(queue.pop()!);
      for (const name of localTypeNames(symbol?.declarations, new Set())) {
        if (symbols.has(name) && !reached.has(name)) {
          reached.add(name);
          queue.push(name);
        }
      }
    }
    for (const name of symbols.keys()) {
      if (!reached.has(name) && byTests.has(`${path}#${name}`)) out.push(`${path}#${name}`);
    }
  }
  return out.sort();
}

/** One exported callable with more than three parameters. */
export interface LongSignature {
  /** `file#Name`, `file#Class.constructor`, `file#Class.method` or `file#Interface.method`. */
  readonly id: ExportId;
  readonly params: number;
}

/** The most parameters an exported callable may take: two positional and an options object (std's rule). */
export const MAX_PARAMS = 3;

/**
 * Exported functions, arrow constants, class constructors and public
 * methods, and interface methods, in `nodes`, that take more than
 * {@link MAX_PARAMS} parameters.
 */
export function longSignatures(nodes: DocNodes): LongSignature[] {
  const out: LongSignature[] = [];
  const check = (path: string, name: string, params: readonly unknown[] | undefined) => {
    if (params && params.length > MAX_PARAMS) out.push({ id: `${path}#${name}`, params: params.length });
  };
  for (const [path, node] of nodes) {
    if (isTestFile(path)) continue;
    for (const [name, symbol] of exported(node)) {
      for (const d of symbol.declarations) {
        if (d.declarationKind !== "export") continue;
        if (d.kind === "function") check(path, name, d.def?.params);
        if (d.kind === "variable" && d.def?.tsType?.kind === "fnOrConstructor") {
          check(path, name, d.def.tsType.value?.params);
        }
        if (d.kind === "class") {
          for (const c of d.def?.constructors ?? []) check(path, `${name}.constructor`, c.params);
          for (const m of d.def?.methods ?? []) {
            if (m.accessibility !== "private" && !String(m.name).startsWith("#")) {
              check(path, `${name}.${m.name}`, m.functionDef?.params);
            }
          }
        }
        if (d.kind === "interface") {
          for (const m of d.def?.methods ?? []) check(path, `${name}.${m.name}`, m.params);
        }
      }
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
