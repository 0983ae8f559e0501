import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import type { Cluster, ClusterLookup } from "./cluster.ts";
import { checkWriter, type RefusalReason, type WriteAttempt, type WriterIdentity } from "./check_writer.ts";
import { REFUSAL_REASONS } from "../results.ts";

const ROLE_ID = "AROAEXAMPLEWRITER0001";
const OTHER_ROLE_ID = "AROAEXAMPLEWRITER0002";
const CLUSTER: Cluster = {
  clusterId: "prod-1",
  tenants: ["acme", "globex"],
  writerRoleArn: "arn:aws:iam::123456789012:role/log-writer-prod-1",
  writerRoleId: ROLE_ID,
  enabled: true,
};
const registered = (patch: Partial<Cluster> = {}): ClusterLookup => ({
  kind: "registered",
  cluster: { ...CLUSTER, ...patch },
});

function attempt(patch: Partial<WriteAttempt> & { identity?: WriterIdentity } = {}): WriteAttempt {
  return {
    path: { customerId: "acme", clusterId: "prod-1" },
    lookup: registered(),
    identity: { principalId: `AWS:${ROLE_ID}:vector-agent` },
    requireIdentity: false,
    ...patch,
  };
}

/** The refusal reason and message of an attempt that must be refused. */
function refused(a: WriteAttempt): { reason: RefusalReason; message: string } {
  const verdict = checkWriter(a);
  if (verdict.ok) throw new Error(`expected a refusal, got ${JSON.stringify(verdict)}`);
  return { reason: verdict.reason, message: verdict.message };
}

Deno.test("a registered, enabled cluster writing its own tenant with its own role is accepted", () => {
  deepEqual(checkWriter(attempt()), { ok: true, writer: "role" });
  deepEqual(checkWriter(attempt({ path: { customerId: "globex", clusterId: "prod-1" } })), {
    ok: true,
    writer: "role",
  });
});

Deno.test("an unregistered cluster is refused, naming it", () => {
  deepEqual(refused(attempt({ lookup: { kind: "unregistered", clusterId: "prod-1" } })), {
    reason: "unregistered_cluster",
    message: 'cluster "prod-1" is not registered (CLUSTER_TABLE)',
  });
});

Deno.test("a cluster whose registry item is invalid is refused with the item's problems", () => {
  const lookup: ClusterLookup = { kind: "invalid", clusterId: "prod-1", problems: ["tenants must not be empty"] };
  deepEqual(refused(attempt({ lookup })), {
    reason: "invalid_cluster",
    message: 'cluster "prod-1" has an invalid registry item (tenants must not be empty); it is refused until fixed',
  });
});

Deno.test("a disabled cluster is refused even with the right tenant and role", () => {
  deepEqual(refused(attempt({ lookup: registered({ enabled: false }) })), {
    reason: "cluster_disabled",
    message: 'cluster "prod-1" is disabled in the registry',
  });
});

Deno.test("a tenant the cluster is not registered for is refused, naming cluster and tenant", () => {
  deepEqual(refused(attempt({ path: { customerId: "initech", clusterId: "prod-1" } })), {
    reason: "tenant_not_on_cluster",
    message: 'cluster "prod-1" is not registered for tenant "initech" (it serves acme, globex)',
  });
  // Tenant ids compare exactly: no prefix, case or whitespace tricks.
  for (const customerId of ["acm", "acme2", "ACME", "acme "]) {
    equal(refused(attempt({ path: { customerId, clusterId: "prod-1" } })).reason, "tenant_not_on_cluster");
  }
});

Deno.test("another role's session is refused as a writer mismatch", () => {
  deepEqual(refused(attempt({ identity: { principalId: `AWS:${OTHER_ROLE_ID}:vector-agent` } })), {
    reason: "writer_mismatch",
    message: `written by role ${OTHER_ROLE_ID} (session "vector-agent"), not by cluster "prod-1"'s writer role ` +
      ROLE_ID,
  });
  // A role id that merely starts with the right one is another role.
  equal(refused(attempt({ identity: { principalId: `AWS:${ROLE_ID}X:s` } })).reason, "writer_mismatch");
});

Deno.test("principals that are not role sessions are refused: IAM users, roots, malformed ids", () => {
  deepEqual(refused(attempt({ identity: { principalId: "AWS:AIDAEXAMPLEUSER00001" } })), {
    reason: "writer_not_a_role",
    message: `written by IAM user AIDAEXAMPLEUSER00001, not by a session of cluster "prod-1"'s writer role ${ROLE_ID}`,
  });
  for (const principalId of ["", "A3NL1KOZZKExample", "AWS:123456789012", `${ROLE_ID}:s`, `AWS:${ROLE_ID}`]) {
    equal(refused(attempt({ identity: { principalId } })).reason, "writer_not_a_role", principalId);
  }
});

Deno.test("EventBridge: the requester must be the writer role's account", () => {
  deepEqual(checkWriter(attempt({ identity: { requester: "123456789012" } })), { ok: true, writer: "account" });
  deepEqual(refused(attempt({ identity: { requester: "210987654321" } })), {
    reason: "requester_mismatch",
    message: 'requested by "210987654321", not by account 123456789012 of cluster "prod-1"\'s writer role',
  });
  equal(refused(attempt({ identity: { requester: "s3.amazonaws.com" } })).reason, "requester_mismatch");
});

Deno.test("a principal id wins over a requester when a notification carries both", () => {
  const identity = { principalId: `AWS:${OTHER_ROLE_ID}:x`, requester: "123456789012" };
  equal(refused(attempt({ identity })).reason, "writer_mismatch");
});

Deno.test("no writer identity: registry only by default, refused with REQUIRE_WRITER_IDENTITY", () => {
  deepEqual(checkWriter(attempt({ identity: {} })), { ok: true, writer: "unverified" });
  deepEqual(refused(attempt({ identity: {}, requireIdentity: true })), {
    reason: "writer_unknown",
    message: 'the notification names no writer and REQUIRE_WRITER_IDENTITY is on (cluster "prod-1")',
  });
  // The registry is checked first either way.
  equal(refused(attempt({ identity: {}, lookup: registered({ enabled: false }) })).reason, "cluster_disabled");
});

Deno.test("registry refusals come before identity refusals, and every reason is listed once", () => {
  const wrongEverything = attempt({
    path: { customerId: "initech", clusterId: "prod-1" },
    identity: { principalId: "AWS:AIDAEXAMPLEUSER00001" },
  });
  equal(refused(wrongEverything).reason, "tenant_not_on_cluster");
  equal(new Set(REFUSAL_REASONS).size, REFUSAL_REASONS.length);
  const seen = new Set<RefusalReason>([
    refused(attempt({ lookup: { kind: "unregistered", clusterId: "x" } })).reason,
    refused(attempt({ lookup: { kind: "invalid", clusterId: "x", problems: [] } })).reason,
    refused(attempt({ lookup: registered({ enabled: false }) })).reason,
    refused(attempt({ path: { customerId: "x", clusterId: "prod-1" } })).reason,
    refused(attempt({ identity: { principalId: `AWS:${OTHER_ROLE_ID}:x` } })).reason,
    refused(attempt({ identity: { principalId: "x" } })).reason,
    refused(attempt({ identity: { requester: "x" } })).reason,
    refused(attempt({ identity: {}, requireIdentity: true })).reason,
  ]);
  deepEqual([...seen].sort(), [...REFUSAL_REASONS].sort());
});

Deno.test("principal ids: role sessions, IAM users and anything else are told apart", () => {
  /** Who the refusal says wrote the object, when cluster prod-1's writer role is another one. */
  const writtenBy = (principalId: string) =>
    refused(attempt({ identity: { principalId }, lookup: registered({ writerRoleId: OTHER_ROLE_ID }) }))
      .message.match(/^written by (.*?),? not by/)?.[1];
  equal(checkWriter(attempt({ identity: { principalId: `AWS:${ROLE_ID}:vector-agent` } })).ok, true);
  equal(writtenBy(`AWS:${ROLE_ID}:vector-agent`), `role ${ROLE_ID} (session "vector-agent")`);
  // Session names may contain colons' neighbours: = , . @ - and digits (EKS uses the pod identity session).
  equal(
    writtenBy(`AWS:${ROLE_ID}:eks-prod-1-vector-a1b2@x=y,z.q`),
    `role ${ROLE_ID} (session "eks-prod-1-vector-a1b2@x=y,z.q")`,
  );
  equal(writtenBy("AWS:AIDAEXAMPLEUSER00001"), "IAM user AIDAEXAMPLEUSER00001");
  equal(writtenBy("aws:AROAX:s"), 'principal "aws:AROAX:s"');
  equal(writtenBy(`AWS:${ROLE_ID}:`), `principal "AWS:${ROLE_ID}:"`);
});
