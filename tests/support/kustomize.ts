/**
 * Kustomize helpers for the manifest tests: the files a kustomization refers
 * to, rendering it with `kustomize build` (or `kubectl kustomize`), and
 * running the offline command-line checkers (kubernetes-validate, yamllint,
 * kube-score).
 *
 * @module
 */
import { parse, parseAllDocuments } from "yaml";

/** A Kubernetes object as rendered. */
export type Manifest = { kind: string; metadata: { name: string; namespace?: string } } & Record<string, unknown>;

/** What a command printed and how it exited. */
export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args…`; a missing command is an error that says how to install it. */
export async function runTool(command: string, args: string[], cwd?: string): Promise<ToolResult> {
  try {
    const out = await new Deno.Command(command, { args, cwd, stdout: "piped", stderr: "piped" }).output();
    const text = new TextDecoder();
    return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Error(`${command} is not installed; run scripts/setup.sh`);
    }
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

async function kustomizationFile(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) if (await exists(`${dir}/${name}`)) return `${dir}/${name}`;
  return undefined;
}

/** Directories under `root` (recursively) that hold a kustomization. */
export async function findKustomizations(root: string): Promise<string[]> {
  const out: string[] = [];
  if (await kustomizationFile(root)) out.push(root);
  for await (const entry of Deno.readDir(root)) {
    if (entry.isDirectory) out.push(...await findKustomizations(`${root}/${entry.name}`));
  }
  return out.sort();
}

/**
 * Every reference of the kustomization in `dir` that does not resolve:
 * resources and components (a file, or a directory with a kustomization),
 * patch files, and generator files/env files. Remote references are
 * reported too: the manifests must render offline.
 */
export async function kustomizationProblems(dir: string): Promise<string[]> {
  const file = await kustomizationFile(dir);
  if (!file) return [`${dir}: no kustomization file`];
  const k = parse(await Deno.readTextFile(file)) ?? {};
  const problems: string[] = [];
  const check = async (field: string, ref: unknown, directoryAllowed: boolean) => {
    if (typeof ref !== "string" || ref === "") {
      problems.push(`${file}: ${field} entry ${JSON.stringify(ref)} is not a path`);
      return;
    }
    if (/^[a-z]+:\/\/|^github\.com\//.test(ref)) {
      problems.push(`${file}: ${field} ${ref} is remote; everything must render offline`);
      return;
    }
    const path = `${dir}/${ref}`;
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch {
      problems.push(`${file}: ${field} ${ref} does not exist`);
      return;
    }
    if (info.isDirectory && (!directoryAllowed || !(await kustomizationFile(path)))) {
      problems.push(`${file}: ${field} ${ref} is a directory without a kustomization`);
    }
  };
  for (const ref of k.resources ?? []) await check("resources", ref, true);
  for (const ref of k.components ?? []) await check("components", ref, true);
  for (const patch of k.patches ?? []) if (patch?.path !== undefined) await check("patches", patch.path, false);
  for (const ref of k.patchesStrategicMerge ?? []) await check("patchesStrategicMerge", ref, false);
  for (const kind of ["configMapGenerator", "secretGenerator"]) {
    for (const gen of k[kind] ?? []) {
      for (const f of gen.files ?? []) await check(`${kind} ${gen.name} files`, String(f).split("=").at(-1), false);
      for (const f of [...(gen.envs ?? []), ...(gen.env ? [gen.env] : [])]) {
        await check(`${kind} ${gen.name} envs`, f, false);
      }
    }
  }
  return problems;
}

/** Where `go install` puts `tool` (kustomize, kube-score) when it is not on PATH (scripts/setup.sh). */
export function goInstalled(tool: string): string {
  const home = Deno.env.get("HOME") ?? "";
  const bin = Deno.env.get("GOBIN") || `${(Deno.env.get("GOPATH") || `${home}/go`).split(":")[0]}/bin`;
  return `${bin}/${tool}`;
}

/** Runs a Go tool from PATH, else from where `go install` put it. */
export async function runGoTool(tool: string, args: string[], stdin?: string): Promise<ToolResult> {
  for (const command of [tool, goInstalled(tool)]) {
    try {
      const child = new Deno.Command(command, { args, stdin: "piped", stdout: "piped", stderr: "piped" }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(stdin ?? ""));
      await writer.close();
      const out = await child.output();
      const text = new TextDecoder();
      return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  throw new Error(`${tool} is not installed; run scripts/setup.sh`);
}

/**
 * Renders the kustomization in `dir` as YAML text with kustomize (on PATH or
 * go-installed), else kubectl's built-in kustomize.
 */
export async function kustomizeBuild(dir: string): Promise<string> {
  const attempts: [string, string[]][] = [
    ["kustomize", ["build", dir]],
    [goInstalled("kustomize"), ["build", dir]],
    ["kubectl", ["kustomize", dir]],
  ];
  for (const [command, args] of attempts) {
    let result: ToolResult;
    try {
      result = await runTool(command, args);
    } catch {
      continue;
    }
    if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}`);
    return result.stdout;
  }
  throw new Error("neither kustomize nor kubectl is installed; run scripts/setup.sh");
}

/** The objects of a multi-document YAML text. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null) as Manifest[];
}

/** The one object of `kind` (and `name` prefix) in `manifests`; throws when absent or ambiguous. */
export function pick(manifests: Manifest[], kind: string, name = ""): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name.startsWith(name));
  if (found.length !== 1) throw new Error(`expected one ${kind} named ${name}*, found ${found.length}`);
  return found[0]!;
}

/** Oldest and newest Kubernetes versions the manifests must validate against. */
export const K8S_VERSIONS = ["1.28.0", "1.37.0"];

/** kubernetes-validate (strict) of a rendered YAML text; kinds without a schema (CRDs) are only warned about. */
export async function kubernetesValidate(yamlText: string, version: string): Promise<ToolResult> {
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await Deno.writeTextFile(file, yamlText);
    return await runTool("kubernetes-validate", ["--strict", "--quiet", "-k", version, file]);
  } finally {
    await Deno.remove(file);
  }
}

function relativePath(from: string, to: string): string {
  const a = from.split("/").filter(Boolean);
  const b = to.split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/") || ".";
}

/**
 * Renders `resources` (kustomization directories) with `components` applied,
 * as a user's own kustomization would (kustomize only takes relative paths).
 */
export async function kustomizeWith(resources: string[], components: string[]): Promise<string> {
  const dir = await Deno.makeTempDir();
  try {
    const rel = (p: string) => relativePath(dir, p);
    await Deno.writeTextFile(
      `${dir}/kustomization.yaml`,
      `resources: ${JSON.stringify(resources.map(rel))}\ncomponents: ${JSON.stringify(components.map(rel))}\n`,
    );
    return await kustomizeBuild(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
