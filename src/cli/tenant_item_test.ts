import assert from "node:assert/strict";
import { buildTenantItem, generateExternalId } from "./tenant_item.ts";
import { EXTERNAL_ID_PATTERN } from "../aws/name_rules.ts";

const ROLE = "arn:aws:iam::210987654321:role/CustomerLogDistributionRole";

Deno.test("a generated ExternalId is 256 random bits, URL-safe, and valid for the table", () => {
  const ids = new Set(Array.from({ length: 200 }, () => generateExternalId()));
  assert.equal(ids.size, 200);
  for (const id of ids) {
    assert.equal(id.length, 43);
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    assert.match(id, EXTERNAL_ID_PATTERN);
  }
  let asked = 0;
  const fixed = generateExternalId((b) => (asked = b.length, b.fill(255)));
  assert.equal(asked, 32, "256 bits asked of the random source");
  assert.equal(fixed, "_".repeat(42) + "8");
});

Deno.test("a CloudWatch delivery becomes a DESIGN 1.3 item", () => {
  const built = buildTenantItem(
    {
      tenant: "acme",
      type: "cloudwatch",
      roleArn: ROLE,
      logGroup: "/customer/acme",
      retentionDays: "30",
      applications: "api, web",
    },
    "generated-id",
  );
  assert.ok(built.ok);
  assert.deepEqual(built.item, {
    tenant_id: "acme",
    delivery_id: "cloudwatch",
    type: "cloudwatch",
    enabled: true,
    role_arn: ROLE,
    external_id: "generated-id",
    applications: ["api", "web"],
    log_group_name: "/customer/acme",
    retention_days: 30,
  });
  assert.equal(built.delivery.type, "cloudwatch");
});

Deno.test("an S3 delivery keeps a given ExternalId, region and disabled flag", () => {
  const built = buildTenantItem(
    {
      tenant: "acme",
      delivery: "archive",
      type: "s3",
      roleArn: ROLE,
      externalId: "given-id-123",
      region: "eu-west-1",
      bucket: "acme-logs",
      bucketPrefix: "k8s/",
      disabled: true,
    },
    "ignored",
  );
  assert.ok(built.ok);
  assert.equal(built.item.external_id, "given-id-123");
  assert.equal(built.item.enabled, false);
  assert.equal(built.item.delivery_id, "archive");
  assert.equal(built.item.region, "eu-west-1");
});

Deno.test("bad ARNs, regions, group and bucket names are reported with their flags", () => {
  const cw = buildTenantItem(
    { tenant: "acme", type: "cloudwatch", roleArn: "arn:aws:iam::12:role/x", region: "Europe", logGroup: "aws/x" },
    "id-1",
  );
  assert.ok(!cw.ok);
  assert.deepEqual(cw.problems, [
    'role_arn "arn:aws:iam::12:role/x" is not an IAM role ARN (--role-arn)',
    'region "Europe" is not a region name (--region)',
    'log_group_name "aws/x" must not start with "aws/" (reserved by AWS) (--log-group)',
  ]);
  const s3 = buildTenantItem({ tenant: "acme", type: "s3", roleArn: ROLE, bucket: "Bad_Bucket" }, "id-1");
  assert.ok(!s3.ok);
  assert.match(s3.problems[0]!, /^bucket_name "Bad_Bucket" must be 3-63 .* \(--bucket\)$/);
  const central = buildTenantItem({ tenant: "acme", type: "s3", roleArn: ROLE, bucket: "central" }, "id-1", {
    centralBucket: "central",
  });
  assert.ok(!central.ok);
  assert.match(central.problems[0]!, /is the central bucket/);
});

Deno.test("missing flags and flags of the other type are named", () => {
  const built = buildTenantItem({ logGroup: "/g", bucket: "b-b-b" }, "id-1");
  assert.ok(!built.ok);
  assert.deepEqual(built.problems, [
    "--tenant is required (the customer_id of the object keys)",
    "--type is required (cloudwatch or s3)",
    "--role-arn is required (the customer role, output RoleArn of the customer stack)",
    "--log-group only applies to --type cloudwatch",
    "--bucket only applies to --type s3",
  ]);
  const retention = buildTenantItem(
    { tenant: "a", type: "cloudwatch", roleArn: ROLE, logGroup: "/g", retentionDays: "45" },
    "id-1",
  );
  assert.ok(!retention.ok);
  assert.match(retention.problems[0]!, /^retention_days 45 must be one of .* \(--retention-days\)$/);
  const app = buildTenantItem(
    { tenant: "a", type: "cloudwatch", roleArn: ROLE, logGroup: "/g", applications: "api, bad/app" },
    "id-1",
  );
  assert.ok(!app.ok);
  assert.deepEqual(app.problems, [
    'applications entry "bad/app" is not a valid application segment (--applications)',
  ]);
});
