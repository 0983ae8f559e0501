/**
 * `cloudformation/deploy.sh`: deploys or updates the core, SQS and Lambda
 * stacks in order, wiring outputs to parameters, and prints what an operator
 * needs next (or, with --write-env, writes it where the workloads read it).
 * Needs no AWS CLI; follows the SDK's region and endpoint conventions.
 *
 * @module
 */
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { S3Client } from "@aws-sdk/client-s3";
import { clientConfig, type ClientSettings } from "../src/aws/client_config.ts";
import { configDefaults, endpointSettings } from "../src/config.ts";
import { sleep } from "../src/aws/retry.ts";
import { jsonErrorLine } from "../src/cli/json_error.ts";
import { errorMessage, UsageError } from "../src/errors.ts";
import { DEPLOY_USAGE, type DeployOptions, parseDeployArgs } from "./deploy/deploy_args.ts";
import { formatSummary } from "./deploy/deploy_summary.ts";
import { dryRun, formatDryRun } from "./deploy/dry_run.ts";
import { writeEnvFiles } from "./deploy/env_files.ts";
import { hashLocalPackage, preparePackage } from "./deploy/lambda_package.ts";
import { outputsOf, StackDeployer } from "../src/aws/stack_deployer.ts";
import { planStacks, resolveParameters, type StackOutputs, type StackSpec, TEMPLATES } from "./deploy/stack_plan.ts";
import { summarizeTemplate, type TemplateSummary } from "./deploy/template_summary.ts";

/** Where output goes (swappable in tests). */
export interface DeployIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

type Env = Readonly<Record<string, string | undefined>>;

const ROOT = new URL("..", import.meta.url).pathname;
const consoleIo: DeployIo = { out: (t) => console.log(t), err: (t) => console.error(t) };

/** Every planned parameter must exist in its template: a typo in --parameter is a usage error naming it. */
export function unknownParameters(
  stacks: readonly StackSpec[],
  summaries: ReadonlyMap<string, TemplateSummary>,
): string[] {
  return stacks.flatMap((s) => {
    const known = new Set(summaries.get(s.template)!.parameters);
    return Object.keys(s.parameters).filter((k) => !known.has(k)).map((k) =>
      `${s.kind}.${k}: ${s.template} has no parameter "${k}" (it has ${[...known].join(", ")})`
    );
  });
}

/** Runs the deploy command; resolves to the exit status. */
export async function runDeploy(
  args: string[],
  env: Env = Deno.env.toObject(),
  io: DeployIo = consoleIo,
): Promise<number> {
  const json = args.includes("--json");
  const fail = (status: number, code: string, message: string, hint = ""): number => {
    io.err(json ? jsonErrorLine(message, code, "deploy") : `deploy: ${message}${hint}`);
    return status;
  };
  let parsed;
  try {
    parsed = parseDeployArgs(args, env, await configDefaults(env));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return fail(2, "UsageError", err.message, " (cloudformation/deploy.sh --help lists the options)");
  }
  if (parsed.help) {
    io.out(DEPLOY_USAGE);
    return 0;
  }
  let options = parsed.options;
  const settings: ClientSettings = { region: options.region, endpoints: endpointSettings(env) };
  const cf = new CloudFormationClient(clientConfig(settings, "CloudFormation"));
  let s3: S3Client | undefined;
  const s3Client = () => s3 ??= new S3Client(clientConfig(settings, "S3"));
  const log = (line: string) => io.err(`deploy: ${line}`);
  const deployer = new StackDeployer(cf, { pollMs: options.pollSeconds * 1000, log });
  try {
    const bodies = new Map<string, string>();
    const summaries = new Map<string, TemplateSummary>();
    for (const template of Object.values(TEMPLATES)) {
      const body = await Deno.readTextFile(`${ROOT}${template}`);
      bodies.set(template, body);
      summaries.set(template, summarizeTemplate(body));
    }
    if (options.lambdaCode?.kind === "file") {
      options = { ...options, lambdaCode: await hashLocalPackage(options.lambdaCode) };
    }
    const stacks = planStacks(options);
    const unknown = unknownParameters(stacks, summaries);
    if (unknown.length) throw new UsageError(`--parameter ${unknown.join("; ")}`);
    if (options.validateOnly) {
      for (const s of stacks) await deployer.validate(s.template, bodies.get(s.template)!);
      io.out(
        json
          ? JSON.stringify({ valid: stacks.map((s) => s.template) })
          : stacks.map((s) => `valid: ${s.template}`).join("\n"),
      );
      return 0;
    }
    if (options.dryRun) {
      const report = await dryRun({
        cf,
        s3: s3Client,
        deployer,
        options,
        stacks,
        bodies,
        summaries,
        pollMs: options.pollSeconds * 1000,
        sleep,
      });
      io.out(json ? JSON.stringify(report) : formatDryRun(options, stacks, report));
      return 0;
    }
    options = await withPackage(options, s3Client, log);
    const outputs = await deployStacks(deployer, planStacks(options), bodies, options.terminationProtection);
    if (options.writeEnv) {
      for (const kind of ["core", "sqs"] as const) {
        if (outputs[kind]) continue;
        const stack = await deployer.describe(`${options.stackName}-${kind}`);
        if (stack) outputs[kind] = outputsOf(stack);
      }
      for (
        const path of await writeEnvFiles(options.writeEnv, {
          region: options.region,
          stackName: options.stackName,
          outputs,
        })
      ) {
        log(`wrote ${path}`);
      }
      if (!outputs.sqs) log("no SQS stack: processor.env keeps its SQS_QUEUE_URL (deploy with --include-sqs)");
    }
    io.out(json ? JSON.stringify(outputs) : formatSummary(options, outputs));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      return fail(2, "UsageError", err.message, " (cloudformation/deploy.sh --help lists the options)");
    }
    const code = err instanceof Error && err.name !== "Error" ? err.name : "DeployFailed";
    return fail(1, code, `${options.dryRun ? "dry run" : "deploy"} failed: ${errorMessage(err)}`);
  } finally {
    cf.destroy();
    s3?.destroy();
  }
}

/** The Lambda package made deployable (bucket, upload, version); other code unchanged. */
async function withPackage(options: DeployOptions, s3: () => S3Client, log: (line: string) => void) {
  const code = options.lambdaCode;
  if (code?.kind !== "s3") return options;
  const ready = await preparePackage(s3(), code, {
    region: options.region,
    createBucket: options.createArtifactBucket,
    log,
  });
  return { ...options, lambdaCode: ready };
}

async function deployStacks(
  deployer: StackDeployer,
  stacks: readonly StackSpec[],
  bodies: ReadonlyMap<string, string>,
  terminationProtection: boolean,
): Promise<StackOutputs> {
  const outputs: StackOutputs = {};
  for (const spec of stacks) {
    const result = await deployer.deploy({
      stackName: spec.stackName,
      templateBody: bodies.get(spec.template)!,
      parameters: resolveParameters(spec, outputs),
      tags: spec.tags,
      terminationProtection,
    });
    outputs[spec.kind] = result.outputs;
  }
  return outputs;
}

if (import.meta.main) Deno.exit(await runDeploy(Deno.args));
