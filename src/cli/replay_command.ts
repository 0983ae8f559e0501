/**
 * `log-processor replay`: lists objects of the central bucket under a tenant
 * prefix (optionally in a LastModified window) and runs each through the
 * same pipeline as the run modes, printing manual mode's result lines. For a
 * tenant onboarded late, or after an outage.
 *
 * @module
 */
import { S3Client } from "@aws-sdk/client-s3";
import { parseArgs } from "node:util";
import { classifyAwsError } from "../aws/classify_error.ts";
import { clientConfig } from "../aws/client_config.ts";
import { clientSettings, configDefaults, loadConfig } from "../config.ts";
import { ConfigError, errorMessage } from "../errors.ts";
import { createPipeline, type Pipeline } from "../pipeline/create_pipeline.ts";
import { routeObject } from "../pipeline/route_object.ts";
import { objectResult } from "../results.ts";
import { createLogger } from "../telemetry/logger.ts";
import { type ListedObject, listObjects } from "../replay/list_objects.ts";
import { barProgress, logProgress, type ReplayProgress } from "../replay/replay_progress.ts";
import { replayWindow } from "../replay/replay_window.ts";
import { type ReplayLine, replayObjects } from "../replay/replay_objects.ts";
import type { CliIo } from "./tenants_context.ts";

type Env = Readonly<Record<string, string | undefined>>;

export const REPLAY_USAGE = `Usage: log-processor replay --prefix <customer_id>[/<cluster_id>/...] [options]

Lists objects in the central bucket under the prefix and runs each through the
same pipeline as the processor (cluster registry, tenant lookup, role chain,
delivery), printing one JSON result line per object on stdout, as manual mode
does. Exit status 0 only when every object was delivered or skipped.

A listing does not say who wrote an object, so replay checks the cluster
registry only (registered, enabled, serving the key's tenant), never the
writer's role: do not replay by prefix objects refused as writer_mismatch or
writer_not_a_role; redrive their messages from the DLQ instead (the message
keeps the writer's identity and is checked again).

Options:
  --prefix P      customer_id, optionally followed by /cluster_id/application/...
                  ("acme" means "acme/", never "acme2/")
  --since T       only objects last modified at or after T
  --until T       only objects last modified before T
                  T: RFC 3339 (2026-01-31T12:00:00Z), a date (2026-01-31), or a
                  duration ago (90s, 15m, 6h, 7d)
  --bucket NAME   the central bucket (default CENTRAL_BUCKET)
  --suffix S      only keys ending in S (default .gz, as the bucket notification;
                  "" for every key)
  --dry-run       list and show where each object would go; read and send nothing
  --resume        skip what the delivery-state table says was delivered already
                  (each delivery resumes where the processor left it); without it
                  a replay is a deliberate re-delivery of every object from the start
  --help

Progress goes to stderr: a bar on a terminal, else a JSON progress log line every
10 s. Environment: as the processor (TENANT_CONFIG_TABLE,
CENTRAL_LOG_DISTRIBUTION_ROLE_ARN, AWS_REGION, CONCURRENCY, ...), plus
CENTRAL_BUCKET.
`;

/** A dry-run line: where an object would go. */
interface DryRunLine extends ReplayLine {
  readonly bucket: string;
  readonly key: string;
  readonly size?: number;
  readonly last_modified?: string;
  readonly tenant?: string;
  readonly outcome: "dry_run";
  readonly action: "deliver" | "skip" | "invalid" | "refuse";
  readonly deliveries?: string[];
  readonly reason?: string;
}

async function dryRunLine(object: ListedObject, pipeline: Pipeline): Promise<DryRunLine> {
  // A listing names no writer: the registry is checked, the writer's role cannot be.
  const { tenant, action, deliveries, reason } = await routeObject(object.ref.key, pipeline.tenants, {
    registry: { clusters: pipeline.clusters },
  });
  return {
    bucket: object.ref.bucket,
    key: object.ref.key,
    size: object.ref.size,
    last_modified: object.lastModified?.toISOString(),
    outcome: "dry_run",
    tenant,
    action,
    deliveries,
    reason,
  };
}

/** Runs `replay …`; resolves to the exit status. */
export async function runReplay(args: string[], env: Env, io: CliIo): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        prefix: { type: "string" },
        since: { type: "string" },
        until: { type: "string" },
        bucket: { type: "string" },
        suffix: { type: "string" },
        "dry-run": { type: "boolean" },
        resume: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    io.err(`replay: ${errorMessage(err)} (log-processor replay --help lists the options)`);
    return 2;
  }
  if (values.help) {
    io.out(REPLAY_USAGE);
    return 0;
  }
  let window, config, bucket;
  try {
    window = replayWindow(values, Date.now());
    config = loadConfig(env, "manual", await configDefaults(env));
    bucket = values.bucket ?? config.centralBucket;
    if (!bucket) throw new Error("--bucket is required (or set CENTRAL_BUCKET)");
  } catch (err) {
    const what = err instanceof ConfigError ? "invalid configuration: " : "";
    io.err(`replay: ${what}${errorMessage(err)}`);
    return 2;
  }
  const logger = createLogger(config.logLevel, undefined, { mode: "replay" });
  // Listed objects carry no writer identity: the registry is all replay can check (see the usage text).
  const pipeline = createPipeline({ ...config, requireWriterIdentity: false }, logger);
  const s3 = new S3Client(clientConfig(clientSettings(config), "S3"));
  const progress: ReplayProgress = Deno.stderr.isTerminal()
    ? barProgress((t) => Deno.stderr.writeSync(new TextEncoder().encode(t)))
    : logProgress(logger);
  const dryRun = values["dry-run"] === true;
  const context = { ignoreProgress: values.resume !== true };
  logger.info("replay started", {
    bucket,
    prefix: window.prefix,
    dry_run: dryRun,
    resume: !context.ignoreProgress,
    writer_check: "cluster registry only (a listing does not name the writer)",
  });
  try {
    const summary = await replayObjects(listObjects(s3, bucket, window), {
      concurrency: config.concurrency,
      print: (line) => io.out(line),
      progress,
      process: async (object): Promise<ReplayLine> => {
        try {
          return dryRun ? await dryRunLine(object, pipeline) : await pipeline.processObject(object.ref, context);
        } catch (err) {
          const { failureClass, code } = classifyAwsError(err);
          const { bucket, key } = object.ref;
          return objectResult({ bucket, key, outcome: failureClass, code, reason: errorMessage(err) });
        }
      },
    });
    if (summary.objects === 0) io.err(`replay: no objects in s3://${bucket}/${window.prefix} match`);
    return summary.notDone === 0 ? 0 : 1;
  } catch (err) {
    logger.error("replay failed", { error: err });
    io.err(`replay: ${errorMessage(err)}`);
    return 1;
  } finally {
    s3.destroy();
    pipeline.close();
  }
}
