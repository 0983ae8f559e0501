/**
 * Onboarding the demo's tenants as an operator and its customers would:
 * `log-processor tenants add` per delivery (a real subprocess, in the
 * central account), then, in each customer's own account, the bucket an S3
 * delivery writes to and the customer stack
 * (`cloudformation/customer-log-distribution-role.yaml`) with exactly the
 * parameters `tenants add` printed, then `log-processor tenants verify`.
 *
 * @module
 */
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CUSTOMER_TEMPLATE, type CustomerStack } from "../../src/cli/customer_stack_command.ts";
import { StackDeployer } from "../../src/aws/stack_deployer.ts";
import { accountClientConfig } from "../local_aws/account_clients.ts";
import { runProcessor } from "../local_aws/processor_process.ts";
import { type DemoTenant, tenantsAddArgs } from "./demo_plan.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** How one tenant was onboarded. */
export interface OnboardedTenant {
  readonly tenant: DemoTenant;
  /** The `tenants add` command lines that ran. */
  readonly commands: readonly string[];
  readonly stackName: string;
  readonly roleArn: string;
  /** `tenants verify` passed. */
  readonly verified: boolean;
}

/** `tenants add` for every delivery of `tenant`; the customer stack the last one printed (it covers them all). */
async function addDeliveries(
  tenant: DemoTenant,
  env: Record<string, string>,
): Promise<{ commands: string[]; stack: CustomerStack }> {
  const commands: string[] = [];
  let stack: CustomerStack | undefined;
  for (const delivery of tenant.deliveries) {
    const args = tenantsAddArgs(tenant, delivery);
    commands.push(`log-processor ${args.join(" ")}`);
    const run = await runProcessor([...args, "--json"], env);
    if (run.code !== 0) {
      throw new Error(`log-processor ${args.join(" ")} exited with ${run.code}: ${run.stderr.trim()}`);
    }
    stack = (run.results[0] as { customer_stack: CustomerStack }).customer_stack;
  }
  return { commands, stack: stack! };
}

/** Deploys the customer stack (and creates the S3 deliveries' buckets first) in the tenant's account. */
async function deployCustomerSide(endpoint: string, region: string, tenant: DemoTenant, stack: CustomerStack) {
  const config = await accountClientConfig(endpoint, region, stack.account);
  const s3 = new S3Client(config);
  const cf = new CloudFormationClient(config);
  try {
    for (const d of tenant.deliveries) {
      if (d.type === "s3") await s3.send(new CreateBucketCommand({ Bucket: d.bucket }));
    }
    const deployer = new StackDeployer(cf, { pollMs: 200, log: () => {} });
    const result = await deployer.deploy({
      stackName: stack.stackName,
      templateBody: await Deno.readTextFile(`${ROOT}${CUSTOMER_TEMPLATE}`),
      parameters: stack.parameters,
      tags: { Project: "log-distribution", Environment: "demo" },
    });
    const roleArn = result.outputs.RoleArn;
    if (!roleArn) throw new Error(`stack ${stack.stackName} has no RoleArn output`);
    return roleArn;
  } finally {
    s3.destroy();
    cf.destroy();
  }
}

/** Onboards `tenant` end to end; `env` is the processor's environment (central account). */
export async function onboardTenant(
  endpoint: string,
  region: string,
  { tenant, env }: { readonly tenant: DemoTenant; readonly env: Record<string, string> },
): Promise<OnboardedTenant> {
  const { commands, stack } = await addDeliveries(tenant, env);
  const roleArn = await deployCustomerSide(endpoint, region, tenant, stack);
  const verify = await runProcessor(["tenants", "verify", "--tenant", tenant.id], env);
  return { tenant, commands, stackName: stack.stackName, roleArn, verified: verify.code === 0 };
}
