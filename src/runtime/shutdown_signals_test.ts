import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { signalExitStatus } from "./shutdown_signals.ts";

const MODULE = new URL("./shutdown_signals.ts", import.meta.url).href;

/** Runs `body` (after importing catchEarlySignals) in a fresh Deno; its stdout lines and exit code. */
async function run(body: string): Promise<{ code: number; lines: string[] }> {
  const script = `import { catchEarlySignals } from ${JSON.stringify(MODULE)};\n${body}`;
  const out = await new Deno.Command(Deno.execPath(), { args: ["eval", script], stdout: "piped", stderr: "piped" })
    .output();
  return { code: out.code, lines: new TextDecoder().decode(out.stdout).trim().split("\n").filter(Boolean) };
}

Deno.test("catchEarlySignals: a SIGTERM before the hand-over is kept and replayed; later ones are forwarded", async () => {
  const { code, lines } = await run(`
    const early = catchEarlySignals();
    Deno.kill(Deno.pid, "SIGTERM"); // while "loading"
    await new Promise((r) => setTimeout(r, 100));
    let remove;
    const got = new Promise((resolve) => {
      const seen = [];
      remove = early.handOver((hurry, signal) => {
        seen.push(signal + ":" + hurry);
        if (seen.length === 2) resolve(seen);
      });
    });
    Deno.kill(Deno.pid, "SIGINT");
    console.log((await got).join(" "));
    remove();
    Deno.exit(0);
  `);
  deepStrictEqual([code, lines], [0, ["SIGTERM:false SIGINT:true"]]);
});

Deno.test("catchEarlySignals: release gives back the default action and says what came meanwhile", async () => {
  const caught = await run(`
    const early = catchEarlySignals();
    Deno.kill(Deno.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    console.log(early.release() ?? "none");
    Deno.exit(0);
  `);
  deepStrictEqual([caught.code, caught.lines], [0, ["SIGTERM"]]);
  const released = await run(`
    const early = catchEarlySignals();
    console.log(early.release() ?? "none");
    Deno.kill(Deno.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 5000));
  `);
  deepStrictEqual([released.code, released.lines], [143, ["none"]], "after release a SIGTERM ends the process");
  strictEqual(signalExitStatus("SIGTERM"), 143);
  strictEqual(signalExitStatus("SIGINT"), 130);
});
