/**
 * Command line of `cloudformation/deploy.sh` → validated deploy options.
 * Pure: no I/O; every mistake is reported with the flag that caused it.
 *
 * @module
 */
import { UsageError } from "../../src/errors.ts";
import { parseArgs } from "node:util";
import { BUCKET_NAME_PATTERN, REGION_PATTERN } from "../../src/aws/name_rules.ts";

/** Which stack a parameter override goes to. */
export type StackKind = "core" | "sqs" | "lambda";
export const STACK_KINDS: readonly StackKind[] = ["core", "sqs", "lambda"];

/**
 * Where the Lambda code comes from. A local zip (`file`) becomes an `s3`
 * package once hashed (see lambda_package.ts): uploaded under a key holding
 * its SHA-256, so every new build is a new key and the function is updated.
 */
export type LambdaCode =
  | { readonly kind: "image"; readonly imageUri: string }
  | {
    readonly kind: "s3";
    readonly bucket: string;
    readonly key: string;
    /** The object's version in a versioned bucket (passed to the template, so a re-upload redeploys). */
    readonly version?: string;
    /** A local zip to upload there first. */
    readonly upload?: { readonly path: string; readonly sha256: string };
  }
  | { readonly kind: "file"; readonly path: string; readonly bucket: string; readonly keyPrefix: string };

/** Where `--write-env` writes: the processor's kustomization and one agent overlay. */
export interface WriteEnv {
  readonly processorDir: string;
  readonly overlayDir: string;
}

/** Everything one deploy run needs. */
export interface DeployOptions {
  readonly project: string;
  readonly environment: string;
  readonly region: string;
  /** Stack names are `<stackName>-core`, `-sqs`, `-lambda`. */
  readonly stackName: string;
  readonly includeSqs: boolean;
  readonly includeLambda: boolean;
  readonly lambdaCode?: LambdaCode;
  readonly lambdaTimeoutSeconds: number;
  /** Create the artifact bucket of a local --lambda-package when it does not exist. */
  readonly createArtifactBucket: boolean;
  /** Turn on termination protection of every deployed stack. */
  readonly terminationProtection: boolean;
  /** After the deploy, write the processor's env files and the agent overlay's values. */
  readonly writeEnv?: WriteEnv;
  readonly dryRun: boolean;
  readonly validateOnly: boolean;
  readonly json: boolean;
  readonly pollSeconds: number;
  /** Extra template parameters per stack (flags and `--parameter stack.Key=Value`). */
  readonly parameters: Readonly<Record<StackKind, Readonly<Record<string, string>>>>;
}

export type ParsedDeployArgs = { readonly help: true } | { readonly help: false; readonly options: DeployOptions };

/** The repository root (defaults of --processor-dir and --overlay are under it). */
export const REPO_ROOT = new URL("../../", import.meta.url).pathname;
export const DEFAULT_PROCESSOR_DIR = "k8s/processor";
export const DEFAULT_OVERLAY_DIR = "k8s/overlays/example-cluster";

export const DEFAULT_PROJECT = "mtl";
export const DEFAULT_ENVIRONMENT = "dev";
export const DEFAULT_LAMBDA_TIMEOUT = 300;
/** AWS: an SQS event source's queue visibility should be at least 6× the function timeout. */
export const VISIBILITY_PER_TIMEOUT = 6;

const PROJECT_PATTERN = /^[a-z][a-z0-9-]{1,15}$/;
const ENVIRONMENT_PATTERN = /^[a-z][a-z0-9-]{0,11}$/;
const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,100}$/;
const ECR_IMAGE_PATTERN =
  /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._\/-]+(:[\w.-]{1,128}|@sha256:[a-f0-9]{64})$/;

/**
 * The event source mapping's numeric parameters, checked here (named by their flag) with the
 * bounds of cloudformation/lambda.yaml and of the Lambda API, so a mistake fails before any stack
 * is touched. A test keeps them equal to the template's MinValue/MaxValue.
 */
export const LAMBDA_NUMBER_BOUNDS: Readonly<Record<string, readonly [flag: string, min: number, max: number]>> = {
  BatchSize: ["batch-size", 1, 10_000],
  MaximumBatchingWindowInSeconds: ["batching-window", 0, 300],
  MaximumConcurrency: ["max-concurrency", 2, 1000],
};
/** Lambda: a batch of more than 10 SQS messages needs a batching window of at least 1 s. */
export const MAX_BATCH_WITHOUT_WINDOW = 10;

/** Flags that map one-to-one to a template parameter. */
const PARAMETER_FLAGS: Readonly<Record<string, readonly [StackKind, string]>> = {
  "bucket-name": ["core", "BucketName"],
  "customer-role-pattern": ["core", "CustomerRoleNamePattern"],
  "operator-principal-arn": ["core", "OperatorPrincipalArn"],
  "processor-oidc-provider-arn": ["core", "ProcessorOidcProviderArn"],
  "processor-service-account": ["core", "ProcessorServiceAccount"],
  "max-receive-count": ["sqs", "MaxReceiveCount"],
  "alarm-topic-arn": ["sqs", "AlarmTopicArn"],
  "batch-size": ["lambda", "BatchSize"],
  "batching-window": ["lambda", "MaximumBatchingWindowInSeconds"],
  "max-concurrency": ["lambda", "MaximumConcurrency"],
  "memory-size": ["lambda", "MemorySize"],
  "architecture": ["lambda", "Architecture"],
  "log-retention-days": ["lambda", "LogRetentionDays"],
};

export const DEPLOY_USAGE = `Usage: cloudformation/deploy.sh [options]

Deploys or updates the multi-tenant-logging stacks in order (core, then SQS,
then Lambda), passing each stack's outputs to the next, waits for each, and
prints what an operator needs next. Uses the usual AWS credential variables /
AWS_PROFILE, the profile's region when neither --region nor AWS_REGION is
given, and AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> (the service's own
wins).

Stacks:
  --include-sqs                 also deploy the SQS stack (queue, DLQ, alarms)
  --include-lambda              also deploy the Lambda stack (implies --include-sqs)
  --ecr-image-uri URI           Lambda from a container image (ECR URI with tag or digest)
  --lambda-package LOCATION     Lambda from a zip: s3://bucket/key.zip (its version id is passed
                                when the bucket is versioned), or a local zip (e.g.
                                dist/log-processor-lambda.zip) uploaded to --artifact-bucket under
                                <project>/<environment>/<name>-<sha256>.zip, so each build redeploys
  --artifact-bucket NAME        bucket for a local --lambda-package
  --create-artifact-bucket      create that bucket (private) when it does not exist
  --lambda-timeout SECONDS      function timeout (default ${DEFAULT_LAMBDA_TIMEOUT}); the queue's visibility
                                timeout is set to ${VISIBILITY_PER_TIMEOUT}x this

Naming:
  --environment NAME            environment (default ${DEFAULT_ENVIRONMENT}; 1-12 of a-z 0-9 -)
  --project NAME                project (default ${DEFAULT_PROJECT}; 2-16 of a-z 0-9 -)
  --region REGION               region (default AWS_REGION / AWS_DEFAULT_REGION, else the
                                AWS_PROFILE's region)
  --stack-name NAME             base stack name (default <project>-<environment>); stacks are
                                NAME-core, NAME-sqs, NAME-lambda

Template parameters:
  --bucket-name, --customer-role-pattern,
  --operator-principal-arn, --processor-oidc-provider-arn,
  --processor-service-account NS:NAME                       (core)
  --max-receive-count N, --alarm-topic-arn ARN              (sqs)
  --batch-size N (1-10000; above 10 needs --batching-window >= 1),
  --batching-window S (0-300: seconds Lambda gathers messages before invoking),
  --max-concurrency N (2-1000: most concurrent invocations the queue drives),
  --memory-size MB, --architecture x86_64|arm64,
  --log-retention-days N                                   (lambda)
  --parameter STACK.Key=Value   any other parameter (STACK: core, sqs or lambda); repeatable

Protection and output:
  --termination-protection      turn on termination protection of every deployed stack
  --write-env                   after deploying, write what the workloads need:
                                <processor-dir>/processor.env (its AWS settings updated),
                                <processor-dir>/aws-identity.env (the processor role, for IRSA),
                                <overlay>/central.env (bucket, region, writer role of the agents)
  --processor-dir DIR           default ${DEFAULT_PROCESSOR_DIR} (of this repository)
  --overlay DIR                 default ${DEFAULT_OVERLAY_DIR} (of this repository)

Modes:
  --dry-run                     show the plan and what each update would change (a CloudFormation
                                change set per existing stack, created, read and deleted; a new
                                stack lists its template's resources); change nothing
  --validate-only               validate the templates with CloudFormation; change nothing
  --json                        print the outputs (or the dry run, or the error) as one JSON
                                object on stdout
  --poll-seconds N              how often to poll a stack's status while waiting (default 5)
  --help                        this text
`;

function numberIn(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${flag}: must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${flag}: must be between ${min} and ${max}, got ${n}`);
  return n;
}

function lambdaCodeOf(
  image: string | undefined,
  pkg: string | undefined,
  artifactBucket: string | undefined,
  project: string,
  environment: string,
): LambdaCode | undefined {
  if (artifactBucket && !pkg) throw new UsageError("--artifact-bucket only applies with a local --lambda-package");
  if (image && pkg) throw new UsageError("give either --ecr-image-uri or --lambda-package, not both");
  if (image) {
    if (!ECR_IMAGE_PATTERN.test(image)) {
      throw new UsageError(`--ecr-image-uri: "${image}" is not an ECR image URI with a tag or digest`);
    }
    return { kind: "image", imageUri: image };
  }
  if (!pkg) return undefined;
  const [, bucket, key] = pkg.match(/^s3:\/\/([^/]+)\/(.+\.zip)$/) ?? [];
  if (bucket !== undefined && key !== undefined) {
    if (!BUCKET_NAME_PATTERN.test(bucket)) throw new UsageError(`--lambda-package: "${bucket}" is not a bucket name`);
    return { kind: "s3", bucket, key };
  }
  if (pkg.startsWith("s3://")) throw new UsageError(`--lambda-package: expected s3://bucket/key.zip, got "${pkg}"`);
  if (!pkg.endsWith(".zip")) throw new UsageError(`--lambda-package: "${pkg}" is not a .zip file`);
  if (!artifactBucket) {
    throw new UsageError("--lambda-package with a local file needs --artifact-bucket to upload it to");
  }
  if (!BUCKET_NAME_PATTERN.test(artifactBucket)) {
    throw new UsageError(`--artifact-bucket: "${artifactBucket}" is not a bucket name`);
  }
  return { kind: "file", path: pkg, bucket: artifactBucket, keyPrefix: `${project}/${environment}/` };
}

/** Checks the event source mapping's numbers (from their flags or `--parameter lambda.…`). */
function checkEventSourceMapping(lambda: Readonly<Record<string, string>>): void {
  for (const [key, [flag, min, max]] of Object.entries(LAMBDA_NUMBER_BOUNDS)) {
    const raw = lambda[key];
    if (raw !== undefined) numberIn(flag, raw, min, max);
  }
  const batch = Number(lambda.BatchSize ?? MAX_BATCH_WITHOUT_WINDOW);
  if (batch > MAX_BATCH_WITHOUT_WINDOW && Number(lambda.MaximumBatchingWindowInSeconds ?? 0) < 1) {
    throw new UsageError(
      `--batch-size ${batch}: more than ${MAX_BATCH_WITHOUT_WINDOW} messages per invocation needs --batching-window of at least 1 second`,
    );
  }
}

/** Parses `args`; throws {@link UsageError} naming the flag on any mistake. */
export function parseDeployArgs(
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
  defaults: { readonly profileRegion?: string } = {},
): ParsedDeployArgs {
  const stringFlags = [
    "environment",
    "project",
    "region",
    "stack-name",
    "ecr-image-uri",
    "lambda-package",
    "artifact-bucket",
    "lambda-timeout",
    "poll-seconds",
    "processor-dir",
    "overlay",
    ...Object.keys(PARAMETER_FLAGS),
  ];
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        ...Object.fromEntries(stringFlags.map((f) => [f, { type: "string" as const }])),
        parameter: { type: "string", multiple: true },
        "include-sqs": { type: "boolean" },
        "include-lambda": { type: "boolean" },
        "dry-run": { type: "boolean" },
        "create-artifact-bucket": { type: "boolean" },
        "termination-protection": { type: "boolean" },
        "write-env": { type: "boolean" },
        "validate-only": { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
    }).values as Record<string, string | boolean | string[] | undefined>;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return { help: true };
  const str = (name: string) => values[name] as string | undefined;

  const project = str("project") ?? DEFAULT_PROJECT;
  if (!PROJECT_PATTERN.test(project)) {
    throw new UsageError(`--project: "${project}" must be 2-16 of a-z 0-9 - starting with a letter`);
  }
  const environment = str("environment") ?? DEFAULT_ENVIRONMENT;
  if (!ENVIRONMENT_PATTERN.test(environment)) {
    throw new UsageError(`--environment: "${environment}" must be 1-12 of a-z 0-9 - starting with a letter`);
  }
  const region = str("region") ?? (env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || defaults.profileRegion);
  if (!region) {
    throw new UsageError(
      `--region is required (or set AWS_REGION, or a region in AWS profile "${env.AWS_PROFILE?.trim() || "default"}")`,
    );
  }
  if (!REGION_PATTERN.test(region)) throw new UsageError(`--region: "${region}" is not a region name`);
  const stackName = str("stack-name") ?? `${project}-${environment}`;
  if (!STACK_NAME_PATTERN.test(stackName)) {
    throw new UsageError(`--stack-name: "${stackName}" must start with a letter and hold only A-Z a-z 0-9 -`);
  }
  const includeLambda = values["include-lambda"] === true;
  const includeSqs = includeLambda || values["include-sqs"] === true;
  const lambdaCode = lambdaCodeOf(
    str("ecr-image-uri"),
    str("lambda-package"),
    str("artifact-bucket"),
    project,
    environment,
  );
  if (includeLambda && !lambdaCode) {
    throw new UsageError("--include-lambda needs --ecr-image-uri or --lambda-package");
  }
  if (!includeLambda && lambdaCode) {
    throw new UsageError("--ecr-image-uri / --lambda-package only apply with --include-lambda");
  }
  const lambdaTimeoutSeconds = str("lambda-timeout") === undefined
    ? DEFAULT_LAMBDA_TIMEOUT
    : numberIn("lambda-timeout", str("lambda-timeout")!, 10, 900);

  const parameters: Record<StackKind, Record<string, string>> = { core: {}, sqs: {}, lambda: {} };
  for (const [flag, [stack, key]] of Object.entries(PARAMETER_FLAGS)) {
    const v = str(flag);
    if (v !== undefined) parameters[stack][key] = v;
  }
  const createArtifactBucket = values["create-artifact-bucket"] === true;
  if (createArtifactBucket && lambdaCode?.kind !== "file") {
    throw new UsageError("--create-artifact-bucket only applies with a local --lambda-package");
  }
  const dryRun = values["dry-run"] === true;
  const validateOnly = values["validate-only"] === true;
  if (dryRun && validateOnly) throw new UsageError("give either --dry-run or --validate-only, not both");
  let writeEnv: WriteEnv | undefined;
  if (values["write-env"] === true) {
    if (dryRun || validateOnly) {
      throw new UsageError("--write-env writes what a deploy made: not with --dry-run or --validate-only");
    }
    writeEnv = {
      processorDir: str("processor-dir") ?? `${REPO_ROOT}${DEFAULT_PROCESSOR_DIR}`,
      overlayDir: str("overlay") ?? `${REPO_ROOT}${DEFAULT_OVERLAY_DIR}`,
    };
  } else if (str("processor-dir") !== undefined || str("overlay") !== undefined) {
    throw new UsageError("--processor-dir and --overlay only apply with --write-env");
  }
  for (const raw of (values.parameter as string[] | undefined) ?? []) {
    const [, stack, key, value] = raw.match(/^(core|sqs|lambda)\.([A-Za-z0-9]+)=(.*)$/s) ?? [];
    if (stack === undefined || key === undefined || value === undefined) {
      throw new UsageError(`--parameter: expected STACK.Key=Value with STACK core, sqs or lambda, got "${raw}"`);
    }
    parameters[stack as StackKind][key] = value;
  }
  checkEventSourceMapping(parameters.lambda);
  return {
    help: false,
    options: {
      project,
      environment,
      region,
      stackName,
      includeSqs,
      includeLambda,
      lambdaCode,
      lambdaTimeoutSeconds,
      createArtifactBucket,
      terminationProtection: values["termination-protection"] === true,
      writeEnv,
      dryRun,
      validateOnly,
      json: values.json === true,
      pollSeconds: str("poll-seconds") === undefined ? 5 : numberIn("poll-seconds", str("poll-seconds")!, 1, 60),
      parameters,
    },
  };
}
