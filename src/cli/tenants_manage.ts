/**
 * `tenants get|list|remove|verify`: show, delete and check what the tenant
 * table holds.
 *
 * @module
 */
import { DestinationClients } from "../aws/destination_clients.ts";
import { RoleChain } from "../aws/role_chain.ts";
import { StsRoleAssumer } from "../aws/sts_role_assumer.ts";
import { validationContext } from "../config.ts";
import { describeDestination } from "../tenant/delivery.ts";
import { tenantFromItems } from "../tenant/tenant_store.ts";
import { sdkProbes } from "./destination_probe.ts";
import { UsageError } from "../errors.ts";
import { need, selectedItems, type TenantsContext } from "./tenants_context.ts";
import { textTable } from "./text_table.ts";
import { formatVerifyReport, verifyDelivery } from "./verify_delivery.ts";

/** `tenants get`: the items as stored, with validation problems. */
export async function getTenant(ctx: TenantsContext): Promise<number> {
  const items = await selectedItems(ctx, "the tenant to show");
  if (!items) return 1;
  const config = tenantFromItems(String(items[0]?.tenant_id), items, validationContext(ctx.config));
  for (const item of items) {
    const invalid = config.invalid.find((i) => i.deliveryId === item.delivery_id);
    const shown = { ...item, valid: !invalid, ...(invalid ? { problems: invalid.problems } : {}) };
    ctx.io.out(ctx.values.json ? JSON.stringify(shown) : JSON.stringify(shown, null, 2));
  }
  return 0;
}

/** `tenants list`: one line per delivery, with the clusters registered for its tenant. */
export async function listTenants(ctx: TenantsContext): Promise<number> {
  const tenant = ctx.values.tenant as string | undefined;
  const items: Record<string, unknown>[] = [];
  if (tenant) items.push(...await ctx.table.items(tenant));
  else for await (const item of ctx.table.all()) items.push(item);
  items.sort((a, b) => `${a.tenant_id}\n${a.delivery_id}`.localeCompare(`${b.tenant_id}\n${b.delivery_id}`));
  const clusters = await ctx.clusters.clustersByTenant();
  const rows = items.map((item) => {
    const config = tenantFromItems(String(item.tenant_id), [item], validationContext(ctx.config));
    const d = config.deliveries[0];
    return {
      tenant_id: item.tenant_id,
      delivery_id: item.delivery_id,
      type: item.type,
      enabled: d ? d.enabled : item.enabled !== false,
      account: String(item.role_arn ?? "").match(/::(\d{12}):/)?.[1] ?? "",
      destination: d ? describeDestination(d) : "",
      status: d ? "valid" : `invalid: ${config.invalid[0]?.problems.join("; ")}`,
      clusters: clusters.get(String(item.tenant_id)) ?? [],
    };
  });
  if (ctx.values.json) {
    for (const r of rows) ctx.io.out(JSON.stringify(r));
    return 0;
  }
  if (rows.length === 0) {
    ctx.io.out(tenant ? `no deliveries for tenant "${tenant}"` : `table ${ctx.table.name} has no deliveries`);
    return 0;
  }
  const header = {
    tenant_id: "TENANT",
    delivery_id: "DELIVERY",
    type: "TYPE",
    enabled: "ENABLED",
    account: "ACCOUNT",
    destination: "DESTINATION",
    status: "STATUS",
    clusters: "CLUSTERS",
  };
  const cells = (r: typeof header | (typeof rows)[number]) =>
    Object.values(r).map((v) => Array.isArray(v) ? (v.length ? v.join(",") : "(none registered)") : String(v));
  for (const line of textTable([header, ...rows].map(cells))) ctx.io.out(line);
  return 0;
}

/** `tenants remove`: deletes one delivery or all of a tenant's. */
export async function removeTenant(ctx: TenantsContext): Promise<number> {
  const tenant = need(ctx.values, "tenant", "whose delivery to remove");
  const delivery = ctx.values.delivery as string | undefined;
  if (!delivery && !ctx.values.all) {
    throw new UsageError("give --delivery ID, or --all to remove every delivery of the tenant");
  }
  if (delivery && ctx.values.all) throw new UsageError("give either --delivery or --all, not both");
  const ids = delivery ? [delivery] : (await ctx.table.items(tenant)).map((i) => String(i.delivery_id));
  let removed = 0;
  for (const id of ids) {
    const old = await ctx.table.remove(tenant, id);
    if (!old) {
      ctx.io.err(`no delivery "${id}" of tenant "${tenant}" in table ${ctx.table.name}`);
      continue;
    }
    removed++;
    ctx.io.out(
      ctx.values.json
        ? JSON.stringify({ removed: { tenant_id: tenant, delivery_id: id } })
        : `removed delivery "${id}" of tenant "${tenant}" (processors notice within their tenant cache TTL)`,
    );
  }
  if (ids.length === 0) ctx.io.err(`tenant "${tenant}" has no deliveries in table ${ctx.table.name}`);
  return removed > 0 && removed === ids.length ? 0 : 1;
}

/** `tenants verify`: walks the role chain of each selected delivery. */
export async function verifyTenant(ctx: TenantsContext): Promise<number> {
  const items = await selectedItems(ctx, "whose deliveries to verify");
  if (!items) return 1;
  const roles = new RoleChain(new StsRoleAssumer(ctx.settings), ctx.config.centralRoleArn);
  const clients = new DestinationClients(ctx.settings, roles);
  const probes = sdkProbes({ roles, clients, centralRoleArn: ctx.config.centralRoleArn });
  let ok = true;
  try {
    for (const item of items) {
      const report = await verifyDelivery(item, probes, validationContext(ctx.config));
      ok &&= report.ok;
      ctx.io.out(ctx.values.json ? JSON.stringify(report) : formatVerifyReport(report));
    }
  } finally {
    clients.destroy();
  }
  return ok ? 0 : 1;
}
