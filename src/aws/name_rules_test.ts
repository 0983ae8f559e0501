import { strictEqual as equal } from "node:assert/strict";
import {
  bucketNameProblem,
  EXTERNAL_ID_PATTERN,
  logGroupNameProblem,
  QUEUE_URL_PATTERN,
  REGION_PATTERN,
  ROLE_ARN_PATTERN,
  TABLE_NAME_PATTERN,
} from "./name_rules.ts";

Deno.test("role ARNs of every partition, with a path; nothing else", () => {
  for (const arn of ["arn:aws:iam::123456789012:role/R", "arn:aws-us-gov:iam::123456789012:role/path/R-1"]) {
    equal(ROLE_ARN_PATTERN.test(arn), true, arn);
  }
  for (
    const arn of ["arn:aws:iam::12345:role/R", "arn:aws:iam::123456789012:user/R", "arn:aws:sts::123456789012:role/R"]
  ) {
    equal(ROLE_ARN_PATTERN.test(arn), false, arn);
  }
});

Deno.test("region names, including GovCloud; not availability zones", () => {
  for (const r of ["eu-west-1", "us-gov-west-1", "ap-southeast-2"]) equal(REGION_PATTERN.test(r), true, r);
  for (const r of ["", "EU-WEST-1", "eu-west-1a", "euwest1"]) equal(REGION_PATTERN.test(r), false, r);
});

Deno.test("bucket names: the pattern, then no adjacent periods and no IP address", () => {
  equal(bucketNameProblem("my.logs-1"), undefined);
  equal(
    bucketNameProblem("Upper"),
    "must be 3-63 characters of a-z 0-9 . - starting and ending with a letter or digit",
  );
  equal(bucketNameProblem("a..b"), "must not contain two adjacent periods");
  equal(bucketNameProblem("10.0.0.1"), "must not look like an IP address");
});

Deno.test("log group names: the allowed characters, and aws/ is reserved", () => {
  equal(logGroupNameProblem("/customer/acme#1"), undefined);
  equal(logGroupNameProblem("has space"), "must be 1-512 characters of a-z A-Z 0-9 . _ - / #");
  equal(logGroupNameProblem("aws/x"), 'must not start with "aws/" (reserved by AWS)');
});

Deno.test("ExternalIds, queue URLs and table names", () => {
  equal(EXTERNAL_ID_PATTERN.test("a"), false);
  equal(EXTERNAL_ID_PATTERN.test("ab:c/d=e"), true);
  equal(QUEUE_URL_PATTERN.test("https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo"), true);
  equal(QUEUE_URL_PATTERN.test("https://sqs.us-east-1.amazonaws.com/q"), false);
  equal(TABLE_NAME_PATTERN.test("mtl-tenants"), true);
  equal(TABLE_NAME_PATTERN.test("no spaces"), false);
});
