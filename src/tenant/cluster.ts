/**
 * The validated form of one cluster-registry item (DESIGN 1.6) and what a
 * registry lookup can find.
 *
 * @module
 */

/** A registered cluster: who writes its objects and for which tenants. */
export interface Cluster {
  readonly clusterId: string;
  /** Tenant ids whose pods this cluster ships (never empty). */
  readonly tenants: readonly string[];
  /** The cluster's own writer role. */
  readonly writerRoleArn: string;
  /** That role's unique id (`AROA…`), resolved through IAM at registration. */
  readonly writerRoleId: string;
  readonly enabled: boolean;
}

/** What the registry holds for one `cluster_id`. */
export type ClusterLookup =
  | { readonly kind: "registered"; readonly cluster: Cluster }
  /** An item exists but breaks DESIGN 1.6: the cluster is refused until it is fixed. */
  | { readonly kind: "invalid"; readonly clusterId: string; readonly problems: readonly string[] }
  | { readonly kind: "unregistered"; readonly clusterId: string };

/** The account id inside a role ARN (`arn:aws:iam::<account>:role/…`). */
export function roleAccount(roleArn: string): string | undefined {
  return roleArn.match(/^arn:aws[a-z-]*:iam::(\d{12}):role\//)?.[1];
}
