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
import { clientConfig } from "../aws/client_config.ts";
import { configDefaults } from "../aws/profile_region.ts";
import { clientSettings, type Config, loadConfig } from "../config.ts";
import { ConfigError, errorMessage, UsageError } from "../errors.ts";
import { ClusterTable } from "./cluster_table.ts";
import { TenantTable } from "./tenant_table.ts";
import { addTenant } from "./tenants_add.ts";
import type { CliIo, TenantsContext, Values } from "./tenants_context.ts";
import { getTenant, listTenants, removeTenant, verifyTenant } from "./tenants_manage.ts";

export type { CliIo };

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
  list    [--tenant ID]                    one line per delivery, with the tenant's registered
                                           clusters (log-processor clusters)
  remove  --tenant ID (--delivery ID | --all)
  verify  --tenant ID [--delivery ID]      assume the central role, then the customer
          role with the ExternalId, then reach the destination; reports each step

Every command takes --json (machine-readable output) and --help.
Environment: TENANT_CONFIG_TABLE, CLUSTER_TABLE, CENTRAL_LOG_DISTRIBUTION_ROLE_ARN, AWS_REGION,
optional CENTRAL_BUCKET (refuses s3 deliveries into it), AWS_ENDPOINT_URL.
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

const SUBCOMMANDS: Record<string, (ctx: TenantsContext) => Promise<number>> = {
  add: addTenant,
  get: getTenant,
  list: listTenants,
  remove: removeTenant,
  verify: verifyTenant,
};

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
    config = loadConfig(env, "manual", await configDefaults(env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`tenants ${sub}: invalid configuration: ${err.message}`);
    return 2;
  }
  const settings = clientSettings(config);
  const dynamo = new DynamoDBClient(clientConfig(settings, "DynamoDB"));
  try {
    const table = new TenantTable(dynamo, config.tenantTable);
    const clusters = new ClusterTable(dynamo, config.clusterTable);
    return await handler({ config, settings, table, clusters, values, io });
  } catch (err) {
    io.err(`tenants ${sub}: ${errorMessage(err)}`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    dynamo.destroy();
  }
}
