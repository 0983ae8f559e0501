/**
 * `cloudformation/deploy.sh` as an operator runs it, pointed at a test's
 * local AWS (through its recording proxy) with fake credentials.
 *
 * @module
 */
import { type LocalAws, REGION } from "./fixtures.ts";
import { ROOT } from "./tools.ts";

function deployEnv(aws: LocalAws): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: aws.proxy.url,
  };
}

/** Runs cloudformation/deploy.sh with `args`, against the proxy (plus `env` overrides; undefined removes). */
export async function deploySh(aws: LocalAws, args: string[], env: Record<string, string | undefined> = {}) {
  const merged: Record<string, string> = deployEnv(aws);
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const out = await new Deno.Command("bash", {
    args: [`${ROOT}cloudformation/deploy.sh`, ...args],
    env: merged,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A fresh environment name (stack and resource names derive from it). */
export function environment(): string {
  return `t${crypto.randomUUID().replace(/-/g, "").slice(0, 8)}`;
}
