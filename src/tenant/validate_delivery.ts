/**
 * Validates one tenant-table item (already unmarshalled to plain values)
 * against DESIGN 1.3. Pure; used by the processor and by `tenants add`.
 *
 * @module
 */
import {
  bucketNameProblem,
  EXTERNAL_ID_PATTERN,
  logGroupNameProblem,
  REGION_PATTERN,
  ROLE_ARN_PATTERN,
} from "../aws/name_rules.ts";
import { isValidSegment } from "../notification/parse_key.ts";
import { type Delivery, DELIVERY_TYPES, type InvalidDelivery } from "./delivery.ts";

/** Retention values CloudWatch Logs accepts (days). */
export const RETENTION_DAYS = [
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
export const DELIVERY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Options that depend on the deployment, not the item. */
export interface ValidationContext {
  /** The central bucket: a delivery into it would loop on its own notifications. */
  readonly centralBucket?: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly delivery: Delivery }
  | { readonly ok: false; readonly invalid: InvalidDelivery };

function stringList(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return [];
  if (value instanceof Set) return [...value];
  if (Array.isArray(value)) return value;
  return undefined;
}

/** Validates `item`; every problem is listed, not only the first. */
export function validateDelivery(
  item: Record<string, unknown>,
  context: ValidationContext = {},
): ValidationResult {
  const problems: string[] = [];
  const text = (name: string, required: boolean): string | undefined => {
    const v = item[name];
    if (v === undefined || v === null) {
      if (required) problems.push(`${name} is required`);
      return undefined;
    }
    if (typeof v !== "string") {
      problems.push(`${name} must be a string`);
      return undefined;
    }
    return v;
  };
  const check = (name: string, value: string | undefined, ok: boolean, why: string) => {
    if (value !== undefined && !ok) problems.push(`${name} ${JSON.stringify(value)} ${why}`);
  };

  const tenantIdValue = text("tenant_id", true);
  const deliveryIdValue = text("delivery_id", true);
  check("tenant_id", tenantIdValue, isValidSegment(tenantIdValue ?? ""), "is not a valid customer_id segment");
  check(
    "delivery_id",
    deliveryIdValue,
    DELIVERY_ID_PATTERN.test(deliveryIdValue ?? ""),
    "must be 1-64 of A-Z a-z 0-9 . _ -",
  );
  const tenantId = tenantIdValue ?? "";
  const deliveryId = deliveryIdValue ?? "";

  const type = text("type", true);
  check(
    "type",
    type,
    (DELIVERY_TYPES as readonly string[]).includes(type ?? ""),
    `must be one of ${DELIVERY_TYPES.join(", ")}`,
  );
  let enabled = true;
  if (item.enabled !== undefined && item.enabled !== null) {
    if (typeof item.enabled !== "boolean") problems.push("enabled must be a boolean");
    else enabled = item.enabled;
  }
  const roleArn = text("role_arn", true);
  check("role_arn", roleArn, ROLE_ARN_PATTERN.test(roleArn ?? ""), "is not an IAM role ARN");
  const externalId = text("external_id", true);
  check(
    "external_id",
    externalId,
    EXTERNAL_ID_PATTERN.test(externalId ?? ""),
    "must be 2-1224 of A-Z a-z 0-9 + = , . @ : / - _",
  );
  const region = text("region", false);
  check("region", region, REGION_PATTERN.test(region ?? ""), "is not a region name");

  const list = stringList(item.applications);
  const applications: string[] = [];
  if (list === undefined) problems.push("applications must be a list or string set");
  else {
    for (const app of list) {
      if (typeof app === "string" && isValidSegment(app)) applications.push(app);
      else problems.push(`applications entry ${JSON.stringify(app)} is not a valid application segment`);
    }
  }

  let delivery: Delivery | undefined;
  const base = {
    tenantId,
    deliveryId,
    enabled,
    roleArn: roleArn ?? "",
    externalId: externalId ?? "",
    ...(region ? { region } : {}),
    applications,
  };
  if (type === "cloudwatch") {
    const logGroupName = text("log_group_name", true);
    const groupProblem = logGroupName === undefined ? undefined : logGroupNameProblem(logGroupName);
    check("log_group_name", logGroupName, !groupProblem, groupProblem ?? "");
    let retentionDays: number | undefined;
    const r = item.retention_days;
    if (r !== undefined && r !== null) {
      if (typeof r !== "number" || !RETENTION_DAYS.includes(r)) {
        problems.push(`retention_days ${JSON.stringify(r)} must be one of ${RETENTION_DAYS.join(", ")}`);
      } else retentionDays = r;
    }
    delivery = { ...base, type, logGroupName: logGroupName ?? "", ...(retentionDays ? { retentionDays } : {}) };
  } else if (type === "s3") {
    const bucketName = text("bucket_name", true);
    const bucketProblem = bucketName === undefined ? undefined : bucketNameProblem(bucketName);
    check("bucket_name", bucketName, !bucketProblem, bucketProblem ?? "");
    if (bucketName !== undefined && bucketName === context.centralBucket) {
      problems.push(`bucket_name "${bucketName}" is the central bucket; delivering there would loop`);
    }
    const bucketPrefix = text("bucket_prefix", false) ?? "";
    check(
      "bucket_prefix",
      bucketPrefix,
      bucketPrefix.length <= 512 && !bucketPrefix.startsWith("/"),
      "must be at most 512 characters and not start with /",
    );
    delivery = { ...base, type, bucketName: bucketName ?? "", bucketPrefix };
  }
  if (problems.length > 0 || !delivery) {
    return { ok: false, invalid: { tenantId, deliveryId, problems } };
  }
  return { ok: true, delivery };
}
