/**
 * `tenants add`: validates the delivery with the processor's own rules,
 * keeps or generates its ExternalId (deliveries sharing a customer role share
 * one), writes it, and prints the customer-stack command.
 *
 * @module
 */
import { validationContext } from "../config.ts";
import { describeDestination } from "../tenant/delivery.ts";
import { tenantFromItems } from "../tenant/tenant_store.ts";
import { rolePatternWarning } from "./customer_role_pattern.ts";
import { customerStack } from "./customer_stack_command.ts";
import { type AddFlags, buildTenantItem, generateExternalId } from "./tenant_item.ts";
import { ItemExistsError } from "./tenant_table.ts";
import { UsageError } from "../errors.ts";
import type { TenantsContext } from "./tenants_context.ts";

/** Runs `tenants add`; resolves to the exit status. */
export async function addTenant(ctx: TenantsContext): Promise<number> {
  const v = ctx.values;
  const s = (k: string) => v[k] as string | undefined;
  const flags: AddFlags = {
    tenant: s("tenant"),
    delivery: s("delivery"),
    type: s("type"),
    roleArn: s("role-arn"),
    externalId: s("external-id"),
    region: s("region"),
    logGroup: s("log-group"),
    retentionDays: s("retention-days"),
    bucket: s("bucket"),
    bucketPrefix: s("bucket-prefix"),
    applications: s("applications"),
    disabled: v.disabled === true,
  };
  const existing = flags.tenant ? await ctx.table.items(flags.tenant) : [];
  const deliveryId = flags.delivery ?? flags.type;
  const current = existing.find((i) => i.delivery_id === deliveryId);
  if (current && !v.replace) {
    throw new ItemExistsError(
      `delivery "${deliveryId}" of tenant "${flags.tenant}" exists already; add --replace to overwrite it`,
    );
  }
  const siblings = tenantFromItems(flags.tenant ?? "", existing).deliveries
    .filter((d) => d.deliveryId !== deliveryId && d.roleArn === flags.roleArn);
  const sibling = siblings[0];
  const shared = sibling?.externalId;
  if (flags.externalId && sibling && shared && flags.externalId !== shared) {
    throw new UsageError(
      `--external-id differs from delivery "${sibling.deliveryId}", which uses the same role; ` +
        `a customer role trusts one ExternalId`,
    );
  }
  const kept = typeof current?.external_id === "string" && current.role_arn === flags.roleArn
    ? current.external_id
    : undefined;
  const externalId = flags.externalId ?? shared ?? kept ?? generateExternalId();
  const generated = !flags.externalId && !shared && !kept;
  const built = buildTenantItem(flags, externalId, validationContext(ctx.config));
  if (!built.ok) throw new UsageError(`invalid delivery:\n  - ${built.problems.join("\n  - ")}`);
  await ctx.table.put(built.item, v.replace === true);
  const stack = customerStack([built.delivery, ...siblings], {
    centralRoleArn: ctx.config.centralRoleArn,
    defaultRegion: ctx.config.region,
  });
  const clusters = (await ctx.clusters.clustersByTenant()).get(built.delivery.tenantId) ?? [];
  const warnings = [...stack.warnings];
  const known = await ctx.rolePatterns();
  if ("problem" in known) {
    warnings.push(
      `could not read the central role's CustomerRoleNamePattern (${known.problem}); set ` +
        `CUSTOMER_ROLE_NAME_PATTERN to check that it may assume ${built.delivery.roleArn}`,
    );
  } else {
    const warning = rolePatternWarning(built.delivery.roleArn, known.patterns, known.source);
    if (warning) warnings.push(warning);
  }
  if (v.json) {
    ctx.io.out(
      JSON.stringify({ item: built.item, external_id_generated: generated, customer_stack: stack, clusters, warnings }),
    );
    return 0;
  }
  const d = built.delivery;
  ctx.io.out(
    [
      `${
        current ? "Replaced" : "Added"
      } delivery "${d.deliveryId}" of tenant "${d.tenantId}" in table ${ctx.table.name}:`,
      `  ${describeDestination(d)}${d.enabled ? "" : " (disabled)"}`,
      `  role ${d.roleArn}`,
      `  ExternalId ${d.externalId}${
        generated
          ? " (generated; share it only with this customer)"
          : shared
          ? " (shared with the role's other deliveries)"
          : ""
      }`,
      "",
      `The customer deploys this stack in account ${stack.account}, region ${stack.region}` +
      (siblings.length ? ` (it covers deliveries ${[d, ...siblings].map((x) => x.deliveryId).join(", ")})` : "") +
      ":",
      "",
      stack.command,
      "",
      ...warnings.map((w) => `Warning: ${w}`),
      ...(clusters.length === 0
        ? [
          `Warning: no cluster is registered for tenant "${d.tenantId}" yet: its objects are refused until one is ` +
          `(log-processor clusters add --cluster <cluster_id> --tenants ${d.tenantId} ...)`,
        ]
        : [`Clusters registered for it: ${clusters.join(", ")}`]),
      `Then check the chain: log-processor tenants verify --tenant ${d.tenantId} --delivery ${d.deliveryId}`,
    ].join("\n"),
  );
  return 0;
}
