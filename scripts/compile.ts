/**
 * `deno task compile`: `deno compile` of src/main.ts into dist/log-processor.
 *
 * `deno compile` needs its `denort` runtime. It downloads it from the network
 * unless the DENORT_BIN environment variable names a local denort binary (of
 * the same Deno version), which `deno compile` itself reads; this script
 * checks that file first so a wrong path fails with a clear message.
 *
 * Options: `--target <triple>` (e.g. aarch64-unknown-linux-gnu for arm64
 * Lambda; default COMPILE_TARGET or the host), `--output <path>`.
 *
 * @module
 */
import { commandLine } from "./command_line.ts";

export const DEFAULT_OUTPUT = "dist/log-processor";
export const ENTRY = "src/main.ts";

/**
 * V8 flags built into the binary (and used by `deno task start` and the
 * whole-process bench). A 2 MB semi-space keeps the young generation small:
 * measured on the real process, peak RSS 188 MB instead of 222–242 MB on a
 * 256 MiB object and 97 MB instead of 106 MB idle, for no measurable CPU
 * (docs/performance.md).
 */
export const V8_FLAGS: readonly string[] = ["--max-semi-space-size=2"];

/** The `--v8-flags=` argument of `deno run` and `deno compile`. */
export const V8_FLAGS_ARG = `--v8-flags=${V8_FLAGS.join(",")}`;

/** How to compile. */
export interface CompileOptions {
  readonly output: string;
  readonly target?: string;
}

/** The `deno compile` arguments for `options` (pure). */
export function compileArgs(options: CompileOptions): string[] {
  return [
    "compile",
    "--allow-all",
    "--no-check",
    V8_FLAGS_ARG,
    ...(options.target ? ["--target", options.target] : []),
    "--output",
    options.output,
    ENTRY,
  ];
}

/** Why DENORT_BIN cannot be used, or undefined when it is unset or fine. */
export async function denortProblem(env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const path = env.DENORT_BIN;
  if (!path) return undefined;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return `DENORT_BIN=${path} is not a file`;
    if (info.mode !== null && (info.mode & 0o111) === 0) return `DENORT_BIN=${path} is not executable`;
  } catch {
    return `DENORT_BIN=${path} does not exist`;
  }
  return undefined;
}

/** Compiles; resolves to the exit status. */
export async function compile(
  options: CompileOptions,
  env: Readonly<Record<string, string | undefined>> = Deno.env.toObject(),
): Promise<number> {
  const problem = await denortProblem(env);
  if (problem) {
    console.error(`compile: ${problem} (it must be the denort binary of Deno ${Deno.version.deno})`);
    return 2;
  }
  await Deno.mkdir(options.output.split("/").slice(0, -1).join("/") || ".", { recursive: true });
  const out = await new Deno.Command(Deno.execPath(), {
    args: compileArgs(options),
    env: env.DENORT_BIN ? { DENORT_BIN: env.DENORT_BIN } : {},
    stdout: "inherit",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  await Deno.stderr.write(out.stderr);
  if (out.code !== 0) {
    if (!env.DENORT_BIN && /denort|download/i.test(stderr)) {
      console.error(
        `compile: deno compile could not download its denort runtime. Either allow it network access, or set ` +
          `DENORT_BIN to a local denort binary of Deno ${Deno.version.deno} (from the denort-<target>.zip of that release).`,
      );
    }
    return out.code;
  }
  console.error(`compile: wrote ${options.output}`);
  return 0;
}

export const COMPILE_USAGE = `Usage: deno task compile [--target TRIPLE] [--output PATH]

deno compile of src/main.ts into one binary, log-processor.

  --target TRIPLE   deno compile --target, e.g. aarch64-unknown-linux-gnu for arm64
                    Lambda (default COMPILE_TARGET, else this machine)
  --output PATH     where to write it (default ${DEFAULT_OUTPUT})
  --help            this text

deno compile needs its denort runtime: downloaded from the network unless
DENORT_BIN names a local denort binary of Deno ${Deno.version.deno}.`;

if (import.meta.main) {
  const parsed = commandLine(Deno.args, {
    name: "deno task compile",
    options: { target: { type: "string" }, output: { type: "string" } },
    usage: COMPILE_USAGE,
  });
  if ("exit" in parsed) Deno.exit(parsed.exit);
  const values = parsed.values as { target?: string; output?: string };
  Deno.exit(
    await compile({
      output: values.output ?? DEFAULT_OUTPUT,
      target: values.target ?? (Deno.env.get("COMPILE_TARGET") || undefined),
    }),
  );
}
