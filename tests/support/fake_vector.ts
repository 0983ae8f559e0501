/**
 * A stand-in for the `vector` binary (there is none on this machine), for
 * testing the process contract of the Vector CloudWatch engine. It takes
 * `--config <file>` like Vector, rejects options Vector does not document
 * (exit 78, like Vector), reads NDJSON events on stdin, and behaves as
 * `FAKE_VECTOR_MODE` says:
 *
 * - `ok`: reads everything, exits 0
 * - `deliver`: writes the events to the configured group/stream through the
 *   configured endpoint with the credentials in its environment (as Vector
 *   does), exits 0; an AWS error becomes an ERROR log line, still exit 0
 * - `access-denied` / `throttled`: reads everything, logs Vector's ERROR
 *   lines for that error, exits 0 (Vector drops and carries on)
 * - `crash`: reads one chunk, exits 1
 * - `hang`: never reads, never exits
 * - `expired`: logs an ExpiredTokenException ERROR line, exits 0
 * - `leak`: logs its secret key in an ERROR line, exits 0
 *
 * With `FAKE_VECTOR_REPORT` set it writes what it saw there as JSON: args,
 * config path and text, environment, stdin lines, pid.
 *
 * {@link fakeVectorBin} makes an executable wrapper for a mode.
 *
 * @module
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { unknownVectorOptions } from "./vector_options.ts";

/** What the stand-in saw, as written to `FAKE_VECTOR_REPORT`. */
export interface FakeVectorReport {
  readonly args: string[];
  readonly configPath: string;
  readonly configText: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly lines: string[];
  readonly pid: number;
}

/** Environment keys the wrapper itself sets (not passed by the processor). */
export const WRAPPER_ENV = ["FAKE_VECTOR_MODE", "FAKE_VECTOR_REPORT", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "PWD"];

const ROOT = new URL("../../", import.meta.url).pathname;

/** Writes an executable that runs this stand-in in `mode`; returns its path. */
export async function fakeVectorBin(mode: string, dir: string, report?: string): Promise<string> {
  const vars: Record<string, string | undefined> = {
    FAKE_VECTOR_MODE: mode,
    FAKE_VECTOR_REPORT: report,
    HOME: Deno.env.get("HOME"),
    DENO_DIR: Deno.env.get("DENO_DIR"),
    XDG_CACHE_HOME: Deno.env.get("XDG_CACHE_HOME"),
  };
  const assignments = Object.entries(vars).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}='${v}'`);
  const bin = `${dir}/vector-${mode}`;
  await Deno.writeTextFile(
    bin,
    `#!/bin/sh\nexec env ${assignments.join(" ")} '${Deno.execPath()}' run -A --quiet --config '${ROOT}deno.json' ` +
      `'${ROOT}tests/support/fake_vector.ts' "$@"\n`,
    { mode: 0o755 },
  );
  return bin;
}

const log = (level: string, message: string, error?: string) =>
  console.error(JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, error } }));

async function readLines(onChunk?: () => void): Promise<string[]> {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of Deno.stdin.readable) {
    text += decoder.decode(chunk, { stream: true });
    onChunk?.();
  }
  return text.split("\n").filter((l) => l !== "");
}

type Sink = Record<string, unknown> & { group_name: string; stream_name: string; region: string; endpoint?: string };

async function deliver(sink: Sink, lines: string[]): Promise<void> {
  const client = new CloudWatchLogsClient({ region: sink.region, endpoint: sink.endpoint, maxAttempts: 1 });
  const group = sink.group_name;
  const stream = sink.stream_name;
  // What the generated remap does: the epoch milliseconds become the event time.
  const events = lines.map((l) => JSON.parse(l)).map((e) => ({ timestamp: e.timestamp_ms, message: e.message }))
    .sort((a, b) => a.timestamp - b.timestamp);
  try {
    try {
      await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    } catch (err) {
      if ((err as Error).name !== "ResourceAlreadyExistsException") throw err;
    }
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).catch((err) => {
      if ((err as Error).name !== "ResourceAlreadyExistsException") throw err;
    });
    for (let i = 0; i < events.length; i += 1000) {
      await client.send(
        new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events.slice(i, i + 1000) }),
      );
    }
  } catch (err) {
    log("ERROR", "Service call failed. No retries or retries exhausted.", `${(err as Error).name}: ${err}`);
    log("ERROR", "Events dropped", "Service call failed. No retries or retries exhausted.");
  } finally {
    client.destroy();
  }
}

async function main(): Promise<number> {
  const args = [...Deno.args];
  const at = args.indexOf("--config");
  const configPath = at >= 0 ? args[at + 1] : "";
  const configText = configPath ? await Deno.readTextFile(configPath) : "";
  const mode = Deno.env.get("FAKE_VECTOR_MODE") ?? "ok";
  const report = Deno.env.get("FAKE_VECTOR_REPORT");
  const config = JSON.parse(configText || "{}");
  const unknown = unknownVectorOptions(config);
  if (unknown.length > 0) {
    log("ERROR", "Configuration error.", `unknown options: ${unknown.join(", ")}`);
    return 78;
  }
  const record = async (lines: string[]) => {
    if (!report) return;
    const out: FakeVectorReport = {
      args,
      configPath,
      configText,
      cwd: Deno.cwd(),
      env: Deno.env.toObject(),
      lines,
      pid: Deno.pid,
    };
    await Deno.writeTextFile(report, JSON.stringify(out));
  };
  if (mode === "hang") {
    await record([]);
    await new Promise((resolve) => setTimeout(resolve, 2 ** 31 - 1));
  }
  if (mode === "crash") {
    await readLines(() => Deno.exit(1));
    return 1;
  }
  const lines = await readLines();
  await record(lines);
  const sink = Object.values(config.sinks ?? {})[0] as Sink;
  switch (mode) {
    case "deliver":
      await deliver(sink, lines);
      break;
    case "access-denied":
      log("WARN", "Retrying after error.", "ThrottlingException");
      log("ERROR", "Service call failed. No retries or retries exhausted.", "AccessDeniedException: not authorized");
      log("ERROR", "Events dropped", "Service call failed. No retries or retries exhausted.");
      break;
    case "throttled":
      log("ERROR", "Service call failed. No retries or retries exhausted.", "ThrottlingException: Rate exceeded");
      break;
    case "expired":
      log("ERROR", "Service call failed. No retries or retries exhausted.", "ExpiredTokenException: token expired");
      break;
    case "leak":
      log("ERROR", "Something went wrong", `with key ${Deno.env.get("AWS_SECRET_ACCESS_KEY")}`);
      break;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());
