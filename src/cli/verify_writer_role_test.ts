import assert from "node:assert/strict";
import type { Cluster } from "../tenant/cluster.ts";
import { formatClusterVerifyReport, verifyWriterRole, type WriterRoleFacts } from "./verify_writer_role.ts";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const CLUSTER: Cluster = {
  clusterId: "prod-1",
  tenants: ["acme", "globex"],
  writerRoleArn: "arn:aws:iam::123456789012:role/log-writer-prod-1",
  writerRoleId: "AROAEXAMPLEWRITER0001",
  enabled: true,
};
const TARGET = { bucket: "central", partition: "aws", kmsKeyArn: KEY };
const put = (tenant: string, cluster = "prod-1") => ({
  name: `put-${tenant}`,
  document: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: `arn:aws:s3:::central/${tenant}/${cluster}/*` }],
  },
});
const kms = {
  name: "encrypt-with-bucket-key",
  document: {
    Statement: [{
      Effect: "Allow",
      Action: "kms:GenerateDataKey",
      Resource: KEY,
      Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
    }],
  },
};
const TRUST = {
  Version: "2012-10-17",
  Statement: [{
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::210987654321:role/vector-agent" },
    Action: "sts:AssumeRole",
  }],
};
const GOOD: WriterRoleFacts = {
  role: { arn: CLUSTER.writerRoleArn, roleId: CLUSTER.writerRoleId, trustPolicy: TRUST },
  inlinePolicies: [put("acme"), put("globex"), kms],
  attachedPolicies: [],
  stack: {
    name: "log-writer-prod-1",
    status: "UPDATE_COMPLETE",
    parameters: { ClusterId: "prod-1", Tenants: "globex,acme", BucketName: "central", RoleName: "log-writer-prod-1" },
    outputs: { ClusterId: "prod-1", Tenants: "globex,acme", RoleArn: CLUSTER.writerRoleArn },
  },
};

const failed = (facts: WriterRoleFacts, cluster = CLUSTER) =>
  verifyWriterRole(cluster, { target: TARGET, facts }).checks.filter((c) => !c.ok).map((c) =>
    `${c.check}: ${c.detail}`
  );

Deno.test("a role that matches the registry and grants exactly the tenants' prefixes passes every check", () => {
  const report = verifyWriterRole(CLUSTER, { target: TARGET, facts: GOOD });
  assert.deepEqual(report.ok, true, formatClusterVerifyReport(report));
  assert.deepEqual(report.checks.map((c) => c.check), [
    "registry",
    "role",
    "trust",
    "attached policies",
    "object grants",
    "other grants",
    "stack",
  ]);
  assert.match(
    formatClusterVerifyReport(report),
    /^cluster prod-1: ok\n {2}ok {3}registry: enabled; tenants acme, globex/,
  );
});

Deno.test("a missing, recreated or renamed role fails, saying what to do", () => {
  assert.deepEqual(failed({ ...GOOD, role: undefined }), [
    "role: IAM has no role arn:aws:iam::123456789012:role/log-writer-prod-1",
  ]);
  const [recreated] = failed({ ...GOOD, role: { arn: CLUSTER.writerRoleArn, roleId: "AROAEXAMPLEWRITER0009" } });
  assert.match(recreated!, /^role: IAM says .* has id AROAEXAMPLEWRITER0009; the registry says .*re-register/);
});

Deno.test("grants must be exactly the registered tenants' prefixes", () => {
  assert.deepEqual(failed({ ...GOOD, inlinePolicies: [put("acme"), kms] }), [
    "object grants: lacks registered prefixes (their writes are denied): arn:aws:s3:::central/globex/prod-1/*",
  ]);
  assert.deepEqual(failed({ ...GOOD, inlinePolicies: [...GOOD.inlinePolicies, put("initech")] }), [
    "object grants: grants prefixes the registry does not list: arn:aws:s3:::central/initech/prod-1/*",
  ]);
  assert.deepEqual(failed({ ...GOOD, inlinePolicies: [put("acme"), put("globex", "prod-2"), kms] }).length, 1);
  const shared = {
    name: "shared",
    document: { Statement: { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::central/*" } },
  };
  assert.match(
    failed({ ...GOOD, inlinePolicies: [shared, kms] })[0]!,
    /grants prefixes the registry does not list: arn:aws:s3:::central\/\*/,
  );
});

Deno.test("anything beyond a writer's needs fails: other actions, wildcards, NotAction, attached policies", () => {
  const extra = (statement: Record<string, unknown>) => ({
    ...GOOD,
    inlinePolicies: [...GOOD.inlinePolicies, { name: "x", document: { Statement: [statement] } }],
  });
  assert.deepEqual(
    failed(extra({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::central/acme/prod-1/*" })),
    [
      "other grants: grants more than a writer needs: x: s3:getobject on arn:aws:s3:::central/acme/prod-1/*",
    ],
  );
  assert.equal(failed(extra({ Effect: "Allow", Action: "s3:*", Resource: "*" })).length, 1);
  assert.match(failed(extra({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }))[0]!, /NotAction\/NotResource/);
  assert.equal(failed(extra({ Effect: "Deny", Action: "s3:*", Resource: "*" })).length, 0, "a Deny only narrows");
  const keyWithoutS3 = { name: "k", document: { Statement: [{ ...kms.document.Statement[0], Condition: undefined }] } };
  assert.equal(failed({ ...GOOD, inlinePolicies: [put("acme"), put("globex"), keyWithoutS3] }).length, 1);
  assert.deepEqual(failed({ ...GOOD, attachedPolicies: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] }), [
    "attached policies: managed policies can grant more than the stack: arn:aws:iam::aws:policy/AmazonS3FullAccess",
  ]);
  const reassume = extra({ Effect: "Allow", Action: "sts:AssumeRole", Resource: CLUSTER.writerRoleArn });
  assert.deepEqual(failed(reassume), []);
});

Deno.test("the stack must carry the registered cluster, tenants and bucket; no stack is reported, not failed", () => {
  const stack = GOOD.stack!;
  const [drift] = failed({ ...GOOD, stack: { ...stack, outputs: { ...stack.outputs, Tenants: "acme" } } });
  assert.match(drift!, /^stack: stack log-writer-prod-1 disagrees with the registry: Tenants is "acme"/);
  assert.match(
    failed({ ...GOOD, stack: { ...stack, status: "UPDATE_ROLLBACK_COMPLETE" } })[0]!,
    /status UPDATE_ROLLBACK/,
  );
  const none = verifyWriterRole(CLUSTER, { target: TARGET, facts: { ...GOOD, stack: undefined } });
  assert.deepEqual(none.ok, true);
  assert.match(none.checks.at(-1)!.detail, /no writer stack found/);
});

Deno.test("the trust policy must name the cluster's identity, never everyone or a whole account", () => {
  const trust = (...statements: Record<string, unknown>[]) => ({
    ...GOOD,
    role: { ...GOOD.role!, trustPolicy: { Statement: statements } },
  });
  const check = (facts: WriterRoleFacts) =>
    verifyWriterRole(CLUSTER, { target: TARGET, facts }).checks.find((c) => c.check === "trust");
  assert.deepEqual(check(GOOD)?.detail, "assumed by AWS arn:aws:iam::210987654321:role/vector-agent");
  const selfReassume = {
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::123456789012:root" },
    Action: "sts:AssumeRole",
    Condition: { ArnEquals: { "aws:PrincipalArn": CLUSTER.writerRoleArn } },
  };
  const irsa = {
    Effect: "Allow",
    Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/x" },
    Action: "sts:AssumeRoleWithWebIdentity",
  };
  assert.deepEqual(check(trust(irsa, selfReassume))?.ok, true);
  assert.deepEqual(
    check(trust({ ...selfReassume, Condition: undefined }))?.detail,
    "the trust policy is too wide: every principal of arn:aws:iam::123456789012:root may assume it",
  );
  assert.deepEqual(check(trust({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }))?.ok, false);
  assert.deepEqual(check(trust())?.detail, "no principal may assume it");
});
