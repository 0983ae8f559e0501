/**
 * The exact command a customer runs to deploy
 * `cloudformation/customer-log-distribution-role.yaml` for the deliveries
 * that share one customer role. Pure.
 *
 * @module
 */
import { type Delivery, DELIVERY_TYPES, deliveryTypeSpec } from "../tenant/delivery.ts";

export const CUSTOMER_TEMPLATE = "cloudformation/customer-log-distribution-role.yaml";
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

/** Splits `arn:…:role/path/name` into the account, path and name. */
export function parseRoleArn(arn: string): { account: string; path: string; name: string } {
  const [, account, path, name] = arn.match(/^arn:aws[a-z-]*:iam::(\d{12}):role(\/.*\/|\/)([^/]+)$/) ?? [];
  if (account === undefined || path === undefined || name === undefined) throw new Error(`not an IAM role ARN: ${arn}`);
  return { account, path, name };
}

/** Where the processor runs. */
export interface CustomerStackOptions {
  /** The central role the customer role trusts. */
  readonly centralRoleArn: string;
  /** The processor's region: deliveries without a region write there. */
  readonly defaultRegion: string;
}

/**
 * The customer stack for `deliveries` (all with the role and ExternalId of
 * the first): the common parameters, then each delivery type's own.
 *
 * @throws {Error} when `deliveries` is empty or the first one's role is not an IAM role ARN.
 */
export function customerStack(deliveries: readonly Delivery[], options: CustomerStackOptions): CustomerStack {
  const { centralRoleArn, defaultRegion } = options;
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
  for (const type of DELIVERY_TYPES) {
    const ofType = same.filter((d) => d.type === type);
    if (ofType.length === 0) continue;
    const granted = deliveryTypeSpec(type)!.stackParameters(ofType);
    Object.assign(parameters, granted.parameters);
    warnings.push(...granted.warnings);
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
