import assert from "node:assert/strict";
import { customerStack, parseRoleArn, shellQuote } from "./customer_stack_command.ts";
import type { CloudWatchDelivery, S3Delivery } from "../tenant/delivery.ts";
import { loadTemplate, ROOT } from "../../tests/support/tools.ts";

const CENTRAL = "arn:aws:iam::123456789012:role/mtl-prod-central-log-distribution";
const base = {
  tenantId: "acme",
  enabled: true,
  roleArn: "arn:aws:iam::210987654321:role/CustomerLogDistributionRole",
  externalId: "ext-id-1",
  applications: [],
};
const cw = (over: Partial<CloudWatchDelivery> = {}): CloudWatchDelivery => ({
  ...base,
  deliveryId: "cloudwatch",
  type: "cloudwatch",
  logGroupName: "/customer/acme/k8s",
  ...over,
});
const s3 = (over: Partial<S3Delivery> = {}): S3Delivery => ({
  ...base,
  deliveryId: "archive",
  type: "s3",
  bucketName: "acme-logs",
  bucketPrefix: "k8s/",
  ...over,
});

Deno.test("a CloudWatch delivery gives the group as prefix, creates it with retention 90 by default", () => {
  const stack = customerStack([cw()], { centralRoleArn: CENTRAL, defaultRegion: "eu-west-1" });
  assert.equal(stack.account, "210987654321");
  assert.equal(stack.region, "eu-west-1");
  assert.deepEqual(stack.parameters, {
    CentralLogDistributionRoleArn: CENTRAL,
    ExternalId: "ext-id-1",
    RoleName: "CustomerLogDistributionRole",
    LogGroupPrefix: "/customer/acme/k8s",
    LogGroupName: "/customer/acme/k8s",
    LogRetentionDays: "90",
  });
  assert.equal(
    stack.command,
    [
      "aws cloudformation deploy",
      "  --stack-name log-distribution-acme",
      "  --template-file cloudformation/customer-log-distribution-role.yaml",
      "  --capabilities CAPABILITY_NAMED_IAM",
      "  --region eu-west-1",
      "  --parameter-overrides",
      `    CentralLogDistributionRoleArn=${CENTRAL}`,
      "    ExternalId=ext-id-1",
      "    RoleName=CustomerLogDistributionRole",
      "    LogGroupPrefix=/customer/acme/k8s",
      "    LogGroupName=/customer/acme/k8s",
      "    LogRetentionDays=90",
    ].join(" \\\n"),
  );
  assert.deepEqual(stack.warnings, []);
});

Deno.test("CloudWatch and S3 deliveries on one role share one stack", () => {
  const stack = customerStack(
    [cw({ region: "us-west-2", retentionDays: 30 }), s3({ region: "us-west-2" })],
    { centralRoleArn: CENTRAL, defaultRegion: "eu-west-1" },
  );
  assert.equal(stack.region, "us-west-2");
  assert.equal(stack.parameters.LogRetentionDays, "30");
  assert.equal(stack.parameters.BucketName, "acme-logs");
  assert.equal(stack.parameters.BucketPrefix, "k8s/");
});

Deno.test("two groups share their common prefix; other regions and buckets are warned about", () => {
  const stack = customerStack(
    [
      cw({ logGroupName: "/customer/acme/a" }),
      cw({ deliveryId: "second", logGroupName: "/customer/acme/b", region: "ap-south-1" }),
      s3(),
      s3({ deliveryId: "other", bucketName: "other-bucket" }),
    ],
    { centralRoleArn: CENTRAL, defaultRegion: "eu-west-1" },
  );
  assert.equal(stack.parameters.LogGroupPrefix, "/customer/acme/");
  assert.equal(stack.parameters.LogGroupName, undefined);
  assert.equal(stack.warnings.length, 2);
  assert.match(stack.warnings[0]!, /second writes to ap-south-1/);
  assert.match(stack.warnings[1]!, /other writes to bucket other-bucket/);
});

Deno.test("role paths, odd tenant ids and values needing quotes", () => {
  assert.deepEqual(parseRoleArn("arn:aws:iam::210987654321:role/logging/team/Delivery"), {
    account: "210987654321",
    path: "/logging/team/",
    name: "Delivery",
  });
  const stack = customerStack(
    [cw({ tenantId: "acme_co.eu", roleArn: "arn:aws:iam::210987654321:role/logging/Delivery" })],
    { centralRoleArn: CENTRAL, defaultRegion: "eu-west-1" },
  );
  assert.equal(stack.parameters.RolePath, "/logging/");
  assert.equal(stack.stackName, "log-distribution-acme-co-eu");
  assert.equal(shellQuote("a b'c"), `'a b'"'"'c'`);
  assert.equal(shellQuote("Key=/x/y:z@w,v+u"), "Key=/x/y:z@w,v+u");
  assert.throws(() => parseRoleArn("arn:aws:iam::1:user/x"), /not an IAM role ARN/);
});

Deno.test("every parameter the command passes exists in the customer template", async () => {
  const template = await loadTemplate(`${ROOT}cloudformation/customer-log-distribution-role.yaml`);
  const stack = customerStack(
    [
      cw({ retentionDays: 30, roleArn: "arn:aws:iam::210987654321:role/p/CustomerLogDistributionRole" }),
      s3({
        roleArn: "arn:aws:iam::210987654321:role/p/CustomerLogDistributionRole",
      }),
    ],
    { centralRoleArn: CENTRAL, defaultRegion: "eu-west-1" },
  );
  for (const key of Object.keys(stack.parameters)) {
    assert.ok(key in template.Parameters, `${key} is not a parameter of the customer template`);
  }
  const required = Object.entries(template.Parameters as Record<string, { Default?: unknown }>)
    .filter(([, p]) => !("Default" in p)).map(([k]) => k);
  for (const key of required) assert.ok(key in stack.parameters, `required ${key} is not passed`);
});
