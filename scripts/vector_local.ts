/**
 * `scripts/vector_local.sh`: runs Vector with `vector-local-test.yaml`, its
 * environment prepared as the agents' would be: credentials resolved by the
 * AWS SDK from the usual chain (the profile of AWS_PROFILE, SSO, keys…),
 * the cluster's own writer role to assume (S3_WRITER_ROLE_ARN, from the
 * cluster registry), the bucket (the core stack's) and the region, unless
 * given. The credentials go into Vector's environment only, never into a
 * file (the wrapper runs Deno without write permission).
 *
 * @module
 */
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { STSClient } from "@aws-sdk/client-sts";
import { clientConfig } from "../src/aws/client_config.ts";
import { endpointSettings, resolveRegion } from "../src/config.ts";
import { type CommandIo, commandLine, oneLine, USAGE_EXIT } from "./command_line.ts";
import { DEFAULT_ENVIRONMENT, DEFAULT_PROJECT } from "./deploy/deploy_args.ts";
import { outputsOf, StackDeployer } from "../src/aws/stack_deployer.ts";
import { DynamoClusterStore } from "../src/tenant/cluster_store.ts";

type Env = Readonly<Record<string, string | undefined>>;

const ROOT = new URL("..", import.meta.url).pathname;
export const CONFIG = "vector-local-test.yaml";

export const VECTOR_LOCAL_USAGE = `Usage: scripts/vector_local.sh [options] [-- vector arguments]

Runs Vector with ${CONFIG} (records on stdin, e.g. from
scripts/generate_logs.ts) against the central bucket, the way the agents write
it: through the tenant routing, assuming the central writer role. It prepares
Vector's environment and passes it nothing else:
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
                     resolved by the AWS SDK from the usual chain (AWS_PROFILE,
                     SSO, keys, …); in Vector's environment only, never in a file
  S3_WRITER_ROLE_ARN --role-arn, else the writer role the cluster registry (the core
                     stack's ClusterTableName) holds for --cluster-id
  CENTRAL_BUCKET     --bucket, else the core stack's BucketName
  AWS_REGION         --region, else AWS_REGION, else the profile's region
  CLUSTER_ID         --cluster-id (default local-1)
AWS_ENDPOINT_URL(_<SERVICE>) and ALLOWED_CUSTOMER_IDS pass through.

Options:
  --environment NAME   the deployment whose core stack names the role and bucket
                       (default ${DEFAULT_ENVIRONMENT}; stack <project>-<environment>-core)
  --project NAME       default ${DEFAULT_PROJECT}
  --stack-name NAME    base stack name instead of <project>-<environment>
  --role-arn ARN       the writer role (no stack lookup when given with --bucket)
  --bucket NAME        the central bucket
  --region REGION
  --cluster-id ID      the cluster this laptop stands in for: the cluster_id of every
                       record and whose writer role is assumed (default local-1)
  --vector-bin PATH    the Vector executable (default VECTOR_BIN, else vector)
  --print-env          print what Vector would get (secrets masked) and exit
  --help               this text`;

/** What Vector is started with. */
export interface VectorLaunch {
  readonly bin: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** Variables of ours that must not reach Vector: its credentials are the resolved ones. */
const DROPPED = [
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
];
const SECRETS = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/** Vector's command line and environment (pure). */
export function vectorLaunch(
  env: Env,
  values: {
    bin: string;
    region: string;
    bucket: string;
    roleArn: string;
    clusterId: string;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    extra: readonly string[];
  },
): VectorLaunch {
  const child: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !DROPPED.includes(k)) child[k] = v;
  Object.assign(child, {
    AWS_ACCESS_KEY_ID: values.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: values.credentials.secretAccessKey,
    ...(values.credentials.sessionToken ? { AWS_SESSION_TOKEN: values.credentials.sessionToken } : {}),
    AWS_REGION: values.region,
    S3_WRITER_ROLE_ARN: values.roleArn,
    CENTRAL_BUCKET: values.bucket,
    CLUSTER_ID: values.clusterId,
  });
  return {
    bin: values.bin,
    args: ["--config", `${ROOT}${CONFIG}`, "--dangerously-allow-env-var-interpolation", ...values.extra],
    env: child,
  };
}

/** The launch as text, secrets masked (for --print-env). */
export function describeLaunch(launch: VectorLaunch): string {
  const keys = ["AWS_ACCESS_KEY_ID", ...SECRETS, "AWS_REGION", "S3_WRITER_ROLE_ARN", "CENTRAL_BUCKET", "CLUSTER_ID"];
  const more = Object.keys(launch.env).filter((k) => /^(AWS_ENDPOINT_URL|ALLOWED_CUSTOMER_IDS)/.test(k)).sort();
  const lines = [`${launch.bin} ${launch.args.join(" ")}`];
  for (const k of [...keys, ...more]) {
    if (launch.env[k] !== undefined) lines.push(`${k}=${SECRETS.includes(k) ? "***" : launch.env[k]}`);
  }
  return lines.join("\n");
}

const FLAGS = {
  environment: { type: "string" },
  project: { type: "string" },
  "stack-name": { type: "string" },
  "role-arn": { type: "string" },
  bucket: { type: "string" },
  region: { type: "string" },
  "cluster-id": { type: "string" },
  "vector-bin": { type: "string" },
  "print-env": { type: "boolean" },
} as const;

/** Runs the command; resolves to the exit status (Vector's own once it ran). */
export async function runVectorLocal(
  args: string[],
  env: Env = Deno.env.toObject(),
  io: CommandIo = { out: (t) => console.log(t), err: (t) => console.error(t) },
): Promise<number> {
  const split = args.indexOf("--");
  const [own, extra] = split < 0 ? [args, []] : [args.slice(0, split), args.slice(split + 1)];
  const parsed = commandLine(own, { name: "vector_local", options: FLAGS, usage: VECTOR_LOCAL_USAGE, io });
  if ("exit" in parsed) return parsed.exit;
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const str = (k: string) => v[k] as string | undefined;
  const region = str("region") ?? await resolveRegion(env);
  if (!region) {
    io.err(
      `vector_local: --region is required (or AWS_REGION, or a region in AWS profile "${
        env.AWS_PROFILE ?? "default"
      }")`,
    );
    return USAGE_EXIT;
  }
  const settings = { region, endpoints: endpointSettings(env) };
  const sts = new STSClient(clientConfig(settings, "STS"));
  const cf = new CloudFormationClient(clientConfig(settings, "CloudFormation"));
  const dynamo = new DynamoDBClient(clientConfig(settings, "DynamoDB"));
  const clusterId = str("cluster-id") ?? "local-1";
  try {
    const credentials = await sts.config.credentials();
    let roleArn = str("role-arn");
    let bucket = str("bucket");
    if (!roleArn || !bucket) {
      const base = str("stack-name") ??
        `${str("project") ?? DEFAULT_PROJECT}-${str("environment") ?? DEFAULT_ENVIRONMENT}`;
      const stack = await new StackDeployer(cf, { pollMs: 1000, log: () => {} }).describe(`${base}-core`);
      if (!stack) {
        throw new Error(
          `stack ${base}-core does not exist in ${region}: give --role-arn and --bucket, or --environment`,
        );
      }
      const outputs = outputsOf(stack);
      bucket ??= outputs.BucketName;
      if (!roleArn) {
        const table = outputs.ClusterTableName;
        if (!table) throw new Error(`stack ${base}-core has no ClusterTableName output: give --role-arn`);
        const lookup = await new DynamoClusterStore(dynamo, table).get(clusterId);
        if (lookup.kind !== "registered") {
          throw new Error(
            `cluster ${clusterId} is ${lookup.kind} in ${table}: register it (log-processor clusters add) ` +
              `or give --role-arn`,
          );
        }
        roleArn = lookup.cluster.writerRoleArn;
      }
      if (!bucket) throw new Error(`stack ${base}-core has no BucketName output: give --bucket`);
    }
    const launch = vectorLaunch(env, {
      bin: str("vector-bin") ?? (env.VECTOR_BIN?.trim() || "vector"),
      region,
      bucket,
      roleArn,
      clusterId,
      credentials,
      extra,
    });
    if (v["print-env"]) {
      io.out(describeLaunch(launch));
      return 0;
    }
    io.err(`vector_local: ${CONFIG} → s3://${bucket} in ${region}, assuming ${roleArn}`);
    const child = new Deno.Command(launch.bin, {
      args: launch.args,
      env: launch.env,
      clearEnv: true,
      cwd: ROOT,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    return (await child.status).code;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      io.err(`vector_local: cannot run Vector (${oneLine(err)}): install it, or give --vector-bin / VECTOR_BIN`);
      return 1;
    }
    io.err(`vector_local: ${err instanceof Error && err.name !== "Error" ? `${err.name}: ` : ""}${oneLine(err)}`);
    return 1;
  } finally {
    sts.destroy();
    cf.destroy();
    dynamo.destroy();
  }
}

if (import.meta.main) Deno.exit(await runVectorLocal(Deno.args));
