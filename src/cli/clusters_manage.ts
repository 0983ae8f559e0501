/**
 * `clusters get|list|remove|enable|disable|verify`: show, change and check
 * what the cluster registry holds.
 *
 * @module
 */
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { clientConfig } from "../aws/client_config.ts";
import { errorMessage } from "../errors.ts";
import { validateCluster } from "../tenant/validate_cluster.ts";
import { type ClustersContext, flag, printableItem } from "./clusters_context.ts";
import { parseRoleArn } from "./customer_stack_command.ts";
import { UsageError } from "../errors.ts";
import { need } from "./tenants_context.ts";
import { textTable } from "./text_table.ts";
import { type ClusterVerifyReport, formatClusterVerifyReport, verifyWriterRole } from "./verify_writer_role.ts";
import { bucketKmsKey, writerRoleFacts } from "./writer_role_facts.ts";
import { writerStackName } from "./writer_stack.ts";

/** The item of `--cluster`; undefined (reported) when it is not registered. */
async function selectedItem(ctx: ClustersContext, why: string): Promise<Record<string, unknown> | undefined> {
  const id = need(ctx.values, "cluster", why);
  const item = await ctx.table.item(id);
  if (!item) ctx.io.err(`cluster "${id}" is not registered in table ${ctx.table.name}`);
  return item;
}

/** `clusters get`: the item as stored, with validation problems. */
export async function getCluster(ctx: ClustersContext): Promise<number> {
  const item = await selectedItem(ctx, "the cluster to show");
  if (!item) return 1;
  const result = validateCluster(item);
  const shown = { ...printableItem(item), valid: result.ok, ...(result.ok ? {} : { problems: result.problems }) };
  ctx.io.out(ctx.values.json ? JSON.stringify(shown) : JSON.stringify(shown, null, 2));
  return 0;
}

/** Every registry item, sorted by cluster id. */
export async function allClusters(ctx: ClustersContext): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const item of ctx.table.all()) items.push(item);
  return items.sort((a, b) => String(a.cluster_id).localeCompare(String(b.cluster_id)));
}

/** `clusters list`: one line per cluster (only those serving `--tenant` when given). */
export async function listClusters(ctx: ClustersContext): Promise<number> {
  const tenant = flag(ctx.values, "tenant");
  const rows = (await allClusters(ctx)).map((item) => {
    const result = validateCluster(item);
    const tenants = item.tenants instanceof Set ? [...item.tenants].map(String).sort() : [];
    return {
      cluster_id: String(item.cluster_id),
      enabled: result.ok ? result.cluster.enabled : item.enabled !== false,
      tenants,
      writer_role_arn: String(item.writer_role_arn ?? ""),
      writer_role_id: String(item.writer_role_id ?? ""),
      status: result.ok ? "valid" : `invalid: ${result.problems.join("; ")}`,
    };
  }).filter((r) => !tenant || r.tenants.includes(tenant));
  if (ctx.values.json) {
    for (const r of rows) ctx.io.out(JSON.stringify(r));
    return 0;
  }
  if (rows.length === 0) {
    ctx.io.out(tenant ? `no cluster is registered for tenant "${tenant}"` : `table ${ctx.table.name} has no clusters`);
    return 0;
  }
  const table = [
    ["CLUSTER", "ENABLED", "TENANTS", "WRITER ROLE", "STATUS"],
    ...rows.map((r) => [r.cluster_id, String(r.enabled), r.tenants.join(","), r.writer_role_arn, r.status]),
  ];
  for (const line of textTable(table)) ctx.io.out(line);
  return 0;
}

/** `clusters remove`: unregisters a cluster (its writer stack stays: deleting it revokes the role). */
export async function removeCluster(ctx: ClustersContext): Promise<number> {
  const id = need(ctx.values, "cluster", "the cluster to unregister");
  const old = await ctx.table.remove(id);
  if (!old) {
    ctx.io.err(`cluster "${id}" is not registered in table ${ctx.table.name}`);
    return 1;
  }
  const stack = writerStackName(id);
  if (ctx.values.json) {
    ctx.io.out(JSON.stringify({ removed: { cluster_id: id }, writer_stack: stack }));
    return 0;
  }
  ctx.io.out(
    [
      `removed cluster "${id}": processors refuse its objects within CLUSTER_CACHE_TTL_SECONDS.`,
      `Its writer role may still write until its stack is deleted:`,
      `  aws cloudformation delete-stack --stack-name ${stack} --region ${ctx.config.region}`,
    ].join("\n"),
  );
  return 0;
}

/** `clusters enable` / `clusters disable`: the registry's kill switch for one cluster. */
export function setEnabled(enabled: boolean): (ctx: ClustersContext) => Promise<number> {
  return async (ctx) => {
    const item = await selectedItem(ctx, `the cluster to ${enabled ? "enable" : "disable"}`);
    if (!item) return 1;
    await ctx.table.put({ ...item, enabled, updated_at: new Date().toISOString() }, true);
    const id = String(item.cluster_id);
    ctx.io.out(
      ctx.values.json
        ? JSON.stringify({ cluster_id: id, enabled })
        : `cluster "${id}" is ${enabled ? "enabled" : "disabled"}: processors ${
          enabled ? "accept" : "refuse"
        } its objects within CLUSTER_CACHE_TTL_SECONDS`,
    );
    return 0;
  };
}

/** `clusters verify`: registry, writer role and stack agree, for one cluster or all. */
export async function verifyClusters(ctx: ClustersContext): Promise<number> {
  const id = flag(ctx.values, "cluster");
  const stackName = flag(ctx.values, "stack-name");
  if (stackName && !id) throw new UsageError("--stack-name needs --cluster");
  const bucket = flag(ctx.values, "bucket") ?? ctx.centralBucket;
  if (!bucket) throw new UsageError("--bucket is required (or set CENTRAL_BUCKET): the central bucket");
  const items = id ? [await selectedItem(ctx, "")].filter((i) => i !== undefined) : await allClusters(ctx);
  if (id && items.length === 0) return 1;
  if (items.length === 0) {
    if (!ctx.values.json) ctx.io.out(`table ${ctx.table.name} has no clusters`);
    return 0;
  }
  const iam = new IAMClient(clientConfig(ctx.settings, "IAM"));
  const cf = new CloudFormationClient(clientConfig(ctx.settings, "CloudFormation"));
  const s3 = new S3Client(clientConfig(ctx.settings, "S3"));
  let ok = true;
  try {
    let kmsKeyArn = flag(ctx.values, "kms-key-arn");
    if (!kmsKeyArn) {
      try {
        kmsKeyArn = await bucketKmsKey(s3, bucket);
      } catch (err) {
        ctx.io.err(`note: the bucket key is not checked: ${errorMessage(err)}`);
      }
    }
    for (const item of items) {
      const result = validateCluster(item);
      let report: ClusterVerifyReport;
      if (!result.ok) {
        report = {
          cluster_id: String(item.cluster_id),
          ok: false,
          checks: [{
            check: "registry",
            ok: false,
            detail: `invalid item, the processor refuses the cluster: ${result.problems.join("; ")}`,
          }],
        };
      } else {
        const c = result.cluster;
        const { name } = parseRoleArn(c.writerRoleArn);
        const partition = c.writerRoleArn.split(":")[1] ?? "aws";
        const facts = await writerRoleFacts({ iam, cf }, {
          roleName: name,
          stackName: stackName ?? writerStackName(c.clusterId),
        });
        report = verifyWriterRole(c, { target: { bucket, partition, ...(kmsKeyArn ? { kmsKeyArn } : {}) }, facts });
      }
      ok &&= report.ok;
      ctx.io.out(ctx.values.json ? JSON.stringify(report) : formatClusterVerifyReport(report));
    }
  } finally {
    iam.destroy();
    cf.destroy();
    s3.destroy();
  }
  return ok ? 0 : 1;
}
