/**
 * `deno task test`: starts one moto server for the whole run, runs every
 * test (unit and integration) against it, stops it, and ends with one plain
 * summary line `N passed, N failed`. Extra arguments go to `deno test`.
 *
 * @module
 */
import { spawnMoto, stopMoto } from "./local_aws/moto_server.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Test counts from Deno's summary line ("ok | 12 passed (3 steps) | 1 failed (2s)"). */
export function summaryCounts(output: string): { passed: number; failed: number } | undefined {
  const lines = output.replace(ANSI, "").split("\n").reverse();
  for (const line of lines) {
    const m = line.match(/^(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/);
    if (m) return { passed: Number(m[1]), failed: Number(m[2]) };
  }
  return undefined;
}

const TEST_USAGE = `Usage: deno task test [deno test arguments]

Starts one moto server, runs the tests against it (default: src/ tests/
scripts/; otherwise the files, directories and deno test flags given, e.g.
tests/deploy_test.ts --filter redeploy), stops it, and ends with the line
"N passed, N failed".`;

async function main(): Promise<number> {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(TEST_USAGE);
    return 0;
  }
  const moto = await spawnMoto();
  const args = Deno.args.length > 0 ? Deno.args : ["src/", "tests/", "scripts/", "bench/"];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--parallel", ...args],
    env: { MOTO_ENDPOINT: moto.url, DENO_JOBS: Deno.env.get("DENO_JOBS") ?? "2" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let captured = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    captured += decoder.decode(chunk, { stream: true });
    if (captured.length > 1_000_000) captured = captured.slice(-200_000);
  }
  const status = await child.status;
  await stopMoto(moto);
  const counts = summaryCounts(captured) ?? { passed: 0, failed: 1 };
  if (status.code !== 0 && counts.failed === 0) counts.failed = 1;
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return status.code === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
