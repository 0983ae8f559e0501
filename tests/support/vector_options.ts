/**
 * Checks a parsed Vector configuration against the option names Vector
 * documents for the components this project uses
 * (`tests/testdata/vector-reference/options.json`, a copy of
 * `shared/vector-reference/options.json`, plus `options-extra.json` for the
 * few components the shared copy does not cover; see the README there).
 * Catches misplaced or misspelled options, such as `framing` inside `encoding`
 * instead of beside it, that only a real Vector binary would otherwise reject.
 *
 * @module
 */

/** A tree of option names: `{}` is a leaf, `{"*": {}}` takes free-form keys. */
export type OptionTree = { readonly [name: string]: OptionTree };

const readTree = (name: string): Record<string, OptionTree> =>
  JSON.parse(Deno.readTextFileSync(new URL(`../testdata/vector-reference/${name}`, import.meta.url)));

/** The shared reference's options per component type. */
export const SHARED_VECTOR_OPTIONS: Readonly<Record<string, OptionTree>> = readTree("options.json");
/** Components the shared reference lacks, from Vector's generated reference (options-extra.json). */
export const EXTRA_VECTOR_OPTIONS: Readonly<Record<string, OptionTree>> = readTree("options-extra.json");
/** The documented options per component type. */
export const VECTOR_OPTIONS: Readonly<Record<string, OptionTree>> = {
  ...EXTRA_VECTOR_OPTIONS,
  ...SHARED_VECTOR_OPTIONS,
};

const FREE: OptionTree = { "*": {} };
const LEAF: OptionTree = {};

/** Options every component accepts (not listed per component in the reference). */
const COMMON_OPTIONS: Readonly<Record<string, OptionTree>> = {
  type: LEAF,
  inputs: LEAF,
  buffer: { type: LEAF, max_size: LEAF, max_events: LEAF, when_full: LEAF },
  healthcheck: FREE,
  proxy: { enabled: LEAF, http: LEAF, https: LEAF, no_proxy: LEAF },
  graph: FREE,
};

/**
 * Global (top-level) options. `api.graphql` and `api.playground` are absent on
 * purpose: Vector 0.55 removed them and rejects configurations naming them.
 */
const GLOBAL_OPTIONS: OptionTree = {
  data_dir: LEAF,
  api: { enabled: LEAF, address: LEAF },
  secret: FREE,
  enrichment_tables: FREE,
  acknowledgements: { enabled: LEAF },
  healthchecks: { enabled: LEAF, require_healthy: LEAF },
  log_schema: FREE,
  schema: FREE,
  proxy: COMMON_OPTIONS.proxy!,
  timezone: LEAF,
  expire_metrics_secs: LEAF,
  tests: LEAF,
  wildcard_matching: LEAF,
};

const COMPONENT_KINDS = ["sources", "transforms", "sinks"] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Paths under `value` whose names `tree` does not know. */
function unknownIn(value: unknown, tree: OptionTree, path: string, out: string[]): void {
  if (!isObject(value) || "*" in tree) return;
  const leaf = Object.keys(tree).length === 0;
  for (const [name, child] of Object.entries(value)) {
    const where = `${path}.${name}`;
    if (leaf || !(name in tree)) {
      out.push(where);
      continue;
    }
    unknownIn(child, tree[name]!, where, out);
  }
}

/**
 * Every option `config` names that Vector does not document in that place,
 * as dotted paths (`sinks.s3.encoding.framing`), plus one entry per component
 * of a type the reference does not cover (`sources.x.type: unknown component
 * type "foo"`). Empty when the configuration only uses known options.
 */
export function unknownVectorOptions(config: unknown): string[] {
  const out: string[] = [];
  if (!isObject(config)) return ["(configuration is not a mapping)"];
  for (const [name, value] of Object.entries(config)) {
    if ((COMPONENT_KINDS as readonly string[]).includes(name)) continue;
    if (!(name in GLOBAL_OPTIONS)) out.push(name);
    else unknownIn(value, GLOBAL_OPTIONS[name]!, name, out);
  }
  for (const kind of COMPONENT_KINDS) {
    const components = config[kind];
    if (components === undefined) continue;
    if (!isObject(components)) {
      out.push(`${kind}: not a mapping of components`);
      continue;
    }
    for (const [id, component] of Object.entries(components)) {
      const path = `${kind}.${id}`;
      if (!isObject(component)) {
        out.push(`${path}: not a mapping of options`);
        continue;
      }
      const type = String(component.type);
      const options = VECTOR_OPTIONS[type];
      if (!options) {
        out.push(`${path}.type: unknown component type ${JSON.stringify(component.type)}`);
        continue;
      }
      for (const [name, value] of Object.entries(component)) {
        const tree = COMMON_OPTIONS[name] ?? options[name];
        if (tree === undefined) out.push(`${path}.${name}`);
        else if (Array.isArray(value)) { for (const item of value) unknownIn(item, tree, `${path}.${name}[]`, out); }
        else unknownIn(value, tree, `${path}.${name}`, out);
      }
    }
  }
  return out;
}
