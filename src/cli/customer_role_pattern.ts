/**
 * Which customer role names the central role may assume: the `sts:AssumeRole`
 * resources of its inline policies (the core stack's `CustomerRoleNamePattern`,
 * default `CustomerLogDistribution*`), so `tenants add` can warn about a role
 * the chain would fail on at delivery time. The matching is pure; reading the
 * policy needs `iam:ListRolePolicies` and `iam:GetRolePolicy` on the central
 * role (the IAM client is passed in).
 *
 * @module
 */
import { GetRolePolicyCommand, type IAMClient, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { parseRoleArn } from "./customer_stack_command.ts";

/** Whether `roleArn` matches the IAM resource pattern `resource` (`*` any run of characters, `?` one). */
function matchesResource(roleArn: string, resource: string): boolean {
  const regex = resource.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(roleArn);
}

/** The role resources an IAM policy document allows `sts:AssumeRole` on (tolerates emulators' dict-style quoting). */
function assumableRoles(document: string): string[] {
  let policy;
  try {
    policy = JSON.parse(document);
  } catch {
    policy = JSON.parse(document.replace(/'/g, '"'));
  }
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  return list(policy.Statement).flatMap((s) => {
    const st = s as { Effect?: string; Action?: unknown; Resource?: unknown };
    if (st.Effect !== "Allow" || !list(st.Action).some((a) => a === "sts:AssumeRole" || a === "sts:*")) return [];
    return list(st.Resource).filter((r): r is string => typeof r === "string" && /:iam::[^:]*:role\//.test(r));
  });
}

/** The customer-role patterns of the central role's inline policies. */
export async function centralRolePatterns(iam: IAMClient, centralRoleArn: string): Promise<string[]> {
  const roleName = parseRoleArn(centralRoleArn).name;
  const names = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
  const patterns: string[] = [];
  for (const policyName of names) {
    const out = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
    if (out.PolicyDocument) patterns.push(...assumableRoles(decodeURIComponent(out.PolicyDocument)));
  }
  return patterns;
}

/** The warning for `roleArn` against `patterns`, or undefined when the central role may assume it. */
export function rolePatternWarning(roleArn: string, patterns: readonly string[], source: string): string | undefined {
  if (patterns.some((p) => matchesResource(roleArn, p))) return undefined;
  const shown = patterns.length ? patterns.map((p) => p.replace(/^.*:role\//, "")).join(", ") : "none";
  return `role ${roleArn} does not match the central role's CustomerRoleNamePattern (${shown}, from ${source}): ` +
    `the role chain will be denied at delivery time; name the customer role to match, or redeploy the core ` +
    `stack with --customer-role-pattern`;
}
