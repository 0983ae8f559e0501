/**
 * The writer stack of one cluster (`cloudformation/cluster-writer-role.yaml`):
 * its name, role name, parameters and the `aws cloudformation deploy`
 * command; what its policy must grant (for `clusters verify`); and the
 * values the cluster's agent overlay needs. Pure.
 *
 * @module
 */
import { shellQuote } from "./customer_stack_command.ts";

export const WRITER_TEMPLATE = "cloudformation/cluster-writer-role.yaml";
/** Tenant slots of the template (CloudFormation has no loops). */
const MAX_WRITER_TENANTS = 20;
/** The Vector service account of `k8s/base` (namespace:name). */
export const DEFAULT_SERVICE_ACCOUNT = "vector:vector";
export const DEFAULT_OIDC_AUDIENCE = "sts.amazonaws.com";

/** Who the cluster's agents are (the writer role trusts exactly this). */
export type WriterTrust =
  | { readonly kind: "principal"; readonly principalArn: string }
  | {
    readonly kind: "irsa";
    readonly oidcProviderArn: string;
    readonly serviceAccount: string;
    readonly audience: string;
  }
  | { readonly kind: "pod-identity"; readonly eksClusterArn: string; readonly serviceAccount: string };

/** What the stack is for. */
export interface WriterStackInput {
  readonly clusterId: string;
  readonly tenants: readonly string[];
  readonly bucket: string;
  /** The bucket's SSE-KMS key; absent when the bucket has none. */
  readonly kmsKeyArn?: string;
  readonly trust: WriterTrust;
  /** The central account (the writer roles live there) and its partition. */
  readonly account: string;
  readonly partition: string;
  readonly region: string;
  /** Overrides the derived role name. */
  readonly roleName?: string;
}

/** The stack, ready to deploy or print. */
export interface WriterStack {
  readonly stackName: string;
  readonly roleName: string;
  readonly roleArn: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** The `aws cloudformation deploy` command, ready to paste. */
  readonly command: string;
}

/** 8 hex digits of FNV-1a: keeps shortened or sanitised names apart. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (const c of new TextEncoder().encode(text)) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/** `log-writer-<cluster_id>`, shortened with a hash when it exceeds IAM's 64 characters. */
function writerRoleName(clusterId: string): string {
  const name = `log-writer-${clusterId}`;
  return name.length <= 64 ? name : `${name.slice(0, 55)}-${shortHash(clusterId)}`;
}

/** `log-writer-<cluster_id>` as a stack name (only A-Z a-z 0-9 -; a hash keeps sanitised ids apart). */
export function writerStackName(clusterId: string): string {
  const clean = clusterId.replace(/[^A-Za-z0-9-]/g, "-");
  const name = `log-writer-${clean}`;
  return clean === clusterId && name.length <= 128 ? name : `${name.slice(0, 110)}-${shortHash(clusterId)}`;
}

/** The object ARNs a cluster's role may write: `<bucket>/<tenant>/<cluster_id>/*` per tenant. */
export function writerObjectArns(
  target: { readonly bucket: string; readonly clusterId: string; readonly partition: string },
  tenants: readonly string[],
): string[] {
  return [...new Set(tenants)].sort().map((t) =>
    `arn:${target.partition}:s3:::${target.bucket}/${t}/${target.clusterId}/*`
  );
}

function trustParameters(trust: WriterTrust): Record<string, string> {
  switch (trust.kind) {
    case "principal":
      return { Trust: "principal", TrustedPrincipalArn: trust.principalArn };
    case "irsa":
      return {
        Trust: "irsa",
        OidcProviderArn: trust.oidcProviderArn,
        ServiceAccount: trust.serviceAccount,
        OidcAudience: trust.audience,
      };
    case "pod-identity":
      return { Trust: "pod-identity", EksClusterArn: trust.eksClusterArn, ServiceAccount: trust.serviceAccount };
  }
}

/** The writer stack for `input`; throws when the cluster has no tenant or more than the template holds. */
export function writerStack(input: WriterStackInput): WriterStack {
  const tenants = [...new Set(input.tenants)].sort();
  if (tenants.length === 0) throw new Error("a cluster needs at least one tenant");
  if (tenants.length > MAX_WRITER_TENANTS) {
    throw new Error(
      `cluster "${input.clusterId}" has ${tenants.length} tenants; a writer stack grants at most ` +
        `${MAX_WRITER_TENANTS} (split the cluster's tenants over several cluster ids)`,
    );
  }
  const roleName = input.roleName ?? writerRoleName(input.clusterId);
  const parameters: Record<string, string> = {
    ClusterId: input.clusterId,
    Tenants: tenants.join(","),
    BucketName: input.bucket,
    RoleName: roleName,
    ...(input.kmsKeyArn ? { KmsKeyArn: input.kmsKeyArn } : {}),
    ...trustParameters(input.trust),
  };
  const stackName = writerStackName(input.clusterId);
  const lines = [
    "aws cloudformation deploy",
    `--stack-name ${shellQuote(stackName)}`,
    `--template-file ${WRITER_TEMPLATE}`,
    "--capabilities CAPABILITY_NAMED_IAM",
    `--region ${input.region}`,
    "--parameter-overrides",
    ...Object.entries(parameters).map(([k, v]) => `  ${shellQuote(`${k}=${v}`)}`),
  ];
  return {
    stackName,
    roleName,
    roleArn: `arn:${input.partition}:iam::${input.account}:role/${roleName}`,
    parameters,
    command: lines.map((l, i) => (i === 0 ? l : `  ${l}`)).join(" \\\n"),
  };
}

/** What the cluster's agent overlay (`vector-params`) needs, in the order the example overlay lists it. */
export function overlayValues(
  cluster: { readonly clusterId: string; readonly tenants: readonly string[]; readonly writerRoleArn: string },
  central: { readonly bucket: string; readonly region: string },
): Record<string, string> {
  return {
    cluster_id: cluster.clusterId,
    allowed_customer_ids: [...cluster.tenants].sort().join(","),
    bucket: central.bucket,
    region: central.region,
    writer_role_arn: cluster.writerRoleArn,
  };
}
