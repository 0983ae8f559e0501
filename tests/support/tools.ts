/**
 * External linters the tests run (installed by scripts/setup.sh): cfn-lint,
 * checkov (in its own virtualenv) and hadolint, plus a CloudFormation YAML →
 * JSON loader that uses cfn-lint's own parser (short-form intrinsics become
 * `{"Ref": …}`, `{"Fn::Sub": …}`).
 *
 * @module
 */

export const ROOT = new URL("../../", import.meta.url).pathname;
export const CFN_DIR = `${ROOT}cloudformation`;

/** Where checkov lives: CHECKOV_BIN, else the virtualenv scripts/setup.sh makes, else PATH. */
export function checkovPath(): string {
  const given = Deno.env.get("CHECKOV_BIN");
  if (given) return given;
  const cache = Deno.env.get("XDG_CACHE_HOME") || `${Deno.env.get("HOME")}/.cache`;
  const venv = Deno.env.get("CHECKOV_VENV") || `${cache}/log-processor-tools/checkov`;
  try {
    Deno.statSync(`${venv}/bin/checkov`);
    return `${venv}/bin/checkov`;
  } catch {
    return "checkov";
  }
}

/** What a tool run printed. */
export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cmd args`; a missing tool fails with the setup hint. */
export async function runTool(cmd: string, args: string[], cwd = ROOT): Promise<ToolRun> {
  try {
    const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped", stdin: "null" }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } catch (err) {
    throw new Error(`cannot run ${cmd} (${err instanceof Error ? err.message : err}); run scripts/setup.sh`);
  }
}

/** The CloudFormation templates of the repository. */
export function templatePaths(): string[] {
  return [...Deno.readDirSync(CFN_DIR)]
    .filter((e) => e.isFile && e.name.endsWith(".yaml"))
    .map((e) => `${CFN_DIR}/${e.name}`)
    .sort();
}

// deno-lint-ignore no-explicit-any
export type Template = Record<string, any>;

/** A template as JSON, parsed by cfn-lint's decoder. */
export async function loadTemplate(path: string): Promise<Template> {
  const script = "import json,sys\nfrom cfnlint.decode import decode\nt,m=decode(sys.argv[1])\n" +
    "assert t is not None, m\nprint(json.dumps(t))";
  const run = await runTool("python3", ["-c", script, path]);
  if (run.code !== 0) throw new Error(`cannot parse ${path}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
