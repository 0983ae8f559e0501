/**
 * The Lambda package through the real `deno task package:lambda`, with a
 * stand-in for the compiled binary (a script that runs `deno run src/main.ts`,
 * since the real `deno compile` needs a denort runtime this machine cannot
 * fetch): one `bootstrap` entry, executable, that runs the processor.
 */
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { isElf, lambdaZip } from "./package_lambda.ts";
import { VERSION } from "../src/main.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** Central directory entries of a zip: name, host OS and Unix mode. */
function centralDirectory(zip: Uint8Array): { name: string; host: number; mode: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, "no end of central directory record");
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const entries = [];
  for (let i = 0; i < count; i++) {
    assert.equal(view.getUint32(at, true), 0x02014b50);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    entries.push({
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
      host: view.getUint8(at + 5),
      mode: view.getUint32(at + 38, true) >>> 16,
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

Deno.test({
  name: "package:lambda zips the binary as an executable bootstrap that runs the processor",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const standIn = `${dir}/log-processor`;
      await Deno.writeTextFile(standIn, `#!/bin/sh\nexec "${Deno.execPath()}" run -A "${ROOT}src/main.ts" "$@"\n`);
      await Deno.chmod(standIn, 0o755);
      const zipPath = `${dir}/out/lambda.zip`;
      const run = await new Deno.Command(Deno.execPath(), {
        args: ["task", "package:lambda", "--binary", standIn, "--output", zipPath],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(run.stderr);
      assert.equal(run.code, 0, stderr);
      assert.match(stderr, /is not a Linux ELF executable/);
      const zip = await Deno.readFile(zipPath);
      assert.deepEqual(centralDirectory(zip), [{ name: "bootstrap", host: 3, mode: 0o100755 }]);
      const files = unzipSync(zip);
      assert.deepEqual(Object.keys(files), ["bootstrap"]);
      assert.deepEqual(files.bootstrap, await Deno.readFile(standIn));

      // What Lambda does with the package: unpack it keeping the mode, then run ./bootstrap.
      const task = `${dir}/task`;
      await Deno.mkdir(task);
      await Deno.writeFile(`${task}/bootstrap`, files.bootstrap, { mode: 0o755 });
      const out = await new Deno.Command(`${task}/bootstrap`, { args: ["--version"], stdout: "piped" }).output();
      assert.equal(out.code, 0);
      assert.equal(new TextDecoder().decode(out.stdout).trim(), VERSION);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("the package is reproducible and recognises ELF binaries", () => {
  const binary = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  assert.ok(isElf(binary));
  assert.ok(!isElf(new TextEncoder().encode("#!/bin/sh")));
  assert.deepEqual(lambdaZip(binary), lambdaZip(binary));
});

Deno.test("a missing binary is an error when --binary is given", async () => {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["task", "package:lambda", "--binary", "/nonexistent/log-processor", "--output", "/tmp/never.zip"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(run.code, 2);
  assert.match(new TextDecoder().decode(run.stderr), /\/nonexistent\/log-processor does not exist/);
});
