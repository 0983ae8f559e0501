/**
 * The processor (or another Deno entry) as a subprocess with only the
 * environment it is given (plus PATH/HOME), for the tests and the demo: run
 * to completion (`runProcessor`, `runDeno`), or long-running (`spawnProcessor`:
 * its stderr log lines are collected as they come, and it can be signalled).
 *
 * @module
 */

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

/** What a finished subprocess did. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Parsed stdout lines. */
  readonly results: Record<string, unknown>[];
}

/** How to start the subprocess. */
export interface SpawnOptions {
  /** Flags of `deno run` before the entry (`--inspect=…`, `--v8-flags=…`). */
  readonly denoFlags?: readonly string[];
}

/** Spawns `deno run -A <entry> …` with `env` only (plus PATH/HOME), stdout and stderr piped. */
function denoRun(
  entry: string,
  args: string[],
  env: Record<string, string>,
  options: SpawnOptions & { stdin: "piped" | "null" },
) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...options.denoFlags ?? [], entry, ...args],
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...env },
    clearEnv: true,
    stdin: options.stdin,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Runs `deno run -A src/main.ts …` with `env` only (plus PATH/HOME) and `stdin`. */
export function runProcessor(args: string[], env: Record<string, string>, stdin = ""): Promise<RunResult> {
  return runDeno(MAIN, args, { env, stdin });
}

/** Runs `deno run -A <entry> …` (a path) with `env` only (plus PATH/HOME) and `stdin` (default: none). */
export async function runDeno(
  entry: string,
  args: string[],
  { env, stdin = "" }: { readonly env: Record<string, string>; readonly stdin?: string },
): Promise<RunResult> {
  const child = denoRun(entry, args, env, { stdin: "piped" });
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout);
  const results = stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  return { code: out.code, stdout, stderr: new TextDecoder().decode(out.stderr), results };
}

/** A running processor. */
export interface ProcessorProcess {
  readonly child: Deno.ChildProcess;
  /** Parsed JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  /** Raw stderr and stdout so far. */
  stderr(): string;
  stdout(): string;
  kill(signal: Deno.Signal): void;
  /** Resolves to the exit code once the process ended and its output is read. */
  readonly exited: Promise<number>;
}

async function collect(stream: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) onText(decoder.decode(chunk, { stream: true }));
}

/** Starts `main.ts` with `args` and only `env` (plus PATH/HOME). */
export function spawnProcessor(
  args: string[],
  env: Record<string, string>,
  options: SpawnOptions = {},
): ProcessorProcess {
  const child = denoRun(MAIN, args, env, { ...options, stdin: "null" });
  let err = "";
  let out = "";
  const logs: Record<string, unknown>[] = [];
  let partial = "";
  const reading = Promise.all([
    collect(child.stderr, (t) => {
      err += t;
      const lines = (partial + t).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        try {
          logs.push(JSON.parse(line));
        } catch { /* not a log line */ }
      }
    }),
    collect(child.stdout, (t) => out += t),
  ]);
  return {
    child,
    logs,
    stderr: () => err,
    stdout: () => out,
    kill: (signal) => {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
    },
    exited: reading.then(() => child.status).then((s) => s.code),
  };
}
