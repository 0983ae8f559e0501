/**
 * `tenants add` flags → one tenant-table item (DESIGN 1.3), validated with
 * the processor's own {@link validateDelivery}. Pure except for the random
 * ExternalId.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { Delivery } from "../tenant/delivery.ts";
import { validateDelivery, type ValidationContext } from "../tenant/validate_delivery.ts";

/** The flags of `tenants add` (strings as typed). */
export interface AddFlags {
  readonly tenant?: string;
  readonly delivery?: string;
  readonly type?: string;
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly region?: string;
  readonly logGroup?: string;
  readonly retentionDays?: string;
  readonly bucket?: string;
  readonly bucketPrefix?: string;
  readonly applications?: string;
  readonly disabled?: boolean;
}

/** The item to write, or every problem found (each naming its flag). */
export type BuiltItem =
  | { readonly ok: true; readonly item: Record<string, unknown>; readonly delivery: Delivery }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Table attribute → the flag that sets it. */
export const FLAG_OF: Readonly<Record<string, string>> = {
  tenant_id: "--tenant",
  delivery_id: "--delivery",
  type: "--type",
  role_arn: "--role-arn",
  external_id: "--external-id",
  region: "--region",
  applications: "--applications",
  log_group_name: "--log-group",
  retention_days: "--retention-days",
  bucket_name: "--bucket",
  bucket_prefix: "--bucket-prefix",
  enabled: "--disabled",
};

/** Bytes of randomness in a generated ExternalId (256 bits). */
const EXTERNAL_ID_BYTES = 32;

/** A strong random ExternalId: 256 random bits, URL-safe base64 (43 characters). */
export function generateExternalId(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(EXTERNAL_ID_BYTES));
  return Buffer.from(bytes).toString("base64url");
}

/** Adds the flag to a validation problem ("role_arn … (--role-arn)"). */
function withFlag(problem: string): string {
  const attribute = problem.match(/^[a-z_]+/)?.[0] ?? "";
  const flag = FLAG_OF[attribute];
  return flag ? `${problem} (${flag})` : problem;
}

const TYPE_FLAGS: Readonly<Record<string, readonly (keyof AddFlags)[]>> = {
  cloudwatch: ["logGroup", "retentionDays"],
  s3: ["bucket", "bucketPrefix"],
};
const FLAG_NAMES: Partial<Record<keyof AddFlags, string>> = {
  logGroup: "--log-group",
  retentionDays: "--retention-days",
  bucket: "--bucket",
  bucketPrefix: "--bucket-prefix",
};

/**
 * Builds and validates the item. `externalId` is used when the flag is
 * absent (an existing one to keep, or a fresh {@link generateExternalId}).
 */
export function buildTenantItem(flags: AddFlags, externalId: string, context: ValidationContext = {}): BuiltItem {
  const problems: string[] = [];
  if (!flags.tenant) problems.push("--tenant is required (the customer_id of the object keys)");
  if (!flags.type) problems.push("--type is required (cloudwatch or s3)");
  if (!flags.roleArn) problems.push("--role-arn is required (the customer role, output RoleArn of the customer stack)");
  for (const [type, names] of Object.entries(TYPE_FLAGS)) {
    if (flags.type === type) continue;
    for (const name of names) {
      if (flags[name] !== undefined) problems.push(`${FLAG_NAMES[name]} only applies to --type ${type}`);
    }
  }
  let retention: number | string | undefined = flags.retentionDays;
  if (retention !== undefined && /^\d+$/.test(retention)) retention = Number(retention);
  const applications = flags.applications === undefined
    ? undefined
    : flags.applications.split(",").map((a) => a.trim()).filter((a) => a !== "");
  const item: Record<string, unknown> = {
    tenant_id: flags.tenant,
    delivery_id: flags.delivery ?? flags.type,
    type: flags.type,
    enabled: !flags.disabled,
    role_arn: flags.roleArn,
    external_id: flags.externalId ?? externalId,
    region: flags.region,
    applications: applications && applications.length > 0 ? applications : undefined,
    log_group_name: flags.logGroup,
    retention_days: retention,
    bucket_name: flags.bucket,
    bucket_prefix: flags.bucketPrefix,
  };
  for (const key of Object.keys(item)) if (item[key] === undefined) delete item[key];
  if (problems.length > 0) return { ok: false, problems };
  const result = validateDelivery(item, context);
  if (!result.ok) return { ok: false, problems: result.invalid.problems.map(withFlag) };
  return { ok: true, item, delivery: result.delivery };
}
