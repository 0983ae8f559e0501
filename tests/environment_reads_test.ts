/**
 * The processor reads its environment in one place: src/main.ts takes it
 * once (`Deno.env.toObject()`) and hands it to src/config.ts, which alone
 * reads variables from it (loadConfig, resolveMode, bootLogLevel,
 * initErrorRuntimeApi). The exceptions below are written down with why.
 */
import assert from "node:assert/strict";

/** Files of src/ that may touch `Deno.env`, and why. */
const DENO_ENV_ALLOWED: Readonly<Record<string, string>> = {
  "src/main.ts": "the entry point reads the environment once and passes it on",
  "src/runtime/lambda_runtime.ts":
    "sets _X_AMZN_TRACE_ID per invocation, as Lambda's custom-runtime contract asks (the X-Ray SDK reads it there)",
  "src/delivery/vector/vector_process.ts": "gives the Vector child the PATH to be found on; nothing of ours leaks",
};
/** The one file that reads named variables out of an environment record. */
const CONFIG = "src/config.ts";

const DENO_ENV = /\bDeno\.env\b/;
const NAMED_READ = /\benv(?:\?\.|\.)[A-Z][A-Z0-9_]{2,}\b|\benv\[\s*["'][A-Z][A-Z0-9_]+["']\s*\]/;

async function* sources(dir: URL, prefix: string): AsyncGenerator<[string, string]> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) yield* sources(new URL(`${entry.name}/`, dir), `${path}/`);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
      yield [path, await Deno.readTextFile(new URL(entry.name, dir))];
    }
  }
}

/** `[file, line]` of every line of `text` matching `pattern` outside comments. */
function matches(file: string, text: string, pattern: RegExp): string[] {
  return text.split("\n").filter((line) => !/^\s*(\/\/|\*|\/\*\*)/.test(line) && pattern.test(line))
    .map((line) => `${file}: ${line.trim()}`);
}

Deno.test("only config.ts reads environment variables; Deno.env only where written down", async () => {
  const denoEnv: string[] = [];
  const named: string[] = [];
  for await (const [file, text] of sources(new URL("../src/", import.meta.url), "src/")) {
    if (!(file in DENO_ENV_ALLOWED)) denoEnv.push(...matches(file, text, DENO_ENV));
    if (file !== CONFIG) named.push(...matches(file, text, NAMED_READ));
  }
  assert.deepEqual(denoEnv, []);
  assert.deepEqual(named, []);
});

Deno.test("the environment checks see what they look for", () => {
  assert.deepEqual(matches("x.ts", "const b = env.CENTRAL_BUCKET?.trim();\n// env.IN_A_COMMENT", NAMED_READ), [
    "x.ts: const b = env.CENTRAL_BUCKET?.trim();",
  ]);
  assert.equal(matches("x.ts", 'const a = env?.AWS_REGION; const c = env["LOG_LEVEL"];', NAMED_READ).length, 1);
  assert.equal(matches("x.ts", "const e = Deno.env.get('HOME');", DENO_ENV).length, 1);
  assert.deepEqual(matches("x.ts", "const dir = options.env.path;", NAMED_READ), []);
});
