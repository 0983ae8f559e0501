/**
 * `log-processor tenants add|get|list|remove|verify`: tenant onboarding for
 * operators. Uses the processor's environment (TENANT_CONFIG_TABLE,
 * CENTRAL_LOG_DISTRIBUTION_ROLE_ARN, AWS_REGION, AWS_ENDPOINT_URL) and its
 * own validation, role chain and destination clients.
 *
 * @module
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IAMClient } from "@aws-sdk/client-iam";
import { parseArgs } from "node:util";
import { clientConfig, type ClientSettings } from "../aws/client_config.ts";
import { clientSettings, type Config, configDefaults, customerRoleNamePatterns, loadConfig } from "../config.ts";
import { classifyAwsError } from "../aws/classify_error.ts";
import { ConfigError, errorMessage, UsageError } from "../errors.ts";
import { ClusterTable } from "./cluster_table.ts";
import { centralRolePatterns } from "./customer_role_pattern.ts";
import { jsonErrorLine } from "./json_error.ts";
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
Environment: TENANT_CONFIG_TABLE, CLUSTER_TABLE, CENTRAL_LOG_DISTRIBUTION_ROLE_ARN,
AWS_REGION (or the AWS_PROFILE's region), optional CENTRAL_BUCKET (refuses s3
deliveries into it), AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>. add warns
when the role name does not match the central role's CustomerRoleNamePattern
(read from its IAM policy, or CUSTOMER_ROLE_NAME_PATTERN).
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
  // With --json, results are JSON on stdout and errors one JSON line on stderr (json_error.ts).
  const json = rest.includes("--json");
  const command = `tenants ${sub}`;
  const fail = (status: number, code: string, message: string): number => {
    io.err(json ? jsonErrorLine(message, code, command) : `${command}: ${message}`);
    return status;
  };
  const handler = SUBCOMMANDS[sub];
  if (!handler) return fail(2, "UsageError", `unknown command "${sub}" (log-processor tenants --help lists them)`);
  let values: Values;
  try {
    values = parseArgs({ args: rest, options: FLAGS, allowPositionals: false }).values;
  } catch (err) {
    return fail(2, "UsageError", `${errorMessage(err)} (log-processor tenants --help lists the options)`);
  }
  if (values.help) {
    io.out(TENANTS_USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(env, "manual", await configDefaults(env));
  } catch (err) {
    const invalid = err instanceof ConfigError;
    return fail(invalid ? 2 : 1, invalid ? "ConfigError" : "Error", `invalid configuration: ${errorMessage(err)}`);
  }
  const out: CliIo = json ? { out: io.out, err: (t) => io.err(jsonErrorLine(t, "NotFound", command)) } : io;
  const settings: ClientSettings = clientSettings(config);
  const dynamo = new DynamoDBClient(clientConfig(settings, "DynamoDB"));
  const rolePatterns = () => customerRolePatterns(env, settings, config.centralRoleArn);
  try {
    const table = new TenantTable(dynamo, config.tenantTable);
    const clusters = new ClusterTable(dynamo, config.clusterTable);
    return await handler({ config, settings, table, clusters, values, io: out, rolePatterns });
  } catch (err) {
    if (err instanceof UsageError) return fail(2, "UsageError", errorMessage(err));
    return fail(1, classifyAwsError(err).code, errorMessage(err));
  } finally {
    dynamo.destroy();
  }
}

/** CUSTOMER_ROLE_NAME_PATTERN (comma-separated names with wildcards), else the central role's own policy. */
async function customerRolePatterns(
  env: Env,
  settings: ClientSettings,
  centralRoleArn: string,
): Promise<{ patterns: string[]; source: string } | { problem: string }> {
  const given = customerRoleNamePatterns(env);
  if (given) return { patterns: given.map((p) => `arn:*:iam::*:role/${p}`), source: "CUSTOMER_ROLE_NAME_PATTERN" };
  const iam = new IAMClient(clientConfig(settings, "IAM"));
  try {
    return { patterns: await centralRolePatterns(iam, centralRoleArn), source: `the policies of ${centralRoleArn}` };
  } catch (err) {
    return { problem: `${err instanceof Error ? err.name : "Error"}: ${errorMessage(err)}` };
  } finally {
    iam.destroy();
  }
}
