import { deepStrictEqual as deepEqual, ok, strictEqual as equal } from "node:assert/strict";
import { cloudWatchItem } from "../../tests/support/fixtures.ts";
import { s3TableItem, UNIT_CUSTOMER } from "../../tests/support/fakes.ts";
import { bucketNameProblem, logGroupNameProblem } from "../aws/name_rules.ts";

import { validateDelivery } from "./validate_delivery.ts";
import { validationContext } from "../config.ts";

/** The problems of an invalid item (fails the test when the item is valid). */
function problems(item: Record<string, unknown>, context = {}): readonly string[] {
  const result = validateDelivery(item, context);
  if (result.ok) throw new Error(`expected invalid: ${JSON.stringify(item)}`);
  equal(result.invalid.tenantId, typeof item.tenant_id === "string" ? item.tenant_id : "");
  return result.invalid.problems;
}

/** Asserts `item` is invalid with exactly one problem mentioning `attribute`. */
function rejectsAttribute(item: Record<string, unknown>, attribute: string): void {
  const found = problems(item);
  equal(found.length, 1, JSON.stringify(found));
  ok(found[0]!.startsWith(attribute), `${found[0]} should name ${attribute}`);
}

function valid(item: Record<string, unknown>, context = {}) {
  const result = validateDelivery(item, context);
  if (!result.ok) throw new Error(`expected valid: ${JSON.stringify(result.invalid.problems)}`);
  return result.delivery;
}

Deno.test("a minimal CloudWatch item becomes a delivery with defaults", () => {
  deepEqual(valid(cloudWatchItem(UNIT_CUSTOMER)), {
    tenantId: "acme",
    deliveryId: "cloudwatch",
    enabled: true,
    roleArn: "arn:aws:iam::210987654321:role/log-delivery",
    externalId: "acme-external-id-1",
    applications: [],
    type: "cloudwatch",
    logGroupName: "/customer/acme/k8s",
  });
});

Deno.test("a full CloudWatch item keeps every optional attribute", () => {
  const d = valid(cloudWatchItem(UNIT_CUSTOMER, {
    enabled: false,
    region: "eu-west-1",
    applications: ["api", "web"],
    retention_days: 30,
  }));
  deepEqual(d, {
    tenantId: "acme",
    deliveryId: "cloudwatch",
    enabled: false,
    roleArn: "arn:aws:iam::210987654321:role/log-delivery",
    externalId: "acme-external-id-1",
    region: "eu-west-1",
    applications: ["api", "web"],
    type: "cloudwatch",
    logGroupName: "/customer/acme/k8s",
    retentionDays: 30,
  });
});

Deno.test("an S3 item becomes a delivery; bucket_prefix defaults to empty", () => {
  const d = valid(s3TableItem());
  equal(d.type, "s3");
  deepEqual(d.type === "s3" && [d.bucketName, d.bucketPrefix], ["acme-log-archive", ""]);
  const withPrefix = valid(s3TableItem({ bucket_prefix: "k8s/logs/" }));
  equal(withPrefix.type === "s3" && withPrefix.bucketPrefix, "k8s/logs/");
});

Deno.test("applications may be a list or a DynamoDB string set (Set); empty means all", () => {
  deepEqual(valid(cloudWatchItem(UNIT_CUSTOMER, { applications: new Set(["api", "worker"]) })).applications, [
    "api",
    "worker",
  ]);
  deepEqual(valid(cloudWatchItem(UNIT_CUSTOMER, { applications: [] })).applications, []);
  deepEqual(valid(cloudWatchItem(UNIT_CUSTOMER, { applications: new Set() })).applications, []);
  deepEqual(valid(cloudWatchItem(UNIT_CUSTOMER, { applications: null })).applications, []);
});

Deno.test("applications of the wrong type or with invalid entries are rejected", () => {
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { applications: "api" }), "applications");
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { applications: { api: true } }), "applications");
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { applications: ["api", "bad app"] }), "applications");
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { applications: ["api", 7] }), "applications");
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { applications: new Set([".."]) }), "applications");
});

Deno.test("required attributes are named when missing", () => {
  for (const attribute of ["type", "role_arn", "external_id", "tenant_id", "delivery_id"]) {
    const item = cloudWatchItem(UNIT_CUSTOMER);
    delete item[attribute];
    const found = problems(item);
    ok(found.includes(`${attribute} is required`), JSON.stringify(found));
  }
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { log_group_name: undefined }), "log_group_name");
  rejectsAttribute(s3TableItem({ bucket_name: undefined }), "bucket_name");
});

Deno.test("string attributes of another type are rejected", () => {
  for (const attribute of ["role_arn", "external_id", "region", "log_group_name"]) {
    const found = problems(cloudWatchItem(UNIT_CUSTOMER, { [attribute]: 42 }));
    ok(found.includes(`${attribute} must be a string`), JSON.stringify(found));
  }
});

Deno.test("type must be cloudwatch or s3", () => {
  const found = problems(cloudWatchItem(UNIT_CUSTOMER, { type: "kinesis" }));
  ok(found.some((p) => p.startsWith('type "kinesis" must be one of cloudwatch, s3')), JSON.stringify(found));
  ok(problems(cloudWatchItem(UNIT_CUSTOMER, { type: "CloudWatch" })).length >= 1);
});

Deno.test("enabled must be a boolean", () => {
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { enabled: "false" }), "enabled");
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { enabled: 0 }), "enabled");
  equal(valid(cloudWatchItem(UNIT_CUSTOMER, { enabled: null })).enabled, true);
});

Deno.test("role_arn must be an IAM role ARN in any partition", () => {
  for (
    const arn of [
      "arn:aws:iam::210987654321:role/log-delivery",
      "arn:aws:iam::210987654321:role/path/to/role+x=y,z.a@b-c_d",
      "arn:aws-us-gov:iam::210987654321:role/r",
      "arn:aws-cn:iam::210987654321:role/r",
    ]
  ) valid(cloudWatchItem(UNIT_CUSTOMER, { role_arn: arn }));
  for (
    const arn of [
      "arn:aws:iam::21098765432:role/short-account",
      "arn:aws:iam::210987654321:user/not-a-role",
      "arn:aws:sts::210987654321:assumed-role/r/s",
      "log-delivery",
      "",
    ]
  ) rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { role_arn: arn }), "role_arn");
});

Deno.test("external_id must be 2-1224 characters of the allowed set", () => {
  valid(cloudWatchItem(UNIT_CUSTOMER, { external_id: "ab" }));
  valid(cloudWatchItem(UNIT_CUSTOMER, { external_id: "x".repeat(1224) }));
  valid(cloudWatchItem(UNIT_CUSTOMER, { external_id: "a+b=c,d.e@f:g/h-i_j" }));
  for (const id of ["a", "x".repeat(1225), "has space", "semi;colon", ""]) {
    rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { external_id: id }), "external_id");
  }
});

Deno.test("region must look like a region name", () => {
  for (const r of ["us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-4"]) {
    equal(valid(cloudWatchItem(UNIT_CUSTOMER, { region: r })).region, r);
  }
  for (const r of ["", "US-EAST-1", "useast1", "eu-west", "moon-base-1a"]) {
    rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { region: r }), "region");
  }
});

Deno.test("log_group_name: 1-512 of the allowed characters, not starting with aws/", () => {
  for (const name of ["/customer/acme/k8s", "a", "x".repeat(512), "#team_logs-1.x", "/aws/eks/acme"]) {
    valid(cloudWatchItem(UNIT_CUSTOMER, { log_group_name: name }));
  }
  for (const name of ["", "x".repeat(513), "has space", "semi;colon", "aws/reserved", "日志"]) {
    rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { log_group_name: name }), "log_group_name");
  }
  equal(logGroupNameProblem("aws/x"), 'must not start with "aws/" (reserved by AWS)');
  equal(logGroupNameProblem("/ok"), undefined);
});

/** The retention values PutRetentionPolicy accepts (days), as the CloudWatch Logs API reference lists them. */
const RETENTION_DAYS = [
  1,
  3,
  5,
  7,
  14,
  30,
  60,
  90,
  120,
  150,
  180,
  365,
  400,
  545,
  731,
  1096,
  1827,
  2192,
  2557,
  2922,
  3288,
  3653,
];

Deno.test("retention_days must be one of the values CloudWatch accepts", () => {
  for (const days of RETENTION_DAYS) {
    equal(valid(cloudWatchItem(UNIT_CUSTOMER, { retention_days: days })).type, "cloudwatch");
  }
  for (const days of [0, 2, 10, 4000, -1, 1.5, "30", true]) {
    rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { retention_days: days }), "retention_days");
  }
});

Deno.test("bucket_name follows the S3 naming rules", () => {
  for (const name of ["abc", "my.bucket-1", "x".repeat(63)]) valid(s3TableItem({ bucket_name: name }));
  for (const name of ["ab", "x".repeat(64), "Upper", "-start", "end-", "a..b", "192.168.1.1", "under_score"]) {
    rejectsAttribute(s3TableItem({ bucket_name: name }), "bucket_name");
  }
  equal(bucketNameProblem("a..b"), "must not contain two adjacent periods");
  equal(bucketNameProblem("10.0.0.1"), "must not look like an IP address");
});

Deno.test("bucket_prefix: at most 512 characters, not starting with /", () => {
  valid(s3TableItem({ bucket_prefix: "x".repeat(512) }));
  rejectsAttribute(s3TableItem({ bucket_prefix: "x".repeat(513) }), "bucket_prefix");
  rejectsAttribute(s3TableItem({ bucket_prefix: "/logs/" }), "bucket_prefix");
  rejectsAttribute(s3TableItem({ bucket_prefix: 5 }), "bucket_prefix");
});

Deno.test("a delivery into the central bucket is rejected: it would loop", () => {
  const item = s3TableItem({ bucket_name: "central-logs" });
  valid(item);
  const found = problems(item, { centralBucket: "central-logs" });
  deepEqual(found, ['bucket_name "central-logs" is the central bucket; delivering there would loop']);
  valid(s3TableItem({ bucket_name: "other-bucket" }), { centralBucket: "central-logs" });
});

Deno.test("a delivery role in the central account is rejected, naming the account", () => {
  const context = validationContext({
    centralBucket: "central-logs",
    centralRoleArn: "arn:aws:iam::123456789012:role/central-log-distribution",
  });
  deepEqual(context, { centralBucket: "central-logs", centralAccount: "123456789012" });
  const item = cloudWatchItem(UNIT_CUSTOMER, { role_arn: "arn:aws:iam::123456789012:role/log-delivery" });
  valid(item);
  deepEqual(problems(item, context), [
    'role_arn "arn:aws:iam::123456789012:role/log-delivery" is in the central account 123456789012; a delivery ' +
    "role must be in the customer's own account (deliveries are made with the customer's rights, never the " +
    "central account's)",
  ]);
  valid(cloudWatchItem(UNIT_CUSTOMER), context);
  deepEqual(validationContext({}), { centralBucket: undefined });
});

Deno.test("tenant_id must be a valid customer_id segment; delivery_id 1-64 safe characters", () => {
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { tenant_id: "ac me" }), "tenant_id");
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { tenant_id: ".." }), "tenant_id");
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { delivery_id: "x".repeat(65) }), "delivery_id");
  rejectsAttribute(cloudWatchItem(UNIT_CUSTOMER, { delivery_id: "a/b" }), "delivery_id");
  equal(valid(cloudWatchItem(UNIT_CUSTOMER, { delivery_id: "x".repeat(64) })).deliveryId.length, 64);
});

Deno.test("every problem of an item is listed, not only the first", () => {
  const result = validateDelivery({
    tenant_id: "acme",
    delivery_id: "broken",
    type: "cloudwatch",
    enabled: "yes",
    role_arn: "not-an-arn",
    external_id: "x",
    region: "nowhere",
    applications: ["ok", "not ok"],
    log_group_name: "aws/x",
    retention_days: 2,
  });
  equal(result.ok, false);
  if (result.ok) return;
  deepEqual(result.invalid.tenantId, "acme");
  deepEqual(result.invalid.deliveryId, "broken");
  deepEqual(result.invalid.problems.map((p) => p.split(" ")[0]), [
    "enabled",
    "role_arn",
    "external_id",
    "region",
    "applications",
    "log_group_name",
    "retention_days",
  ]);
});

Deno.test("an empty item names every required attribute", () => {
  const found = problems({});
  for (const attribute of ["tenant_id", "delivery_id", "type", "role_arn", "external_id"]) {
    ok(found.includes(`${attribute} is required`), JSON.stringify(found));
  }
});
