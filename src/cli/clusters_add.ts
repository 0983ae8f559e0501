/**
 * `clusters add`: renders (and with `--deploy` deploys) the cluster's writer
 * stack, resolves the role's unique id through IAM, registers the cluster
 * with the processor's own validation, and prints what the agent overlay
 * needs. Without `--deploy`, a role IAM does not know yet is not registered:
 * the command prints the stack to deploy and exits 1.
 *
 * @module
 */
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { clientConfig } from "../aws/client_config.ts";
import { type DeployResult, StackDeployer } from "../aws/stack_deployer.ts";
import { buildClusterItem, parseTenantList } from "./cluster_item.ts";
import { centralAccount, type ClustersContext, flag } from "./clusters_context.ts";
import { parseRoleArn } from "./customer_stack_command.ts";
import { ItemExistsError } from "./tenant_table.ts";
import { UsageError } from "../errors.ts";
import { need, type Values } from "./tenants_context.ts";
import { bucketKmsKey, getRole } from "./writer_role_facts.ts";
import {
  DEFAULT_OIDC_AUDIENCE,
  DEFAULT_SERVICE_ACCOUNT,
  overlayValues,
  WRITER_TEMPLATE,
  type WriterStack,
  writerStack,
  type WriterTrust,
} from "./writer_stack.ts";

/** Who the cluster's agents are, from the flags; undefined when none is given. */
export function trustFromFlags(values: Values): WriterTrust | undefined {
  const principalArn = flag(values, "principal-arn");
  const oidcProviderArn = flag(values, "oidc-provider-arn");
  const eksClusterArn = flag(values, "eks-cluster-arn");
  const given = [principalArn, oidcProviderArn, eksClusterArn].filter(Boolean).length;
  if (given > 1) {
    throw new UsageError("give one of --principal-arn, --oidc-provider-arn and --eks-cluster-arn (who the agents are)");
  }
  const serviceAccount = flag(values, "service-account") ?? DEFAULT_SERVICE_ACCOUNT;
  if (principalArn) return { kind: "principal", principalArn };
  if (oidcProviderArn) {
    return {
      kind: "irsa",
      oidcProviderArn,
      serviceAccount,
      audience: flag(values, "audience") ?? DEFAULT_OIDC_AUDIENCE,
    };
  }
  if (eksClusterArn) return { kind: "pod-identity", eksClusterArn, serviceAccount };
  return undefined;
}

/** The writer template: `--template`, else the repository's (beside this module, or under the working directory). */
async function readTemplate(path: string | undefined): Promise<string> {
  const candidates = path ? [path] : [new URL(`../../${WRITER_TEMPLATE}`, import.meta.url), WRITER_TEMPLATE];
  for (const candidate of candidates) {
    try {
      return await Deno.readTextFile(candidate);
    } catch { /* try the next */ }
  }
  throw new UsageError(`cannot read the writer template ${path ?? WRITER_TEMPLATE}; give --template PATH`);
}

/** Tenants of `tenants` that have no delivery in the tenant table yet. */
async function tenantsWithoutDeliveries(ctx: ClustersContext, tenants: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const t of tenants) if ((await ctx.tenants.items(t)).length === 0) missing.push(t);
  return missing;
}

function stackJson(stack: WriterStack) {
  return {
    stack_name: stack.stackName,
    role_name: stack.roleName,
    role_arn: stack.roleArn,
    parameters: stack.parameters,
    command: stack.command,
  };
}

/** Runs `clusters add`; resolves to the exit status. */
export async function addCluster(ctx: ClustersContext): Promise<number> {
  const v = ctx.values;
  const clusterId = need(v, "cluster", "the cluster_id the cluster's agents write");
  const tenants = parseTenantList(need(v, "tenants", "the tenants whose pods the cluster ships"));
  const precheck = buildClusterItem({
    clusterId,
    tenants,
    writerRoleArn: "arn:aws:iam::000000000000:role/x",
    writerRoleId: "AROAPRECHECK0000000000",
    enabled: true,
    now: new Date(),
  });
  if (!precheck.ok) throw new UsageError(`invalid cluster:\n  - ${precheck.problems.join("\n  - ")}`);
  const existing = await ctx.table.item(clusterId);
  if (existing && !v.replace) {
    throw new ItemExistsError(`cluster "${clusterId}" is registered already; add --replace to change it`);
  }
  const trust = trustFromFlags(v);
  const givenRoleArn = flag(v, "role-arn");
  if (givenRoleArn && trust) throw new UsageError("give either --role-arn (an existing role) or who the agents are");
  if (!givenRoleArn && !trust) {
    throw new UsageError(
      "who are the cluster's agents? give --principal-arn ARN, --oidc-provider-arn ARN or --eks-cluster-arn ARN " +
        "(or --role-arn ARN of an existing writer role)",
    );
  }
  if (givenRoleArn && v.deploy) {
    throw new UsageError("--deploy deploys a new writer stack; it does not go with --role-arn");
  }
  const region = ctx.config.region;
  const iam = new IAMClient(clientConfig(ctx.settings, "IAM"));
  const s3 = new S3Client(clientConfig(ctx.settings, "S3"));
  const cf = new CloudFormationClient(clientConfig(ctx.settings, "CloudFormation"));
  try {
    let stack: WriterStack | undefined;
    let deployed: DeployResult | undefined;
    let bucket = flag(v, "bucket") ?? ctx.centralBucket;
    if (trust) {
      if (!bucket) throw new UsageError("--bucket is required (or set CENTRAL_BUCKET): the central bucket");
      const kmsKeyArn = flag(v, "kms-key-arn") ?? await bucketKmsKey(s3, bucket);
      try {
        stack = writerStack({
          clusterId,
          tenants,
          bucket,
          trust,
          region,
          ...centralAccount(ctx.config),
          ...(kmsKeyArn ? { kmsKeyArn } : {}),
          ...(flag(v, "role-name") ? { roleName: flag(v, "role-name") } : {}),
        });
      } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      }
      if (v.deploy) {
        const deployer = new StackDeployer(cf, { pollMs: 2000, log: (line) => ctx.io.err(line) });
        deployed = await deployer.deploy({
          stackName: stack.stackName,
          templateBody: await readTemplate(flag(v, "template")),
          parameters: stack.parameters,
          tags: { ManagedBy: "log-processor-clusters", "log-processor-cluster-id": clusterId },
        });
      }
    }
    const roleName = stack?.roleName ?? parseRoleArn(givenRoleArn!).name;
    const role = await getRole(iam, roleName);
    if (!role) return notYet(ctx, { clusterId, roleName, stack });
    const expectedArn = stack?.roleArn ?? givenRoleArn;
    if (role.arn !== expectedArn) {
      throw new Error(`IAM says role ${roleName} is ${role.arn}, not ${expectedArn}`);
    }
    const built = buildClusterItem({
      clusterId,
      tenants,
      writerRoleArn: role.arn,
      writerRoleId: role.roleId,
      enabled: v.disabled !== true,
      now: new Date(),
    });
    if (!built.ok) throw new UsageError(`invalid cluster:\n  - ${built.problems.join("\n  - ")}`);
    await ctx.table.put(built.item, v.replace === true);
    bucket ??= ctx.centralBucket ?? "<central bucket>";
    const overlay = overlayValues(built.cluster, { bucket, region });
    const undelivered = await tenantsWithoutDeliveries(ctx, built.cluster.tenants);
    const warnings = undelivered.map((t) =>
      `tenant "${t}" has no delivery in ${ctx.tenants.name} yet: its objects are skipped until it is onboarded ` +
      `(log-processor tenants add --tenant ${t} ...)`
    );
    if (v.json) {
      ctx.io.out(JSON.stringify({
        registered: true,
        replaced: existing !== undefined,
        item: { ...built.item, tenants: built.cluster.tenants },
        ...(stack ? { writer_stack: stackJson(stack) } : {}),
        ...(deployed ? { deployed: { stack_name: deployed.stackName, action: deployed.action } } : {}),
        overlay,
        warnings,
      }));
      return 0;
    }
    const c = built.cluster;
    const lines = [
      `${existing ? "Replaced" : "Registered"} cluster "${c.clusterId}" in table ${ctx.table.name}` +
      `${c.enabled ? "" : " (disabled)"}:`,
      `  tenants      ${c.tenants.join(", ")}`,
      `  writer role  ${c.writerRoleArn} (${c.writerRoleId})`,
      "",
    ];
    if (deployed) lines.push(`Writer stack ${deployed.stackName}: ${deployed.action}.`, "");
    else if (stack) {
      lines.push(
        `Its writer stack (deploy or update it in the central account, region ${region}, whenever the tenants change;`,
        "or run this command with --deploy):",
        "",
        stack.command,
        "",
      );
    }
    lines.push(
      "The cluster's agent overlay (configMapGenerator vector-params, see k8s/overlays/example-cluster):",
      ...Object.entries(overlay).map(([k, x]) => `  - ${k}=${x}`),
      "",
      ...warnings.map((w) => `Warning: ${w}`),
      `Then check: log-processor clusters verify --cluster ${c.clusterId}`,
    );
    ctx.io.out(lines.join("\n"));
    return 0;
  } finally {
    iam.destroy();
    s3.destroy();
    cf.destroy();
  }
}

/** The writer role does not exist yet: nothing is registered; say what to deploy. */
function notYet(
  ctx: ClustersContext,
  what: { readonly clusterId: string; readonly roleName: string; readonly stack?: WriterStack },
): number {
  const why = `IAM has no role ${what.roleName}`;
  if (ctx.values.json) {
    ctx.io.out(JSON.stringify({
      registered: false,
      reason: why,
      ...(what.stack ? { writer_stack: stackJson(what.stack) } : {}),
    }));
    return 1;
  }
  const lines = [`Cluster "${what.clusterId}" is not registered: ${why} (the registry records the role's unique id).`];
  if (what.stack) {
    lines.push(
      `Deploy its writer stack in the central account (region ${ctx.config.region}), then run this command again ` +
        "(or add --deploy):",
      "",
      what.stack.command,
    );
  }
  ctx.io.err(lines.join("\n"));
  return 1;
}
