/**
 * `cloudformation/deploy.sh`: deploys or updates the core, SQS and Lambda
 * stacks in order, wiring outputs to parameters, and prints what an operator
 * needs next. Needs no AWS CLI; honours AWS_ENDPOINT_URL.
 *
 * @module
 */
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { clientConfig } from "../src/aws/client_config.ts";
import { endpointEnv } from "../src/aws/configured_endpoint.ts";
import { UsageError } from "../src/errors.ts";
import { DEPLOY_USAGE, parseDeployArgs } from "./deploy/deploy_args.ts";
import { formatPlan, formatSummary } from "./deploy/deploy_summary.ts";
import { StackDeployer } from "../src/aws/stack_deployer.ts";
import { planStacks, resolveParameters, type StackOutputs } from "./deploy/stack_plan.ts";

/** Where output goes (swappable in tests). */
export interface DeployIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const ROOT = new URL("..", import.meta.url).pathname;
const consoleIo: DeployIo = { out: (t) => console.log(t), err: (t) => console.error(t) };

/** Runs the deploy command; resolves to the exit status. */
export async function runDeploy(
  args: string[],
  env: Readonly<Record<string, string | undefined>> = Deno.env.toObject(),
  io: DeployIo = consoleIo,
): Promise<number> {
  let parsed;
  try {
    parsed = parseDeployArgs(args, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`deploy: ${err.message}\nRun cloudformation/deploy.sh --help for the options.`);
    return 2;
  }
  if (parsed.help) {
    io.out(DEPLOY_USAGE);
    return 0;
  }
  const options = parsed.options;
  const stacks = planStacks(options);
  if (options.dryRun) {
    io.out(formatPlan(options, stacks));
    return 0;
  }
  const settings = { region: options.region, endpoints: endpointEnv(env) };
  const cf = new CloudFormationClient(clientConfig(settings, "CloudFormation"));
  const deployer = new StackDeployer(cf, {
    pollMs: options.pollSeconds * 1000,
    log: (line) => io.err(`deploy: ${line}`),
  });
  try {
    const bodies = new Map<string, string>();
    for (const s of stacks) bodies.set(s.template, await Deno.readTextFile(`${ROOT}${s.template}`));
    if (options.validateOnly) {
      for (const s of stacks) {
        await deployer.validate(s.template, bodies.get(s.template)!);
        io.out(`valid: ${s.template}`);
      }
      return 0;
    }
    const code = options.lambdaCode;
    if (code?.kind === "file") {
      io.err(`deploy: uploading ${code.path} to s3://${code.bucket}/${code.key}`);
      const s3 = new S3Client(clientConfig(settings, "S3"));
      try {
        await s3.send(
          new PutObjectCommand({ Bucket: code.bucket, Key: code.key, Body: await Deno.readFile(code.path) }),
        );
      } finally {
        s3.destroy();
      }
    }
    const outputs: StackOutputs = {};
    for (const spec of stacks) {
      const result = await deployer.deploy({
        stackName: spec.stackName,
        templateBody: bodies.get(spec.template)!,
        parameters: resolveParameters(spec, outputs),
        tags: spec.tags,
      });
      outputs[spec.kind] = result.outputs;
    }
    io.out(options.json ? JSON.stringify(outputs) : formatSummary(options, outputs));
    return 0;
  } catch (err) {
    io.err(`deploy failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    cf.destroy();
  }
}

if (import.meta.main) Deno.exit(await runDeploy(Deno.args));
