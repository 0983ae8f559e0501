/**
 * What every `clusters` subcommand receives, and the small helpers they share.
 *
 * @module
 */
import type { ClientSettings } from "../aws/client_config.ts";
import type { Config } from "../config.ts";
import type { ClusterTable } from "./cluster_table.ts";
import type { TenantTable } from "./tenant_table.ts";
import type { CliIo, Values } from "./tenants_context.ts";

/** One subcommand's world. */
export interface ClustersContext {
  readonly config: Config;
  readonly settings: ClientSettings;
  readonly table: ClusterTable;
  /** The tenant table, to warn about tenants that have no delivery yet. */
  readonly tenants: TenantTable;
  readonly values: Values;
  readonly io: CliIo;
  /** CENTRAL_BUCKET: the default of --bucket. */
  readonly centralBucket?: string;
}

/** A string flag, trimmed; undefined when absent or empty. */
export function flag(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** A registry item as output: string sets become sorted lists. */
export function printableItem(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[k] = v instanceof Set ? [...v].map(String).sort() : v;
  return out;
}

/** The central account and partition: those of CENTRAL_LOG_DISTRIBUTION_ROLE_ARN (writer roles live there). */
export function centralAccount(config: Config): { account: string; partition: string } {
  const m = config.centralRoleArn.match(/^arn:(aws[a-z-]*):iam::(\d{12}):/);
  return { partition: m?.[1] ?? "aws", account: m?.[2] ?? "" };
}
