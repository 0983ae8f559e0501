/**
 * `clusters add` values → one registry item (DESIGN 1.6), validated with the
 * processor's own {@link validateCluster}. Pure.
 *
 * @module
 */
import type { Cluster } from "../tenant/cluster.ts";
import { validateCluster } from "../tenant/validate_cluster.ts";

/** What a registration says. */
export interface ClusterRegistration {
  readonly clusterId: string;
  readonly tenants: readonly string[];
  readonly writerRoleArn: string;
  readonly writerRoleId: string;
  readonly enabled: boolean;
  /** When it was written (kept in the item for operators). */
  readonly now: Date;
}

/** The item to write, or every problem found (each naming its flag). */
export type BuiltCluster =
  | { readonly ok: true; readonly item: Record<string, unknown>; readonly cluster: Cluster }
  | { readonly ok: false; readonly problems: readonly string[] };

const FLAG_OF: Readonly<Record<string, string>> = {
  cluster_id: "--cluster",
  tenants: "--tenants",
  writer_role_arn: "--role-arn",
  writer_role_id: "the role's id from IAM",
};

/** `a, b,,c` → `["a", "b", "c"]`. */
export function parseTenantList(raw: string | undefined): string[] {
  return (raw ?? "").split(",").map((t) => t.trim()).filter((t) => t !== "");
}

/** Builds and validates the registry item of `registration`. */
export function buildClusterItem(registration: ClusterRegistration): BuiltCluster {
  const item: Record<string, unknown> = {
    cluster_id: registration.clusterId,
    tenants: new Set(registration.tenants),
    writer_role_arn: registration.writerRoleArn,
    writer_role_id: registration.writerRoleId,
    enabled: registration.enabled,
    updated_at: registration.now.toISOString(),
  };
  const result = validateCluster(item);
  if (result.ok) return { ok: true, item, cluster: result.cluster };
  const withFlag = (p: string) => {
    const attribute = Object.keys(FLAG_OF).find((a) => p.startsWith(a));
    return attribute ? `${p} (${FLAG_OF[attribute]})` : p;
  };
  return { ok: false, problems: result.problems.map(withFlag) };
}
