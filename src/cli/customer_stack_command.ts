/**
 * The exact command a customer runs to deploy
 * `cloudformation/customer-log-distribution-role.yaml` for the deliveries
 * that share one customer role. Pure.
 *
 * @module
 */
import type { Delivery } from "../tenant/delivery.ts";

export const CUSTOMER_TEMPLATE = "cloudformation/customer-log-distribution-role.yaml";
/** The customer stack's default log retention (days). */
export const DEFAULT_CUSTOMER_RETENTION = 90;

/** What the customer deploys, and where. */
export interface CustomerStack {
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** The `aws cloudformation deploy` command, ready to paste. */
  readonly command: string;
  /** Things the operator should know (deliveries one stack cannot cover). */
  readonly warnings: readonly string[];
}

const SAFE = /^[A-Za-z0-9_.\/:=@,+-]+$/;

/** Quotes `value` for a POSIX shell when it needs it. */
export function shellQuote(value: string): string {
  return SAFE.test(value) ? value : `'${value.replace(/'/g, `'"'"'`)}'`;
}

function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return "";
  let prefix = values[0];
  for (const v of values.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < v.length && prefix[i] === v[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

/** Splits `arn:…:role/path/name` into the account, path and name. */
export function parseRoleArn(arn: string): { account: string; path: string; name: string } {
  const m = arn.match(/^arn:aws[a-z-]*:iam::(\d{12}):role(\/.*\/|\/)([^/]+)$/);
  if (!m) throw new Error(`not an IAM role ARN: ${arn}`);
  return { account: m[1], path: m[2], name: m[3] };
}

/**
 * The customer stack for `deliveries` (all with the role and ExternalId of
 * the first). `defaultRegion` is the processor's region.
 */
export function customerStack(
  deliveries: readonly Delivery[],
  centralRoleArn: string,
  defaultRegion: string,
): CustomerStack {
  const first = deliveries[0];
  if (!first) throw new Error("customerStack needs at least one delivery");
  const { account, path, name } = parseRoleArn(first.roleArn);
  const region = first.region ?? defaultRegion;
  const warnings: string[] = [];
  const same = deliveries.filter((d) => d.roleArn === first.roleArn);
  for (const d of same) {
    if ((d.region ?? defaultRegion) !== region) {
      warnings.push(
        `delivery ${d.deliveryId} writes to ${d.region ?? defaultRegion}; the stack grants ${region} only: ` +
          `give it its own role (another RoleName) and stack in that region`,
      );
    }
  }
  const parameters: Record<string, string> = {
    CentralLogDistributionRoleArn: centralRoleArn,
    ExternalId: first.externalId,
    RoleName: name,
  };
  if (path !== "/") parameters.RolePath = path;
  const groups = same.flatMap((d) => d.type === "cloudwatch" ? [d] : []);
  if (groups.length > 0) {
    const prefix = commonPrefix(groups.map((g) => g.logGroupName));
    parameters.LogGroupPrefix = prefix || groups[0].logGroupName;
    if (!prefix) warnings.push("the log groups share no common prefix; the stack grants the first one only");
    if (groups.length === 1) {
      parameters.LogGroupName = groups[0].logGroupName;
      parameters.LogRetentionDays = String(groups[0].retentionDays ?? DEFAULT_CUSTOMER_RETENTION);
    }
  }
  const buckets = same.flatMap((d) => d.type === "s3" ? [d] : []);
  if (buckets.length > 0) {
    const bucket = buckets[0].bucketName;
    parameters.BucketName = bucket;
    const prefix = commonPrefix(buckets.filter((b) => b.bucketName === bucket).map((b) => b.bucketPrefix));
    if (prefix) parameters.BucketPrefix = prefix;
    for (const b of buckets) {
      if (b.bucketName !== bucket) {
        warnings.push(`delivery ${b.deliveryId} writes to bucket ${b.bucketName}; the stack grants ${bucket} only`);
      }
    }
  }
  const stackName = `log-distribution-${first.tenantId.replace(/[^A-Za-z0-9-]/g, "-")}`.slice(0, 128);
  const lines = [
    "aws cloudformation deploy",
    `--stack-name ${shellQuote(stackName)}`,
    `--template-file ${CUSTOMER_TEMPLATE}`,
    "--capabilities CAPABILITY_NAMED_IAM",
    `--region ${region}`,
    "--parameter-overrides",
    ...Object.entries(parameters).map(([k, v]) => `  ${shellQuote(`${k}=${v}`)}`),
  ];
  const command = lines.map((l, i) => (i === 0 ? l : `  ${l}`)).join(" \\\n");
  return { account, region, stackName, parameters, command, warnings };
}
