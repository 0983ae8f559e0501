/**
 * What IAM, CloudFormation and S3 say about a cluster's writer: the role
 * (resolved by name to its ARN and unique id), its inline and attached
 * policies, its stack, and the central bucket's SSE-KMS key. Read-only.
 *
 * @module
 */
import { type CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  NoSuchEntityException,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from "@aws-sdk/client-iam";
import { GetBucketEncryptionCommand, type S3Client } from "@aws-sdk/client-s3";
import { outputsOf } from "../aws/stack_deployer.ts";
import { classifyAwsError } from "../aws/classify_error.ts";
import type { WriterRoleFacts } from "./verify_writer_role.ts";

/** A role as IAM reports it. */
export interface IamRole {
  readonly arn: string;
  readonly roleId: string;
  readonly trustPolicy: unknown;
}

/** IAM returns policy documents URL-encoded. */
function policyJson(raw: string | undefined): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(decodeURIComponent(raw));
  } catch {
    return JSON.parse(raw);
  }
}

function awsFailure(what: string, err: unknown): Error {
  const { code } = classifyAwsError(err);
  const detail = err instanceof Error && err.message ? `: ${err.message}` : "";
  return new Error(`Cannot ${what}: ${code}${detail}`, { cause: err });
}

/** The role named `roleName`, or undefined when IAM has none. */
export async function getRole(iam: IAMClient, roleName: string): Promise<IamRole | undefined> {
  try {
    const out = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    const role = out.Role;
    if (!role?.Arn || !role.RoleId) return undefined;
    return { arn: role.Arn, roleId: role.RoleId, trustPolicy: policyJson(role.AssumeRolePolicyDocument) };
  } catch (err) {
    if (err instanceof NoSuchEntityException) return undefined;
    throw awsFailure(`read role ${roleName} (iam:GetRole)`, err);
  }
}

/** Everything `clusters verify` checks about the role `roleName` and the stack `stackName`. */
export async function writerRoleFacts(
  clients: { readonly iam: IAMClient; readonly cf: CloudFormationClient },
  names: { readonly roleName: string; readonly stackName: string },
): Promise<WriterRoleFacts> {
  const { iam, cf } = clients;
  const role = await getRole(iam, names.roleName);
  const inlinePolicies: { name: string; document: unknown }[] = [];
  const attachedPolicies: string[] = [];
  if (role) {
    try {
      for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: names.roleName })) {
        for (const name of page.PolicyNames ?? []) {
          const doc = await iam.send(new GetRolePolicyCommand({ RoleName: names.roleName, PolicyName: name }));
          inlinePolicies.push({ name, document: policyJson(doc.PolicyDocument) });
        }
      }
      for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: names.roleName })) {
        for (const p of page.AttachedPolicies ?? []) attachedPolicies.push(p.PolicyArn ?? p.PolicyName ?? "?");
      }
    } catch (err) {
      throw awsFailure(`read the policies of role ${names.roleName}`, err);
    }
  }
  let stack: WriterRoleFacts["stack"];
  try {
    const out = await cf.send(new DescribeStacksCommand({ StackName: names.stackName }));
    const s = out.Stacks?.[0];
    if (s && s.StackStatus !== "DELETE_COMPLETE") {
      const parameters: Record<string, string> = {};
      for (const p of s.Parameters ?? []) if (p.ParameterKey) parameters[p.ParameterKey] = p.ParameterValue ?? "";
      stack = { name: names.stackName, status: s.StackStatus ?? "UNKNOWN", parameters, outputs: outputsOf(s) };
    }
  } catch (err) {
    if (!(err instanceof Error && /does not exist/.test(err.message))) {
      throw awsFailure(`describe stack ${names.stackName}`, err);
    }
  }
  return { ...(role ? { role } : {}), inlinePolicies, attachedPolicies, ...(stack ? { stack } : {}) };
}

/**
 * The KMS key ARN of `bucket`'s default encryption; undefined when it has
 * none (or only SSE-S3). Throws naming the missing permission otherwise.
 */
export async function bucketKmsKey(s3: S3Client, bucket: string): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    for (const rule of out.ServerSideEncryptionConfiguration?.Rules ?? []) {
      const d = rule.ApplyServerSideEncryptionByDefault;
      if (d?.SSEAlgorithm?.startsWith("aws:kms") && d.KMSMasterKeyID) return d.KMSMasterKeyID;
    }
    return undefined;
  } catch (err) {
    const { code } = classifyAwsError(err);
    if (code === "ServerSideEncryptionConfigurationNotFoundError") return undefined;
    throw awsFailure(
      `read the encryption of bucket ${bucket} (s3:GetEncryptionConfiguration; or give --kms-key-arn)`,
      err,
    );
  }
}
