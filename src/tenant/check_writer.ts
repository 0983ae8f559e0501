/**
 * The tenant boundary at ingestion (DESIGN 1.6), as one pure decision: may
 * the object at this path, announced with this writer identity, be delivered
 * given what the cluster registry says? No I/O; the pipeline looks the
 * cluster up and acts on the verdict.
 *
 * @module
 */
import type { RefusalReason } from "../results.ts";
import { type ClusterLookup, roleAccount } from "./cluster.ts";

export type { RefusalReason } from "../results.ts";

/** Who the notification says wrote the object (both absent: it does not say). */
export interface WriterIdentity {
  /** S3 event records: `userIdentity.principalId`, e.g. `AWS:AROA…:session`. */
  readonly principalId?: string;
  /** EventBridge events: `detail.requester`, an account id or a service principal. */
  readonly requester?: string;
}

/** How far the writer was verified when a write is accepted. */
export type WriterCheck =
  /** The principal was a session of the cluster's writer role. */
  | "role"
  /** EventBridge: the requester was the writer role's account (events name no role). */
  | "account"
  /** The notification named no writer (replay, moto, hand-made messages): registry only. */
  | "unverified";

/** The verdict on one object. */
export type WriterVerdict =
  | { readonly ok: true; readonly writer: WriterCheck }
  | { readonly ok: false; readonly reason: RefusalReason; readonly message: string };

/** What the check looks at. */
export interface WriteAttempt {
  /** The key's `customer_id` and `cluster_id` segments. */
  readonly path: { readonly customerId: string; readonly clusterId: string };
  /** The registry's answer for `path.clusterId`. */
  readonly lookup: ClusterLookup;
  readonly identity: WriterIdentity;
  /** Refuse objects whose notification names no writer (`REQUIRE_WRITER_IDENTITY`). */
  readonly requireIdentity: boolean;
}

/** A principal id as S3 reports it. */
type Principal =
  | { readonly kind: "role-session"; readonly roleId: string; readonly session: string }
  | { readonly kind: "iam-user"; readonly userId: string }
  | { readonly kind: "other"; readonly value: string };

/** Parses `userIdentity.principalId`: `AWS:<RoleId>:<session>` is a role session. */
function parsePrincipal(principalId: string): Principal {
  const role = principalId.match(/^AWS:(AROA[A-Z0-9]+):(.+)$/);
  if (role?.[1] && role[2]) return { kind: "role-session", roleId: role[1], session: role[2] };
  const user = principalId.match(/^AWS:(AIDA[A-Z0-9]+)$/);
  if (user?.[1]) return { kind: "iam-user", userId: user[1] };
  return { kind: "other", value: principalId };
}

const refuse = (reason: RefusalReason, message: string): WriterVerdict => ({ ok: false, reason, message });

/** Decides whether the write described by `attempt` is allowed. */
export function checkWriter(attempt: WriteAttempt): WriterVerdict {
  const { path, lookup, identity } = attempt;
  const cluster = JSON.stringify(path.clusterId);
  const tenant = JSON.stringify(path.customerId);
  if (lookup.kind === "unregistered") {
    return refuse("unregistered_cluster", `cluster ${cluster} is not registered (CLUSTER_TABLE)`);
  }
  if (lookup.kind === "invalid") {
    return refuse(
      "invalid_cluster",
      `cluster ${cluster} has an invalid registry item (${lookup.problems.join("; ")}); it is refused until fixed`,
    );
  }
  const c = lookup.cluster;
  if (!c.enabled) return refuse("cluster_disabled", `cluster ${cluster} is disabled in the registry`);
  if (!c.tenants.includes(path.customerId)) {
    return refuse(
      "tenant_not_on_cluster",
      `cluster ${cluster} is not registered for tenant ${tenant} (it serves ${c.tenants.join(", ")})`,
    );
  }
  if (identity.principalId !== undefined) {
    const p = parsePrincipal(identity.principalId);
    if (p.kind === "role-session") {
      if (p.roleId === c.writerRoleId) return { ok: true, writer: "role" };
      return refuse(
        "writer_mismatch",
        `written by role ${p.roleId} (session ${JSON.stringify(p.session)}), not by cluster ${cluster}'s ` +
          `writer role ${c.writerRoleId}`,
      );
    }
    const who = p.kind === "iam-user" ? `IAM user ${p.userId}` : `principal ${JSON.stringify(p.value)}`;
    return refuse(
      "writer_not_a_role",
      `written by ${who}, not by a session of cluster ${cluster}'s writer role ${c.writerRoleId}`,
    );
  }
  if (identity.requester !== undefined) {
    const account = roleAccount(c.writerRoleArn);
    if (identity.requester === account) return { ok: true, writer: "account" };
    return refuse(
      "requester_mismatch",
      `requested by ${JSON.stringify(identity.requester)}, not by account ${account} of cluster ${cluster}'s ` +
        `writer role`,
    );
  }
  if (attempt.requireIdentity) {
    return refuse(
      "writer_unknown",
      `the notification names no writer and REQUIRE_WRITER_IDENTITY is on (cluster ${cluster})`,
    );
  }
  return { ok: true, writer: "unverified" };
}
