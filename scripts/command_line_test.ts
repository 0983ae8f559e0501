import assert from "node:assert/strict";
import { type CommandIo, commandLine, oneLine } from "./command_line.ts";

const spec = (io: CommandIo) => ({
  name: "compile",
  options: { output: { type: "string" as const } },
  usage: "Usage: x",
  io,
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

Deno.test("--help prints the usage and ends the command with 0", () => {
  const c = capture();
  assert.deepEqual(commandLine(["--help"], spec(c.io)), { exit: 0 });
  assert.deepEqual(c.out, ["Usage: x"]);
});

Deno.test("an unknown flag, a missing value or a stray argument is one line naming it, exit 2", () => {
  for (
    const [args, message] of [
      [["--bogus"], /^compile: Unknown option '--bogus'/],
      [["--output"], /^compile: Option '--output <value>' argument missing/],
      [["extra"], /^compile: Unexpected argument 'extra'/],
    ] as const
  ) {
    const c = capture();
    assert.deepEqual(commandLine([...args], spec(c.io)), { exit: 2 });
    assert.equal(c.err.length, 1);
    assert.match(c.err[0] ?? "", message);
    assert.doesNotMatch(c.err[0] ?? "", /\n/);
  }
});

Deno.test("values pass through; oneLine keeps a message on one line", () => {
  const c = capture();
  assert.deepEqual(commandLine(["--output", "o"], { ...spec(c.io), name: "x", usage: "" }), {
    values: { output: "o" },
  });
  assert.equal(oneLine(new Error("a\n  b\n")), "a b");
  assert.equal(oneLine("plain"), "plain");
});
