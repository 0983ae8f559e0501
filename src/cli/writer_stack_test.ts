import assert from "node:assert/strict";
import { loadTemplate, ROOT } from "../../tests/support/tools.ts";
import {
  overlayValues,
  WRITER_TEMPLATE,
  writerObjectArns,
  writerStack,
  type WriterStackInput,
  writerStackName,
} from "./writer_stack.ts";

const INPUT: WriterStackInput = {
  clusterId: "prod-eu-1",
  tenants: ["globex", "acme", "acme"],
  bucket: "mtl-prod-logs-123456789012-eu-west-1",
  kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
  trust: { kind: "principal", principalArn: "arn:aws:iam::210987654321:role/vector-agent" },
  account: "123456789012",
  partition: "aws",
  region: "eu-west-1",
};

Deno.test("the writer stack of a cluster: name, role, parameters and the deploy command", () => {
  const stack = writerStack(INPUT);
  assert.deepEqual(stack.stackName, "log-writer-prod-eu-1");
  assert.deepEqual(stack.roleName, "log-writer-prod-eu-1");
  assert.deepEqual(stack.roleArn, "arn:aws:iam::123456789012:role/log-writer-prod-eu-1");
  assert.deepEqual(stack.parameters, {
    ClusterId: "prod-eu-1",
    Tenants: "acme,globex",
    BucketName: "mtl-prod-logs-123456789012-eu-west-1",
    RoleName: "log-writer-prod-eu-1",
    KmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
    Trust: "principal",
    TrustedPrincipalArn: "arn:aws:iam::210987654321:role/vector-agent",
  });
  assert.deepEqual(
    stack.command,
    [
      "aws cloudformation deploy",
      "  --stack-name log-writer-prod-eu-1",
      `  --template-file ${WRITER_TEMPLATE}`,
      "  --capabilities CAPABILITY_NAMED_IAM",
      "  --region eu-west-1",
      "  --parameter-overrides",
      "    ClusterId=prod-eu-1",
      "    Tenants=acme,globex",
      "    BucketName=mtl-prod-logs-123456789012-eu-west-1",
      "    RoleName=log-writer-prod-eu-1",
      "    KmsKeyArn=arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
      "    Trust=principal",
      "    TrustedPrincipalArn=arn:aws:iam::210987654321:role/vector-agent",
    ].join(" \\\n"),
  );
});

Deno.test("every trust mode's parameters exist in the template, and every required parameter is given", async () => {
  const t = await loadTemplate(`${ROOT}${WRITER_TEMPLATE}`);
  const trusts: WriterStackInput["trust"][] = [
    INPUT.trust,
    {
      kind: "irsa",
      oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      serviceAccount: "vector:vector",
      audience: "sts.amazonaws.com",
    },
    { kind: "pod-identity", eksClusterArn: "arn:aws:eks:eu-west-1:123456789012:cluster/prod", serviceAccount: "v:v" },
  ];
  for (const trust of trusts) {
    const { parameters } = writerStack({ ...INPUT, trust, kmsKeyArn: undefined });
    for (const [key, value] of Object.entries(parameters)) {
      const p = t.Parameters[key];
      assert.ok(p, `${WRITER_TEMPLATE} has no parameter ${key}`);
      const values = p.Type === "CommaDelimitedList" ? value.split(",") : [value];
      if (p.AllowedPattern) { for (const v of values) assert.match(v, new RegExp(p.AllowedPattern), key); }
      if (p.AllowedValues) assert.ok(p.AllowedValues.includes(value), key);
    }
    for (const [key, p] of Object.entries(t.Parameters as Record<string, { Default?: unknown }>)) {
      if (!("Default" in p)) assert.ok(key in parameters, `required ${key} is not given`);
    }
  }
});

Deno.test("role and stack names stay within IAM and CloudFormation limits and apart from each other", () => {
  const long = "c".repeat(128);
  const writerRoleName = (clusterId: string) => writerStack({ ...INPUT, clusterId }).roleName;
  assert.ok(writerRoleName(long).length <= 64);
  assert.notDeepEqual(writerRoleName(long), writerRoleName(`${"c".repeat(127)}d`));
  assert.match(writerRoleName(long), /^[\w+=,.@-]{1,64}$/);
  assert.deepEqual(writerStackName("prod-1"), "log-writer-prod-1");
  assert.match(writerStackName("prod.eu_1"), /^log-writer-prod-eu-1-[0-9a-f]{8}$/);
  assert.notDeepEqual(writerStackName("prod.eu_1"), writerStackName("prod_eu.1"));
  assert.ok(writerStackName(long).length <= 128);
  assert.match(writerStackName(long), /^[A-Za-z][A-Za-z0-9-]*$/);
});

Deno.test("a cluster with no tenant or more than the template's slots is refused", () => {
  assert.throws(() => writerStack({ ...INPUT, tenants: [] }), /at least one tenant/);
  const many = Array.from({ length: 21 }, (_, i) => `t${i}`);
  assert.throws(() => writerStack({ ...INPUT, tenants: many }), /has 21 tenants; a writer stack grants at most 20/);
  assert.deepEqual(writerStack({ ...INPUT, tenants: many.slice(1) }).parameters.Tenants?.split(",").length, 20);
});

Deno.test("object ARNs and overlay values come from the registered tenants", () => {
  assert.deepEqual(writerObjectArns({ bucket: "b", clusterId: "c1", partition: "aws-cn" }, ["z", "a", "a"]), [
    "arn:aws-cn:s3:::b/a/c1/*",
    "arn:aws-cn:s3:::b/z/c1/*",
  ]);
  assert.deepEqual(
    overlayValues({ clusterId: "c1", tenants: ["globex", "acme"], writerRoleArn: "arn:aws:iam::1:role/w" }, {
      bucket: "b",
      region: "eu-west-1",
    }),
    {
      cluster_id: "c1",
      allowed_customer_ids: "acme,globex",
      bucket: "b",
      region: "eu-west-1",
      writer_role_arn: "arn:aws:iam::1:role/w",
    },
  );
});
