/**
 * `deno task compile` honours DENORT_BIN. The real denort runtime cannot be
 * fetched here, so the test hands `deno compile` the deno binary itself as a
 * stand-in runtime: that proves the task compiles offline from DENORT_BIN and
 * embeds src/main.ts (the stand-in's output is not meant to run).
 */
import assert from "node:assert/strict";
import { compileArgs, denortProblem, V8_FLAGS_ARG } from "./compile.ts";

const ROOT = new URL("..", import.meta.url).pathname;

async function compileTask(env: Record<string, string>, output: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "compile", "--output", output],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("compile arguments: all permissions, optional target, the main entry", () => {
  assert.deepEqual(compileArgs({ output: "dist/log-processor" }), [
    "compile",
    "--allow-all",
    "--no-check",
    "--v8-flags=--max-semi-space-size=2",
    "--output",
    "dist/log-processor",
    "src/main.ts",
  ]);
  assert.deepEqual(compileArgs({ output: "o", target: "aarch64-unknown-linux-gnu" }).slice(4, 6), [
    "--target",
    "aarch64-unknown-linux-gnu",
  ]);
});

Deno.test("deno task start runs with the binary's V8 flags", async () => {
  const tasks = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url))).tasks;
  assert.equal(tasks.start, `deno run -A ${V8_FLAGS_ARG} src/main.ts`);
});

Deno.test("a DENORT_BIN that does not exist or is not executable fails before compiling", async () => {
  assert.equal(await denortProblem({}), undefined);
  assert.match((await denortProblem({ DENORT_BIN: "/nonexistent/denort" }))!, /does not exist/);
  const file = await Deno.makeTempFile();
  await Deno.chmod(file, 0o644);
  assert.match((await denortProblem({ DENORT_BIN: file }))!, /is not executable/);
  await Deno.remove(file);
  const run = await compileTask({ DENORT_BIN: "/nonexistent/denort" }, "/tmp/never-written");
  assert.equal(run.code, 2);
  assert.match(run.stderr, /compile: DENORT_BIN=\/nonexistent\/denort does not exist/);
});

Deno.test({
  name: "with DENORT_BIN the task compiles offline and embeds the processor",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const output = `${dir}/log-processor`;
      const run = await compileTask({ DENORT_BIN: Deno.execPath() }, output);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /compile: wrote /);
      const binary = await Deno.readFile(output);
      assert.ok(binary.length > (await Deno.stat(Deno.execPath())).size);
      const marker = new TextEncoder().encode("deliver tenant logs from the central bucket");
      const text = new TextDecoder("latin1").decode(binary);
      assert.ok(text.includes(new TextDecoder("latin1").decode(marker)), "src/main.ts is not embedded");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
