/**
 * `log-processor tenants add|get|list|remove|verify`: tenant onboarding for
 * operators. Uses the processor's environment (TENANT_CONFIG_TABLE,
 * CENTRAL_LOG_DISTRIBUTION_ROLE_ARN, AWS_REGION, AWS_ENDPOINT_URL) and its
 * own validation, role chain and destination clients.
 *
 * @module
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { parseArgs } from "node:util";
import { clientConfig, type ClientSettings } from "../aws/client_config.ts";
import { DestinationClients } from "../aws/destination_clients.ts";
import { RoleChain } from "../aws/role_chain.ts";
import { StsRoleAssumer } from "../aws/sts_role_assumer.ts";
import { type Config, loadConfig } from "../config.ts";
import { ConfigError, errorMessage } from "../errors.ts";
import { describeDestination } from "../tenant/delivery.ts";
import { tenantFromItems } from "../tenant/tenant_store.ts";
import { customerStack } from "./customer_stack_command.ts";
import { sdkProbes } from "./destination_probe.ts";
import { type AddFlags, buildTenantItem, generateExternalId } from "./tenant_item.ts";
import { ItemExistsError, TenantTable } from "./tenant_table.ts";
import { formatVerifyReport, verifyDelivery } from "./verify_delivery.ts";

/** Where the command writes (swappable in tests). */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

type Env = Readonly<Record<string, string | undefined>>;

export const TENANTS_USAGE = `Usage: log-processor tenants <command> [options]

Commands:
  add     --tenant ID --type cloudwatch|s3 --role-arn ARN [--delivery ID]
          [--external-id ID] [--region REGION] [--applications a,b] [--disabled]
          cloudwatch: --log-group NAME [--retention-days N]
          s3:         --bucket NAME [--bucket-prefix PREFIX]
          [--replace]  overwrite an existing delivery (keeps its ExternalId)
          Validates the item, generates a random ExternalId when none is given
          (deliveries sharing a role share its ExternalId), writes it, and prints
          the customer-stack command for the customer.
  get     --tenant ID [--delivery ID]      items as stored, with validation problems
  list    [--tenant ID]                    one line per delivery
  remove  --tenant ID (--delivery ID | --all)
  verify  --tenant ID [--delivery ID]      assume the central role, then the customer
          role with the ExternalId, then reach the destination; reports each step

Every command takes --json (machine-readable output) and --help.
Environment: TENANT_CONFIG_TABLE, CENTRAL_LOG_DISTRIBUTION_ROLE_ARN, AWS_REGION,
optional CENTRAL_BUCKET_NAME (refuses s3 deliveries into it), AWS_ENDPOINT_URL.
`;

const FLAGS = {
  tenant: { type: "string" },
  delivery: { type: "string" },
  type: { type: "string" },
  "role-arn": { type: "string" },
  "external-id": { type: "string" },
  region: { type: "string" },
  "log-group": { type: "string" },
  "retention-days": { type: "string" },
  bucket: { type: "string" },
  "bucket-prefix": { type: "string" },
  applications: { type: "string" },
  disabled: { type: "boolean" },
  replace: { type: "boolean" },
  all: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = Record<string, string | boolean | undefined>;

/** A mistake in the command line: exit status 2. */
class Usage extends Error {}

interface Context {
  readonly config: Config;
  readonly settings: ClientSettings;
  readonly table: TenantTable;
  readonly values: Values;
  readonly io: CliIo;
  readonly centralBucket?: string;
}

const SUBCOMMANDS: Record<string, (ctx: Context) => Promise<number>> = { add, get, list, remove, verify };

/** Runs `tenants …`; resolves to the exit status. */
export async function runTenants(args: string[], env: Env, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
    io.out(TENANTS_USAGE);
    return sub ? 0 : 2;
  }
  const handler = SUBCOMMANDS[sub];
  if (!handler) {
    io.err(`tenants: unknown command "${sub}"\n\n${TENANTS_USAGE}`);
    return 2;
  }
  let values: Values;
  try {
    values = parseArgs({ args: rest, options: FLAGS, allowPositionals: false }).values;
  } catch (err) {
    io.err(`tenants ${sub}: ${errorMessage(err)}\n\n${TENANTS_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(TENANTS_USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(env, "manual");
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`tenants ${sub}: invalid configuration: ${err.message}`);
    return 2;
  }
  const settings: ClientSettings = { region: config.region, endpointUrl: config.endpointUrl };
  const dynamo = new DynamoDBClient(clientConfig(settings));
  const centralBucket = env.CENTRAL_BUCKET_NAME?.trim() || undefined;
  try {
    const table = new TenantTable(dynamo, config.tenantTable);
    return await handler({ config, settings, table, values, io, centralBucket });
  } catch (err) {
    io.err(`tenants ${sub}: ${errorMessage(err)}`);
    return err instanceof Usage ? 2 : 1;
  } finally {
    dynamo.destroy();
  }
}

function need(values: Values, flag: string, why: string): string {
  const v = values[flag];
  if (typeof v !== "string" || v.trim() === "") throw new Usage(`--${flag} is required (${why})`);
  return v.trim();
}

async function add(ctx: Context): Promise<number> {
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
  const shared = siblings[0]?.externalId;
  if (flags.externalId && shared && flags.externalId !== shared) {
    throw new Usage(
      `--external-id differs from delivery "${siblings[0].deliveryId}", which uses the same role; ` +
        `a customer role trusts one ExternalId`,
    );
  }
  const kept = typeof current?.external_id === "string" && current.role_arn === flags.roleArn
    ? current.external_id
    : undefined;
  const externalId = flags.externalId ?? shared ?? kept ?? generateExternalId();
  const generated = !flags.externalId && !shared && !kept;
  const built = buildTenantItem(flags, externalId, { centralBucket: ctx.centralBucket });
  if (!built.ok) throw new Usage(`invalid delivery:\n  - ${built.problems.join("\n  - ")}`);
  await ctx.table.put(built.item, v.replace === true);
  const stack = customerStack([built.delivery, ...siblings], ctx.config.centralRoleArn, ctx.config.region);
  if (v.json) {
    ctx.io.out(JSON.stringify({ item: built.item, external_id_generated: generated, customer_stack: stack }));
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
      ...stack.warnings.map((w) => `Warning: ${w}`),
      `Then check the chain: log-processor tenants verify --tenant ${d.tenantId} --delivery ${d.deliveryId}`,
    ].join("\n"),
  );
  return 0;
}

async function get(ctx: Context): Promise<number> {
  const tenant = need(ctx.values, "tenant", "the tenant to show");
  const delivery = ctx.values.delivery as string | undefined;
  const items = (await ctx.table.items(tenant)).filter((i) => !delivery || i.delivery_id === delivery);
  if (items.length === 0) {
    ctx.io.err(`no ${delivery ? `delivery "${delivery}" of ` : "deliveries for "}tenant "${tenant}"`);
    return 1;
  }
  const config = tenantFromItems(tenant, items, { centralBucket: ctx.centralBucket });
  for (const item of items) {
    const invalid = config.invalid.find((i) => i.deliveryId === item.delivery_id);
    const shown = { ...item, valid: !invalid, ...(invalid ? { problems: invalid.problems } : {}) };
    ctx.io.out(ctx.values.json ? JSON.stringify(shown) : JSON.stringify(shown, null, 2));
  }
  return 0;
}

async function list(ctx: Context): Promise<number> {
  const tenant = ctx.values.tenant as string | undefined;
  const items: Record<string, unknown>[] = [];
  if (tenant) items.push(...await ctx.table.items(tenant));
  else for await (const item of ctx.table.all()) items.push(item);
  items.sort((a, b) => `${a.tenant_id}\n${a.delivery_id}`.localeCompare(`${b.tenant_id}\n${b.delivery_id}`));
  const rows = items.map((item) => {
    const config = tenantFromItems(String(item.tenant_id), [item], { centralBucket: ctx.centralBucket });
    const d = config.deliveries[0];
    return {
      tenant_id: item.tenant_id,
      delivery_id: item.delivery_id,
      type: item.type,
      enabled: d ? d.enabled : item.enabled !== false,
      account: String(item.role_arn ?? "").match(/::(\d{12}):/)?.[1] ?? "",
      destination: d ? describeDestination(d) : "",
      status: d ? "valid" : `invalid: ${config.invalid[0]?.problems.join("; ")}`,
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
  };
  const table = [header, ...rows].map((r) => Object.values(r).map(String));
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  for (const r of table) ctx.io.out(r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd());
  return 0;
}

async function remove(ctx: Context): Promise<number> {
  const tenant = need(ctx.values, "tenant", "whose delivery to remove");
  const delivery = ctx.values.delivery as string | undefined;
  if (!delivery && !ctx.values.all) {
    throw new Usage("give --delivery ID, or --all to remove every delivery of the tenant");
  }
  if (delivery && ctx.values.all) throw new Usage("give either --delivery or --all, not both");
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

async function verify(ctx: Context): Promise<number> {
  const tenant = need(ctx.values, "tenant", "whose deliveries to verify");
  const delivery = ctx.values.delivery as string | undefined;
  const items = (await ctx.table.items(tenant)).filter((i) => !delivery || i.delivery_id === delivery);
  if (items.length === 0) {
    ctx.io.err(`no ${delivery ? `delivery "${delivery}" of ` : "deliveries for "}tenant "${tenant}"`);
    return 1;
  }
  const roles = new RoleChain(new StsRoleAssumer(ctx.settings), ctx.config.centralRoleArn);
  const clients = new DestinationClients(ctx.settings, roles);
  const probes = sdkProbes(roles, clients, ctx.config.centralRoleArn);
  let ok = true;
  try {
    for (const item of items) {
      const report = await verifyDelivery(item, probes, { centralBucket: ctx.centralBucket });
      ok &&= report.ok;
      ctx.io.out(ctx.values.json ? JSON.stringify(report) : formatVerifyReport(report));
    }
  } finally {
    clients.destroy();
  }
  return ok ? 0 : 1;
}
