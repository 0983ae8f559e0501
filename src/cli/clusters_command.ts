/**
 * `log-processor clusters add|get|list|remove|enable|disable|verify`: the
 * cluster registry (DESIGN 1.6) for operators. Uses the processor's
 * environment (CLUSTER_TABLE, TENANT_CONFIG_TABLE,
 * CENTRAL_LOG_DISTRIBUTION_ROLE_ARN, AWS_REGION, AWS_ENDPOINT_URL,
 * CENTRAL_BUCKET) and its own validation.
 *
 * @module
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { parseArgs } from "node:util";
import { clientConfig, type ClientSettings } from "../aws/client_config.ts";
import { clientSettings, type Config, configDefaults, loadConfig } from "../config.ts";
import { ConfigError, errorMessage, UsageError } from "../errors.ts";
import { ClusterTable } from "./cluster_table.ts";
import { addCluster } from "./clusters_add.ts";
import type { ClustersContext } from "./clusters_context.ts";
import { getCluster, listClusters, removeCluster, setEnabled, verifyClusters } from "./clusters_manage.ts";
import { TenantTable } from "./tenant_table.ts";
import type { CliIo, Values } from "./tenants_context.ts";

type Env = Readonly<Record<string, string | undefined>>;

export const CLUSTERS_USAGE = `Usage: log-processor clusters <command> [options]

Every cluster that ships logs is registered here (CLUSTER_TABLE, DESIGN 1.6).
The processor refuses (permanent, WriterNotAllowed) an object whose cluster_id
is not registered or disabled, whose customer_id the cluster does not serve, or
whose S3 event names another writer than the cluster's own role.

Commands:
  add      --cluster ID --tenants a,b   and who the cluster's agents are:
             --principal-arn ARN        the agents' base role (or IAM user) assumes the writer role
             --oidc-provider-arn ARN    IRSA: the cluster's service account, through an IAM OIDC
                                        provider of the central account [--audience AUD]
             --eks-cluster-arn ARN      EKS Pod Identity (cluster in the central account)
             [--service-account NS:NAME] (default vector:vector)
           [--bucket NAME] (default CENTRAL_BUCKET) [--kms-key-arn ARN] (default: the bucket's key)
           [--role-name NAME] (default log-writer-<cluster>) [--deploy [--template PATH]]
           [--disabled] [--replace]
           Renders the writer stack (cloudformation/cluster-writer-role.yaml: PutObject only on
           <tenant>/<cluster>/* for these tenants); --deploy deploys it and waits. Then resolves the
           role's unique id through IAM, registers the cluster and prints the agent overlay values.
           Without --deploy, a role IAM does not have yet is not registered (exit 1): deploy the
           printed stack, then run the command again.
           --role-arn ARN instead registers an existing writer role (made outside this stack).
  get      --cluster ID                 the item as stored, with validation problems
  list     [--tenant ID]                one line per cluster (only those serving the tenant)
  remove   --cluster ID                 unregister (its writer stack stays until deleted)
  disable  --cluster ID                 refuse its objects (within CLUSTER_CACHE_TTL_SECONDS)
  enable   --cluster ID                 accept them again
  verify   [--cluster ID [--stack-name NAME]] [--bucket NAME] [--kms-key-arn ARN]
           the registry, the writer role in IAM (ARN, unique id, trust, policies: exactly the
           registered tenants' prefixes, nothing more) and its stack agree; every cluster by default

Every command takes --json (machine-readable output) and --help. Exit status: 0 done,
1 failed or not found, 2 usage or configuration error.
Environment: CLUSTER_TABLE, TENANT_CONFIG_TABLE, CENTRAL_LOG_DISTRIBUTION_ROLE_ARN (its account is
where writer roles live), AWS_REGION, CENTRAL_BUCKET, AWS_ENDPOINT_URL.
`;

const FLAGS = {
  cluster: { type: "string" },
  tenants: { type: "string" },
  tenant: { type: "string" },
  "principal-arn": { type: "string" },
  "oidc-provider-arn": { type: "string" },
  "eks-cluster-arn": { type: "string" },
  "service-account": { type: "string" },
  audience: { type: "string" },
  "role-arn": { type: "string" },
  "role-name": { type: "string" },
  bucket: { type: "string" },
  "kms-key-arn": { type: "string" },
  template: { type: "string" },
  "stack-name": { type: "string" },
  deploy: { type: "boolean" },
  disabled: { type: "boolean" },
  replace: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const SUBCOMMANDS: Record<string, (ctx: ClustersContext) => Promise<number>> = {
  add: addCluster,
  get: getCluster,
  list: listClusters,
  remove: removeCluster,
  disable: setEnabled(false),
  enable: setEnabled(true),
  verify: verifyClusters,
};

/** Runs `clusters …`; resolves to the exit status. */
export async function runClusters(args: string[], env: Env, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
    io.out(CLUSTERS_USAGE);
    return sub ? 0 : 2;
  }
  const handler = SUBCOMMANDS[sub];
  if (!handler) {
    io.err(`clusters: unknown command "${sub}"\n\n${CLUSTERS_USAGE}`);
    return 2;
  }
  let values: Values;
  try {
    values = parseArgs({ args: rest, options: FLAGS, allowPositionals: false }).values;
  } catch (err) {
    io.err(`clusters ${sub}: ${errorMessage(err)}\n\n${CLUSTERS_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(CLUSTERS_USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(env, "manual", await configDefaults(env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`clusters ${sub}: invalid configuration: ${err.message}`);
    return 2;
  }
  const settings: ClientSettings = clientSettings(config);
  const dynamo = new DynamoDBClient(clientConfig(settings, "DynamoDB"));
  try {
    return await handler({
      config,
      settings,
      table: new ClusterTable(dynamo, config.clusterTable),
      tenants: new TenantTable(dynamo, config.tenantTable),
      values,
      io,
      ...(config.centralBucket ? { centralBucket: config.centralBucket } : {}),
    });
  } catch (err) {
    io.err(`clusters ${sub}: ${errorMessage(err)}`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    dynamo.destroy();
  }
}
