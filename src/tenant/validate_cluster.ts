/**
 * Validates one cluster-registry item (already unmarshalled to plain values)
 * against DESIGN 1.6. Pure; used by the processor and by `clusters add`.
 *
 * @module
 */
import { ROLE_ARN_PATTERN, ROLE_ID_PATTERN } from "../aws/name_rules.ts";
import { isValidSegment } from "../notification/parse_key.ts";
import type { Cluster } from "./cluster.ts";

/** Why an item was refused: each problem names its attribute. */
export type ClusterValidation =
  | { readonly ok: true; readonly cluster: Cluster }
  | { readonly ok: false; readonly clusterId: string; readonly problems: readonly string[] };

/** The members of a string set or list; undefined when `value` is neither. */
function members(value: unknown): unknown[] | undefined {
  if (value instanceof Set) return [...value];
  if (Array.isArray(value)) return value;
  return undefined;
}

/** Validates `item`; every problem is listed, not only the first. */
export function validateCluster(item: Readonly<Record<string, unknown>>): ClusterValidation {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const v = item[name];
    if (v === undefined || v === null) {
      problems.push(`${name} is required`);
      return undefined;
    }
    if (typeof v !== "string") {
      problems.push(`${name} must be a string`);
      return undefined;
    }
    return v;
  };
  const clusterId = text("cluster_id");
  if (clusterId !== undefined && !isValidSegment(clusterId)) {
    problems.push(`cluster_id ${JSON.stringify(clusterId)} is not a valid cluster_id segment`);
  }
  const tenants: string[] = [];
  const list = members(item.tenants);
  if (item.tenants === undefined || item.tenants === null) problems.push("tenants is required");
  else if (list === undefined) problems.push("tenants must be a string set");
  else if (list.length === 0) problems.push("tenants must not be empty");
  else {
    for (const t of list) {
      if (typeof t === "string" && isValidSegment(t)) tenants.push(t);
      else problems.push(`tenants entry ${JSON.stringify(t)} is not a valid customer_id segment`);
    }
  }
  const writerRoleArn = text("writer_role_arn");
  if (writerRoleArn !== undefined && !ROLE_ARN_PATTERN.test(writerRoleArn)) {
    problems.push(`writer_role_arn ${JSON.stringify(writerRoleArn)} is not an IAM role ARN`);
  }
  const writerRoleId = text("writer_role_id");
  if (writerRoleId !== undefined && !ROLE_ID_PATTERN.test(writerRoleId)) {
    problems.push(`writer_role_id ${JSON.stringify(writerRoleId)} is not an IAM role id (AROA…)`);
  }
  let enabled = true;
  if (item.enabled !== undefined && item.enabled !== null) {
    if (typeof item.enabled === "boolean") enabled = item.enabled;
    else problems.push("enabled must be a boolean");
  }
  if (problems.length > 0 || !clusterId || !writerRoleArn || !writerRoleId) {
    return { ok: false, clusterId: clusterId ?? "", problems };
  }
  return {
    ok: true,
    cluster: { clusterId, tenants: [...new Set(tenants)].sort(), writerRoleArn, writerRoleId, enabled },
  };
}
