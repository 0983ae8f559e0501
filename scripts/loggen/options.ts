/**
 * Command line of scripts/generate_logs.ts → validated options. Pure: bad
 * input is a {@link UsageError} naming the flag.
 *
 * @module
 */
import { UsageError } from "../../src/errors.ts";
import { parseArgs } from "node:util";
import { isValidSegment } from "../../src/notification/parse_key.ts";
import { type FormatChoice, LOG_FORMATS, MIN_LINE_BYTES } from "./log_line.ts";

/** Settings shared by both modes. */
export interface CommonOptions {
  readonly format: FormatChoice;
  readonly minMessageSize: number;
  readonly maxMessageSize: number;
  readonly seed: number;
}

/** stdout mode: Vector-input records in timed batches for one pod. */
export interface StdoutOptions extends CommonOptions {
  readonly mode: "stdout";
  /** 0 = until interrupted. */
  readonly totalBatches: number;
  readonly minBatchSize: number;
  readonly maxBatchSize: number;
  /** Seconds. */
  readonly minSleep: number;
  readonly maxSleep: number;
  readonly customerId: string;
  readonly clusterId: string;
  readonly application: string;
  readonly podName?: string;
}

/** S3 mode: central-bucket objects for a fleet of tenants, clusters, apps and pods. */
export interface S3Options extends CommonOptions {
  readonly mode: "s3";
  readonly bucket: string;
  readonly tenantIds: readonly string[];
  /** Cluster ids of every tenant (`--cluster-ids`, or `--clusters N` names). */
  readonly clusterIds: readonly string[];
  readonly appNames: readonly string[];
  readonly pods: number;
  readonly objects: number;
  readonly eventsPerObject: number;
  readonly concurrency: number;
  /** Time of the newest objects (epoch ms). */
  readonly time: number;
}

export type Options = StdoutOptions | S3Options;

/** Cluster names used before falling back to `cluster-NN`. */
const CLUSTER_NAMES = ["prod-1", "staging-1"];
/** Application names used before falling back to `app-NN`. */
const APP_NAMES = ["api", "web", "worker", "billing", "auth", "search", "checkout", "notifications"];

export const USAGE = `generate_logs: fake Kubernetes logs, Vector-shaped

Usage:
  deno run -A scripts/generate_logs.ts [options]          NDJSON records on stdout, for Vector
  deno run -A scripts/generate_logs.ts --s3 --bucket B    objects straight into the central bucket

Common:
  --format F               json | iso | logfmt | klog | go | mixed (default mixed)
  --min-message-size N     bytes of each log line (default 120, at least ${MIN_LINE_BYTES})
  --max-message-size N     (default 400)
  --seed N                 reproduce a run (default: random, printed on stderr)

stdout mode (records as kubernetes_logs emits them, for vector-local-test.yaml):
  --total-batches N        batches to write, 0 = until interrupted (default 10)
  --min-batch-size N       records per batch (default 1)
  --max-batch-size N       (default 50)
  --min-sleep S            seconds between batches (default 0.2)
  --max-sleep S            (default 1)
  --customer-id ID         tenant of the pod (default acme)
  --cluster-id ID          (default local-1)
  --application NAME       (default api)
  --pod-name NAME          (default <application>-<hash>-<suffix>)

S3 mode (gzip NDJSON as our agents write it, DESIGN 1.1 keys; honours AWS_ENDPOINT_URL, AWS_REGION):
  --s3                     select this mode
  --bucket NAME            central bucket (default: env CENTRAL_BUCKET)
  --tenants N              tenants tenant-01… (default 3)
  --tenant-ids A,B,…       explicit tenant ids instead of --tenants
  --clusters N             clusters per tenant: prod-1, staging-1, cluster-03… (default 1)
  --cluster-ids A,B,…      explicit cluster ids instead of --clusters
  --apps N                 applications per cluster (default 2)
  --app-names A,B,…        explicit application names instead of --apps
  --pods N                 pods per application (default 2)
  --objects N              objects in total, spread over all pods (default 20)
  --events-per-object N    (default 100)
  --concurrency N          parallel uploads (default 8)
  --time ISO               time of the newest objects (default now)
`;

function integer(flag: string, raw: string | undefined, fallback: number, min: number, max = 1e9): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--${flag} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function seconds(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`--${flag} must be a number of seconds ≥ 0, got "${raw}"`);
  }
  return n;
}

function segment(flag: string, value: string): string {
  if (!isValidSegment(value)) {
    throw new UsageError(`--${flag} "${value}" must be 1-128 characters of A-Z a-z 0-9 . _ - (not "." or "..")`);
  }
  return value;
}

function list(flag: string, raw: string): string[] {
  const items = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) throw new UsageError(`--${flag} needs at least one name`);
  if (new Set(items).size !== items.length) throw new UsageError(`--${flag} has duplicate names`);
  return items.map((s) => segment(flag, s));
}

function ordered(minFlag: string, min: number, maxFlag: string, max: number): void {
  if (min > max) throw new UsageError(`--${minFlag} (${min}) must not exceed --${maxFlag} (${max})`);
}

/** `count` names: `preferred` first, then `<prefix>-NN`. */
export function names(count: number, prefix: string, preferred: readonly string[] = []): string[] {
  return Array.from({ length: count }, (_, i) => preferred[i] ?? `${prefix}-${String(i + 1).padStart(2, "0")}`);
}

const FLAGS = {
  format: { type: "string" },
  "min-message-size": { type: "string" },
  "max-message-size": { type: "string" },
  seed: { type: "string" },
  "total-batches": { type: "string" },
  "min-batch-size": { type: "string" },
  "max-batch-size": { type: "string" },
  "min-sleep": { type: "string" },
  "max-sleep": { type: "string" },
  "customer-id": { type: "string" },
  "cluster-id": { type: "string" },
  application: { type: "string" },
  "pod-name": { type: "string" },
  s3: { type: "boolean" },
  bucket: { type: "string" },
  tenants: { type: "string" },
  "tenant-ids": { type: "string" },
  clusters: { type: "string" },
  "cluster-ids": { type: "string" },
  apps: { type: "string" },
  "app-names": { type: "string" },
  pods: { type: "string" },
  objects: { type: "string" },
  "events-per-object": { type: "string" },
  concurrency: { type: "string" },
  time: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parses `args`; `env` supplies CENTRAL_BUCKET; `randomSeed` is the seed when none is given. */
export function parseOptions(
  args: string[],
  env: Readonly<Record<string, string | undefined>> = {},
  randomSeed = () => Math.floor(Math.random() * 2 ** 31),
): Options | "help" {
  let values;
  try {
    values = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return "help";
  const format = values.format ?? "mixed";
  if (format !== "mixed" && !(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${[...LOG_FORMATS, "mixed"].join(", ")}, got "${format}"`);
  }
  const common: CommonOptions = {
    format: format as FormatChoice,
    minMessageSize: integer("min-message-size", values["min-message-size"], 120, MIN_LINE_BYTES, 1_000_000),
    maxMessageSize: integer("max-message-size", values["max-message-size"], 400, MIN_LINE_BYTES, 1_000_000),
    seed: integer("seed", values.seed, randomSeed(), 0, 2 ** 32 - 1),
  };
  ordered("min-message-size", common.minMessageSize, "max-message-size", common.maxMessageSize);
  const s3Only = [
    "bucket",
    "tenants",
    "tenant-ids",
    "clusters",
    "cluster-ids",
    "apps",
    "app-names",
    "pods",
    "objects",
  ] as const;
  const stdoutOnly = ["total-batches", "min-batch-size", "max-batch-size", "min-sleep", "max-sleep"] as const;

  if (!values.s3) {
    for (const flag of s3Only) if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --s3`);
    const options: StdoutOptions = {
      ...common,
      mode: "stdout",
      totalBatches: integer("total-batches", values["total-batches"], 10, 0),
      minBatchSize: integer("min-batch-size", values["min-batch-size"], 1, 1, 1_000_000),
      maxBatchSize: integer("max-batch-size", values["max-batch-size"], 50, 1, 1_000_000),
      minSleep: seconds("min-sleep", values["min-sleep"], 0.2),
      maxSleep: seconds("max-sleep", values["max-sleep"], 1),
      customerId: segment("customer-id", values["customer-id"] ?? "acme"),
      clusterId: segment("cluster-id", values["cluster-id"] ?? "local-1"),
      application: segment("application", values.application ?? "api"),
      podName: values["pod-name"] === undefined ? undefined : segment("pod-name", values["pod-name"]),
    };
    ordered("min-batch-size", options.minBatchSize, "max-batch-size", options.maxBatchSize);
    ordered("min-sleep", options.minSleep, "max-sleep", options.maxSleep);
    return options;
  }

  for (const flag of stdoutOnly) if (values[flag] !== undefined) throw new UsageError(`--${flag} is for stdout mode`);
  const bucket = values.bucket ?? env.CENTRAL_BUCKET;
  if (!bucket) throw new UsageError("--bucket (or CENTRAL_BUCKET) is required with --s3");
  if (values.tenants !== undefined && values["tenant-ids"] !== undefined) {
    throw new UsageError("give --tenants or --tenant-ids, not both");
  }
  if (values.clusters !== undefined && values["cluster-ids"] !== undefined) {
    throw new UsageError("give --clusters or --cluster-ids, not both");
  }
  if (values.apps !== undefined && values["app-names"] !== undefined) {
    throw new UsageError("give --apps or --app-names, not both");
  }
  const time = values.time === undefined ? Date.now() : Date.parse(values.time);
  if (Number.isNaN(time)) throw new UsageError(`--time must be an ISO 8601 time, got "${values.time}"`);
  return {
    ...common,
    mode: "s3",
    bucket,
    tenantIds: values["tenant-ids"] !== undefined
      ? list("tenant-ids", values["tenant-ids"])
      : names(integer("tenants", values.tenants, 3, 1, 10_000), "tenant"),
    clusterIds: values["cluster-ids"] !== undefined
      ? list("cluster-ids", values["cluster-ids"])
      : names(integer("clusters", values.clusters, 1, 1, 1000), "cluster", CLUSTER_NAMES),
    appNames: values["app-names"] !== undefined
      ? list("app-names", values["app-names"])
      : names(integer("apps", values.apps, 2, 1, 1000), "app", APP_NAMES),
    pods: integer("pods", values.pods, 2, 1, 1000),
    objects: integer("objects", values.objects, 20, 1),
    eventsPerObject: integer("events-per-object", values["events-per-object"], 100, 1, 10_000_000),
    concurrency: integer("concurrency", values.concurrency, 8, 1, 256),
    time,
  };
}
