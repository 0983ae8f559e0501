/**
 * Fake Kubernetes logs for the pipeline (see `--help` and README "Log generator"):
 * - default: Vector-input NDJSON records on stdout in timed batches, with a
 *   stats line per batch on stderr;
 * - `--s3`: Vector-shaped gzip NDJSON objects straight into the central
 *   bucket under the DESIGN 1.1 layout for many tenants, clusters, apps and
 *   pods, with a progress bar on stderr and a JSON summary on stdout.
 *
 * @module
 */
import { S3Client } from "@aws-sdk/client-s3";
import { clientConfig } from "../src/aws/client_config.ts";
import { endpointSettings, resolveRegion } from "../src/config.ts";
import { oneLine } from "./command_line.ts";
import { formatBytes, Progress } from "./loggen/progress.ts";
import { UsageError } from "../src/errors.ts";
import { type Options, parseOptions, type S3Options, type StdoutOptions, USAGE } from "./loggen/options.ts";
import { writeObjects } from "./loggen/s3_objects.ts";
import { type BatchStats, writeBatches } from "./loggen/stdout_batches.ts";

const encoder = new TextEncoder();
const stderr = (text: string) => Deno.stderr.writeSync(encoder.encode(text));

async function runStdout(options: StdoutOptions): Promise<void> {
  const tty = Deno.stderr.isTerminal();
  const started = performance.now();
  const total = options.totalBatches === 0 ? "∞" : String(options.totalBatches);
  const line = (s: BatchStats) => {
    const rate = s.records / Math.max((performance.now() - started) / 1000, 0.001);
    return `batch ${s.batch}/${total}: ${s.batchSize} records; total ${s.records} records, ` +
      `${formatBytes(s.bytes)}, ${rate.toFixed(0)} records/s`;
  };
  const writer = Deno.stdout.writable.getWriter();
  let last: BatchStats | undefined;
  try {
    await writeBatches(options, {
      write: (chunk) => writer.write(chunk),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
      report: (s) => {
        last = s;
        stderr(tty ? `\r\x1b[2K${line(s)}` : `${line(s)}\n`);
      },
    });
  } catch (err) {
    // The reader went away (`| head`): stop quietly, like any Unix producer.
    if (!(err instanceof Deno.errors.BrokenPipe)) throw err;
  } finally {
    if (tty && last) stderr("\n");
    writer.releaseLock();
  }
}

async function runS3(options: S3Options): Promise<void> {
  const env = Deno.env.toObject();
  const region = await resolveRegion(env) ?? "us-east-1";
  const s3 = new S3Client(clientConfig({ region, endpoints: endpointSettings(env) }, "S3"));
  const started = performance.now();
  const progress = new Progress(options.objects, Deno.stderr.isTerminal(), stderr);
  stderr(
    `writing ${options.objects} objects x ${options.eventsPerObject} events for ${options.tenantIds.length} ` +
      `tenants to s3://${options.bucket} (seed ${options.seed})\n`,
  );
  try {
    const summary = await writeObjects(options, s3, (s) => {
      const rate = s.objects / Math.max((performance.now() - started) / 1000, 0.001);
      progress.update(
        s.objects,
        `${s.objects}/${options.objects} objects, ${s.events} events, ` +
          `${formatBytes(s.gzipBytes)} gzip, ${rate.toFixed(1)} objects/s`,
      );
    });
    progress.finish();
    console.log(JSON.stringify(summary));
  } finally {
    s3.destroy();
  }
}

/** Runs the generator with `args`; resolves to the exit status. */
export async function main(args: string[]): Promise<number> {
  let options: Options | "help";
  try {
    options = parseOptions(args, Deno.env.toObject());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr(`generate_logs: ${err.message} (--help lists the options)\n`);
    return 2;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  if (options.mode === "s3") {
    try {
      await runS3(options);
    } catch (err) {
      stderr(`\ngenerate_logs: cannot write to s3://${options.bucket}: ${s3Problem(err)}\n`);
      return 1;
    }
  } else {
    stderr(`generate_logs: seed ${options.seed}\n`);
    await runStdout(options);
  }
  return 0;
}

/** One line saying why S3 refused (no stack trace): missing credentials get what to set. */
export function s3Problem(err: unknown): string {
  const name = err instanceof Error ? err.name : "Error";
  const message = oneLine(err);
  if (name === "CredentialsProviderError") {
    return `no AWS credentials (${message}); set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  return name && !message.startsWith(name) ? `${name}: ${message}` : message;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (err) {
    stderr(`generate_logs: ${oneLine(err)}\n`);
    Deno.exit(1);
  }
}
