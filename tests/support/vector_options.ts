/**
 * Checks Vector configurations against Vector's documented option names
 * (`tests/testdata/vector-reference/options.json`): every key of a component
 * must be a documented option in the right place (for example `framing` is a
 * sibling of `encoding`, not inside it). Used for the configuration the
 * processor generates and for the Kubernetes ones.
 *
 * @module
 */
import reference from "../testdata/vector-reference/options.json" with { type: "json" };

/** A tree of option names; `{}` is a leaf, a `"*"` key admits any name. */
export type OptionTree = { readonly [name: string]: OptionTree };

/** The documented options per component type. */
export const VECTOR_OPTIONS: Readonly<Record<string, OptionTree>> = reference;

/** Options every component accepts (not listed per component in the reference). */
export const COMMON_COMPONENT_OPTIONS: readonly string[] = [
  "type",
  "inputs",
  "buffer",
  "healthcheck",
  "proxy",
  "graph",
];

/** Top-level (global) keys of a Vector configuration file. */
export const GLOBAL_OPTIONS: readonly string[] = [
  "sources",
  "transforms",
  "sinks",
  "data_dir",
  "api",
  "acknowledgements",
  "timezone",
  "log_schema",
  "proxy",
  "expire_metrics_secs",
  "enrichment_tables",
  "secret",
  "schema",
  "healthchecks",
  "tests",
  "wildcard_matching",
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function walk(value: Record<string, unknown>, tree: OptionTree, path: string, out: string[]): void {
  for (const [name, child] of Object.entries(value)) {
    const node = tree[name] ?? tree["*"];
    const here = path ? `${path}.${name}` : name;
    if (node === undefined) {
      out.push(here);
      continue;
    }
    // A leaf may take a table value (a map); only check deeper where the reference has names.
    if (isObject(child) && Object.keys(node).length > 0 && !("*" in node && Object.keys(node).length === 1)) {
      walk(child, node, here, out);
    }
  }
}

/**
 * The option paths of one component's configuration that Vector does not
 * document for `componentType` (e.g. `aws_cloudwatch_logs`), such as
 * `encoding.framing`. An unknown component type is reported as `type`.
 */
export function unknownVectorOptions(componentType: string, config: Record<string, unknown>): string[] {
  const tree = VECTOR_OPTIONS[componentType];
  if (!tree) return [`type (no reference for component type "${componentType}")`];
  const out: string[] = [];
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (!COMMON_COMPONENT_OPTIONS.includes(k)) rest[k] = v;
  walk(rest, tree, "", out);
  return out;
}

/**
 * Every unknown option of a whole configuration (parsed YAML/TOML/JSON), as
 * `sinks.<id>.<path>`; unknown top-level keys and components without a
 * `type` are reported too.
 */
export function unknownVectorConfigOptions(config: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!GLOBAL_OPTIONS.includes(key)) {
      out.push(key);
      continue;
    }
    if (key !== "sources" && key !== "transforms" && key !== "sinks") continue;
    if (!isObject(value)) {
      out.push(`${key} (must be a table of components)`);
      continue;
    }
    for (const [id, component] of Object.entries(value)) {
      if (!isObject(component) || typeof component.type !== "string") {
        out.push(`${key}.${id}.type (missing)`);
        continue;
      }
      for (const p of unknownVectorOptions(component.type, component)) out.push(`${key}.${id}.${p}`);
    }
  }
  return out;
}
