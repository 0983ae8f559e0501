/**
 * What every `tenants` subcommand receives, and the small helpers they share.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { ClientSettings } from "../aws/client_config.ts";
import type { Config } from "../config.ts";
import type { ClusterTable } from "./cluster_table.ts";
import type { TenantTable } from "./tenant_table.ts";

/** Where a command writes (swappable in tests). */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Parsed flags. */
export type Values = Record<string, string | boolean | undefined>;

/** One subcommand's world. */
export interface TenantsContext {
  readonly config: Config;
  readonly settings: ClientSettings;
  readonly table: TenantTable;
  /** The cluster registry: `tenants list` shows each tenant's clusters. */
  readonly clusters: ClusterTable;
  readonly values: Values;
  readonly io: CliIo;
  /**
   * The customer-role patterns the central role may assume, and where they
   * come from; or why they could not be read.
   */
  readonly rolePatterns: () => Promise<{ patterns: string[]; source: string } | { problem: string }>;
}

/** A required string flag. */
export function need(values: Values, flag: string, why: string): string {
  const v = values[flag];
  if (typeof v !== "string" || v.trim() === "") throw new UsageError(`--${flag} is required (${why})`);
  return v.trim();
}

/** The items of `--tenant` (only `--delivery` when given); undefined (reported) when there are none. */
export async function selectedItems(
  ctx: TenantsContext,
  why: string,
): Promise<Record<string, unknown>[] | undefined> {
  const tenant = need(ctx.values, "tenant", why);
  const delivery = ctx.values.delivery as string | undefined;
  const items = (await ctx.table.items(tenant)).filter((i) => !delivery || i.delivery_id === delivery);
  if (items.length > 0) return items;
  ctx.io.err(`no ${delivery ? `delivery "${delivery}" of ` : "deliveries for "}tenant "${tenant}"`);
  return undefined;
}
