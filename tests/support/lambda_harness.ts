/**
 * Runs `src/main.ts --mode lambda` the way Lambda does: under the AWS Lambda
 * Runtime Interface Emulator (`aws-lambda-rie`, built with `go install` from
 * the Go module proxy when missing) with `scripts/lambda_bootstrap.sh` as the
 * bootstrap. When rie cannot be had, the same tests run against the suite's
 * own Runtime API server ({@link RuntimeApiServer}) with the runtime as a
 * subprocess, and `harness.kind` says so.
 *
 * @module
 */
import { freePort } from "../../scripts/local_aws/free_port.ts";
import { type ProcessorProcess, spawnProcessor } from "../../scripts/local_aws/processor_process.ts";
import { RuntimeApiServer } from "./runtime_api_server.ts";

/** The emulator version installed when missing (the module has no tagged releases; this is its latest pseudo-version). */
export const RIE_VERSION = "v0.0.0-20261030222936-bef5c4ba774d";
export const RIE_MODULE = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie";

const BOOTSTRAP = new URL("../../scripts/lambda_bootstrap.sh", import.meta.url).pathname;

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

async function output(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
}

let found: Promise<string | undefined> | undefined;

/** Path of aws-lambda-rie: LAMBDA_RIE_BIN, PATH, GOPATH/bin, else `go install` it; undefined when impossible. */
export function rieBinary(): Promise<string | undefined> {
  found ??= (async () => {
    const given = Deno.env.get("LAMBDA_RIE_BIN");
    if (given) return given;
    for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
      if (dir && await exists(`${dir}/aws-lambda-rie`)) return `${dir}/aws-lambda-rie`;
    }
    const gopath = await output("go", ["env", "GOPATH"]);
    if (!gopath) return undefined;
    const bin = `${gopath.split(":")[0]}/bin/aws-lambda-rie`;
    if (await exists(bin)) return bin;
    const installed = await output("go", ["install", `${RIE_MODULE}@${RIE_VERSION}`]);
    return installed !== undefined && await exists(bin) ? bin : undefined;
  })();
  return found;
}

/** What an invocation returned. */
export interface LambdaReply {
  /** True when the function answered normally (no function or init error). */
  readonly ok: boolean;
  readonly body: unknown;
  readonly raw: string;
}

/** A running Lambda function. */
export interface LambdaHarness {
  readonly kind: "aws-lambda-rie" | "in-suite Runtime API";
  invoke(event: unknown): Promise<LambdaReply>;
  /** Runtime output (EMF lines on stdout, JSON logs on stderr) so far. */
  output(): string;
  stop(): Promise<void>;
}

const parse = (raw: string) => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

/** Starts the function with `env` and a `timeoutSeconds` invocation timeout. */
export async function startLambda(env: Record<string, string>, timeoutSeconds = 30): Promise<LambdaHarness> {
  const rie = await rieBinary();
  return rie ? await startUnderRie(rie, env, timeoutSeconds) : await startInSuite(env, timeoutSeconds);
}

async function startUnderRie(rie: string, env: Record<string, string>, timeoutSeconds: number): Promise<LambdaHarness> {
  const [apiPort, port] = [freePort(), freePort()];
  const child = new Deno.Command(rie, {
    args: [
      "--runtime-api-address",
      `127.0.0.1:${apiPort}`,
      "--runtime-interface-emulator-address",
      `127.0.0.1:${port}`,
      BOOTSTRAP,
    ],
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      DENO_BIN: Deno.execPath(),
      AWS_LAMBDA_FUNCTION_TIMEOUT: String(timeoutSeconds),
      ...env,
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const reading = Promise.all([child.stdout, child.stderr].map(async (s) => {
    for await (const chunk of s) text += decoder.decode(chunk, { stream: true });
  }));
  const url = `http://127.0.0.1:${port}/2015-03-31/functions/function/invocations`;
  for (let i = 0; i < 100; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    kind: "aws-lambda-rie",
    async invoke(event) {
      const res = await fetch(url, { method: "POST", body: JSON.stringify(event) });
      const raw = await res.text();
      const body = parse(raw);
      const failed = !res.ok || (typeof body === "object" && body !== null && "errorType" in body);
      return { ok: !failed, body, raw };
    },
    output: () => text,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
      await reading;
    },
  };
}

async function startInSuite(env: Record<string, string>, timeoutSeconds: number): Promise<LambdaHarness> {
  const server = await RuntimeApiServer.start();
  let runtime: ProcessorProcess | undefined;
  const start = () => runtime ??= spawnProcessor(["--mode", "lambda"], { ...env, AWS_LAMBDA_RUNTIME_API: server.host });
  return {
    kind: "in-suite Runtime API",
    async invoke(event) {
      const proc = start();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const reply = await Promise.race([
        server.invoke(event, timeoutSeconds * 1000),
        proc.exited.then(() => ({ kind: "error" as const, body: server.initErrors.at(-1)?.body ?? null })),
        new Promise<never>((_, reject) =>
          timer = setTimeout(
            () => reject(new Error(`no answer within ${timeoutSeconds} s; runtime output:\n${proc.stderr()}`)),
            timeoutSeconds * 1000,
          )
        ),
      ]).finally(() => clearTimeout(timer));
      return { ok: reply.kind === "response", body: reply.body, raw: JSON.stringify(reply.body) };
    },
    output: () => `${runtime?.stdout() ?? ""}${runtime?.stderr() ?? ""}`,
    async stop() {
      runtime?.kill("SIGKILL");
      await runtime?.exited;
      await server.close();
    },
  };
}
