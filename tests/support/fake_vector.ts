/**
 * A stand-in for the `vector` binary (there is none on this machine), for
 * testing the process contract of the Vector CloudWatch engine. It behaves as
 * a real Vector 0.58.0 was observed to (tests/testdata/vector-reference/
 * observed-0.58.0): it takes `--config <file>`, rejects options Vector does
 * not document (exit 78), writes its JSON log lines to **stdout**, exits 0
 * after dropping events, and, when the configuration has an
 * `internal_metrics` source, never exits by itself (that source never ends)
 * but on SIGTERM. The CloudWatch sink's counters (`component_sent_events_total`
 * once it sent something, `component_discarded_events_total` and
 * `component_errors_total` once it dropped something) go every
 * `scrape_interval_secs` to the target of the `console` sink fed from
 * `internal_metrics`, as the engine's filter passes them. `FAKE_VECTOR_MODE`:
 *
 * - `ok`: reads everything; the sink "sends" it all (no AWS call)
 * - `deliver`: writes the events to the configured group/stream through the
 *   configured endpoint with the credentials in its environment (as Vector
 *   does): CreateLogStream (CreateLogGroup and PutRetentionPolicy first when
 *   the group is missing), then PutLogEvents per `batch.max_events`, retrying
 *   throttling and 5xx `request.retry_attempts` times; a call that still fails
 *   drops its events and prints what Vector printed for that fault
 * - `<Operation>-<Code>` of an observed run (`PutLogEvents-AccessDeniedException`…):
 *   reads everything, drops it, prints that run's stdout verbatim
 * - `silent`: reads everything, says nothing, confirms nothing
 * - `partial`: confirms all events but one, says nothing
 * - `crash`: reads one chunk, exits 1
 * - `hang`: never reads, never exits
 * - `expired`: drops everything as for an ExpiredTokenException
 * - `leak`: drops everything, logging its secret key in the ERROR line
 *
 * With `FAKE_VECTOR_REPORT` set it writes what it saw there as JSON: args,
 * config path and text, environment, stdin lines, pid.
 * {@link fakeVectorBin} makes an executable wrapper for a mode.
 *
 * @module
 */
import { unknownVectorOptions } from "./vector_options.ts";
import { observedFault } from "./vector_reference.ts";
import { counterLine, failedCallStdout, logLine, retryLine } from "./fake_vector_lines.ts";
import { type CloudWatchSink, deliverEvents } from "./fake_vector_cloudwatch.ts";

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

const encoder = new TextEncoder();
const stdout = (text: string) => Deno.stdout.writeSync(encoder.encode(text.endsWith("\n") ? text : `${text}\n`));

async function readLines(onChunk?: () => void): Promise<string[]> {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of Deno.stdin.readable) {
    text += decoder.decode(chunk, { stream: true });
    onChunk?.();
  }
  return text.split("\n").filter((l) => l !== "");
}

type Component = Record<string, unknown> & { type: string; inputs?: string[] };
type Config = {
  sources?: Record<string, Component>;
  transforms?: Record<string, Component>;
  sinks?: Record<string, Component>;
};

/** The sink's counters, emitted as Vector's internal_metrics → (filter) → console sink would. */
class SinkCounters {
  sent?: number;
  discarded?: number;
  errors?: number;

  constructor(readonly id: string, readonly type: string) {}

  lines(): string[] {
    const sink = { id: this.id, type: this.type };
    const out: string[] = [];
    if (this.sent !== undefined) out.push(counterLine("component_sent_events_total", this.sent, sink));
    if (this.discarded !== undefined) {
      out.push(counterLine("component_discarded_events_total", this.discarded, sink, { intentional: "false" }));
    }
    if (this.errors !== undefined) {
      out.push(
        counterLine("component_errors_total", this.errors, sink, { error_type: "request_failed", stage: "sending" }),
      );
    }
    return out;
  }
}

/** Starts writing the counters to the console sink fed from internal_metrics, if the config has that pipeline. */
function startMetrics(config: Config, counters: SinkCounters): () => void {
  const sources = Object.entries(config.sources ?? {}).filter(([, s]) => s.type === "internal_metrics");
  if (sources.length === 0) return () => {};
  const fed = new Set(sources.map(([id]) => id));
  for (const [id, t] of Object.entries(config.transforms ?? {})) if (t.inputs?.some((i) => fed.has(i))) fed.add(id);
  const console = Object.values(config.sinks ?? {}).find((s) =>
    s.type === "console" && s.inputs?.some((i) => fed.has(i))
  );
  if (!console) return () => {};
  const write = console.target === "stderr"
    ? (t: string) => Deno.stderr.writeSync(encoder.encode(t))
    : (t: string) => Deno.stdout.writeSync(encoder.encode(t));
  const seconds = Number(sources[0]![1].scrape_interval_secs ?? 1);
  const timer = setInterval(() => {
    const lines = counters.lines();
    if (lines.length > 0) write(lines.join("\n") + "\n");
  }, seconds * 1000);
  return () => clearInterval(timer);
}

async function main(): Promise<number> {
  const args = [...Deno.args];
  const at = args.indexOf("--config");
  const configPath = at >= 0 ? args[at + 1] ?? "" : "";
  const configText = configPath ? await Deno.readTextFile(configPath) : "";
  const mode = Deno.env.get("FAKE_VECTOR_MODE") ?? "ok";
  const report = Deno.env.get("FAKE_VECTOR_REPORT");
  const config: Config = JSON.parse(configText || "{}");
  const unknown = unknownVectorOptions(config);
  if (unknown.length > 0) {
    stdout(logLine("ERROR", "Configuration error.", { error: `unknown options: ${unknown.join(", ")}` }));
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
  const [sinkId, sink] = Object.entries(config.sinks ?? {}).find(([, s]) => s.type === "aws_cloudwatch_logs") ??
    ["cloudwatch", { type: "aws_cloudwatch_logs" }];
  const counters = new SinkCounters(sinkId, sink.type);
  // With internal_metrics among the sources, not every source ends: Vector runs until it is told to stop.
  const untilSignalled = Object.values(config.sources ?? {}).some((s) => s.type !== "stdin");
  let exitStatus = 0;
  const stopped = new Promise<void>((resolve) => Deno.addSignalListener("SIGTERM", () => resolve()));
  const stopMetrics = startMetrics(config, counters);
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
  const drop = (text: string) => {
    counters.discarded = (counters.discarded ?? 0) + lines.length;
    counters.errors = (counters.errors ?? 0) + 1;
    stdout(text);
  };
  const observed = observedFault(mode);
  if (observed) {
    drop(observed.stdout);
    exitStatus = observed.exit;
  } else if (mode === "ok") counters.sent = lines.length;
  else if (mode === "partial") counters.sent = Math.max(0, lines.length - 1);
  else if (mode === "expired") {
    drop(
      failedCallStdout({ operation: "PutLogEvents", code: "ExpiredTokenException", status: 400, events: lines.length }),
    );
  } else if (mode === "leak") {
    drop(logLine("ERROR", "Something went wrong", { error: `with key ${Deno.env.get("AWS_SECRET_ACCESS_KEY")}` }));
  } else if (mode === "deliver") {
    await deliverEvents(sink as unknown as CloudWatchSink, lines, {
      sent: (n) => counters.sent = (counters.sent ?? 0) + n,
      failed: (call) => {
        counters.discarded = (counters.discarded ?? 0) + call.events;
        counters.errors = (counters.errors ?? 0) + 1;
        stdout(failedCallStdout(call));
      },
      retrying: () => stdout(retryLine()),
    });
  }
  if (untilSignalled) await stopped;
  stopMetrics();
  return exitStatus;
}

if (import.meta.main) Deno.exit(await main());
