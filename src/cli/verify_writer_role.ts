/**
 * `clusters verify`, the pure part: do the registry item, the writer role
 * IAM knows and its stack agree? The role must be the registered one (same
 * ARN and unique id), may `s3:PutObject` exactly the registered tenants'
 * `<tenant>/<cluster_id>/*` prefixes and nothing else (apart from the
 * bucket key's GenerateDataKey and re-assuming itself), and has no attached
 * policy that could grant more.
 *
 * @module
 */
import type { Cluster } from "../tenant/cluster.ts";
import { writerObjectArns } from "./writer_stack.ts";

/** What IAM and CloudFormation say about a writer role (gathered by the caller). */
export interface WriterRoleFacts {
  /** GetRole; undefined when IAM has no such role. */
  readonly role?: { readonly arn: string; readonly roleId: string; readonly trustPolicy?: unknown };
  readonly inlinePolicies: readonly { readonly name: string; readonly document: unknown }[];
  readonly attachedPolicies: readonly string[];
  /** The cluster's writer stack; undefined when there is none (the role was made another way). */
  readonly stack?: {
    readonly name: string;
    readonly status: string;
    readonly parameters: Readonly<Record<string, string>>;
    /** Its outputs: what the stack applied (`ClusterId`, `Tenants`, `RoleArn`). */
    readonly outputs: Readonly<Record<string, string>>;
  };
}

/** Where the cluster writes. */
export interface WriterTarget {
  readonly bucket: string;
  readonly partition: string;
  /** The bucket's SSE-KMS key, when known. */
  readonly kmsKeyArn?: string;
}

/** One check and its outcome. */
export interface VerifyCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The report of one cluster (snake_case: it is output). */
export interface ClusterVerifyReport {
  readonly cluster_id: string;
  readonly ok: boolean;
  readonly checks: readonly VerifyCheck[];
}

type Json = Record<string, unknown>;
const list = (v: unknown): unknown[] => v === undefined ? [] : Array.isArray(v) ? v : [v];
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every Allow statement of the role's inline policies, with the policy it came from. */
function allowStatements(facts: WriterRoleFacts): { policy: string; statement: Json }[] {
  const out: { policy: string; statement: Json }[] = [];
  for (const p of facts.inlinePolicies) {
    const doc = isObject(p.document) ? p.document : {};
    for (const s of list(doc.Statement)) {
      if (isObject(s) && s.Effect === "Allow") out.push({ policy: p.name, statement: s });
    }
  }
  return out;
}

/** Compares the granted object ARNs with the registered tenants' prefixes. */
function objectGrants(granted: readonly string[], expected: readonly string[]): VerifyCheck {
  const missing = expected.filter((a) => !granted.includes(a));
  const extra = [...new Set(granted)].filter((a) => !expected.includes(a)).sort();
  const problems = [
    ...(extra.length ? [`grants prefixes the registry does not list: ${extra.join(", ")}`] : []),
    ...(missing.length ? [`lacks registered prefixes (their writes are denied): ${missing.join(", ")}`] : []),
  ];
  return {
    check: "object grants",
    ok: problems.length === 0,
    detail: problems.length ? problems.join("; ") : `s3:PutObject on exactly ${expected.join(", ")}`,
  };
}

/** Sorts the Allow statements into PutObject grants and anything beyond what a writer needs. */
function classifyGrants(cluster: Cluster, target: WriterTarget, facts: WriterRoleFacts) {
  const putObject: string[] = [];
  const beyond: string[] = [];
  for (const { policy, statement: s } of allowStatements(facts)) {
    if ("NotAction" in s || "NotResource" in s) {
      beyond.push(`${policy}: NotAction/NotResource grants more than it names`);
      continue;
    }
    const actions = list(s.Action).map((a) => String(a).toLowerCase());
    const resources = list(s.Resource).map(String);
    const condition = isObject(s.Condition) ? s.Condition : {};
    const viaS3 = JSON.stringify(condition).includes(`"kms:ViaService"`) && JSON.stringify(condition).includes("s3.");
    const wanted = (a: string, r: string) => {
      if (a === "s3:putobject") {
        putObject.push(r);
        return true;
      }
      if (a === "kms:generatedatakey" && viaS3 && (!target.kmsKeyArn || r === target.kmsKeyArn)) return true;
      return a === "sts:assumerole" && r === cluster.writerRoleArn;
    };
    for (const a of actions) {
      for (const r of resources) if (!wanted(a, r)) beyond.push(`${policy}: ${a} on ${r}`);
    }
  }
  return { putObject, beyond };
}

/** Who may assume the role: named principals only; an account root only as the role re-assuming itself. */
function trustCheck(cluster: Cluster, trustPolicy: unknown): VerifyCheck {
  const doc = isObject(trustPolicy) ? trustPolicy : {};
  const who: string[] = [];
  const problems: string[] = [];
  for (const s of list(doc.Statement)) {
    if (!isObject(s) || s.Effect !== "Allow") continue;
    const principal = s.Principal;
    const entries = principal === "*"
      ? [["AWS", "*"]]
      : isObject(principal)
      ? Object.entries(principal).flatMap(([kind, v]) => list(v).map((x) => [kind, String(x)]))
      : [];
    const self = JSON.stringify(s.Condition ?? {}).includes(`"aws:PrincipalArn":"${cluster.writerRoleArn}"`);
    for (const [kind, value] of entries) {
      if (value === "*") problems.push(`${kind} "*" may assume it`);
      else if (/:root$/.test(value ?? "") && !self) problems.push(`every principal of ${value} may assume it`);
      else if (!/:root$/.test(value ?? "")) who.push(`${kind} ${value}`);
    }
  }
  return {
    check: "trust",
    ok: problems.length === 0 && who.length > 0,
    detail: problems.length
      ? `the trust policy is too wide: ${problems.join("; ")}`
      : who.length
      ? `assumed by ${who.join(", ")}`
      : "no principal may assume it",
  };
}

function stackCheck(cluster: Cluster, target: WriterTarget, facts: WriterRoleFacts): VerifyCheck {
  const stack = facts.stack;
  if (!stack) {
    return { check: "stack", ok: true, detail: "no writer stack found; the role's policies were checked directly" };
  }
  const p = stack.parameters;
  const o = stack.outputs;
  const tenants = (o.Tenants ?? "").split(",").filter(Boolean).sort().join(",");
  const problems = [
    ...(/_COMPLETE$/.test(stack.status) && !/ROLLBACK|DELETE/.test(stack.status) ? [] : [`status ${stack.status}`]),
    ...(o.ClusterId === cluster.clusterId ? [] : [`ClusterId is ${JSON.stringify(o.ClusterId)}`]),
    ...(tenants === cluster.tenants.join(",") ? [] : [`Tenants is ${JSON.stringify(tenants)}`]),
    ...(o.RoleArn === cluster.writerRoleArn ? [] : [`RoleArn is ${JSON.stringify(o.RoleArn)}`]),
    ...(p.BucketName === target.bucket ? [] : [`BucketName is ${JSON.stringify(p.BucketName)}`]),
  ];
  return {
    check: "stack",
    ok: problems.length === 0,
    detail: problems.length
      ? `stack ${stack.name} disagrees with the registry: ${
        problems.join("; ")
      } (redeploy: clusters add --replace --deploy)`
      : `stack ${stack.name} (${stack.status}) has the registered cluster, tenants, bucket and role`,
  };
}

/** Checks one registered cluster's writer role: `facts` (what IAM and CloudFormation say) against `target`. */
export function verifyWriterRole(
  cluster: Cluster,
  against: { readonly target: WriterTarget; readonly facts: WriterRoleFacts },
): ClusterVerifyReport {
  const { target, facts } = against;
  const checks: VerifyCheck[] = [];
  const done = () => ({ cluster_id: cluster.clusterId, ok: checks.every((c) => c.ok), checks });
  checks.push({
    check: "registry",
    ok: true,
    detail: `${cluster.enabled ? "enabled" : "disabled"}; tenants ${cluster.tenants.join(", ")}; ` +
      `writer ${cluster.writerRoleArn} (${cluster.writerRoleId})`,
  });
  const role = facts.role;
  if (!role) {
    checks.push({ check: "role", ok: false, detail: `IAM has no role ${cluster.writerRoleArn}` });
    return done();
  }
  checks.push({
    check: "role",
    ok: role.arn === cluster.writerRoleArn && role.roleId === cluster.writerRoleId,
    detail: role.roleId === cluster.writerRoleId && role.arn === cluster.writerRoleArn
      ? `${role.arn} has the registered id ${role.roleId}`
      : `IAM says ${role.arn} has id ${role.roleId}; the registry says ${cluster.writerRoleArn} ` +
        `(${cluster.writerRoleId}): the role was recreated or the item is stale, and the processor refuses its ` +
        `writes (re-register: clusters add --replace)`,
  });
  if (role.trustPolicy !== undefined) checks.push(trustCheck(cluster, role.trustPolicy));
  checks.push({
    check: "attached policies",
    ok: facts.attachedPolicies.length === 0,
    detail: facts.attachedPolicies.length === 0
      ? "none"
      : `managed policies can grant more than the stack: ${facts.attachedPolicies.join(", ")}`,
  });
  const { putObject, beyond } = classifyGrants(cluster, target, facts);
  checks.push(objectGrants(putObject, writerObjectArns({ ...target, clusterId: cluster.clusterId }, cluster.tenants)));
  checks.push({
    check: "other grants",
    ok: beyond.length === 0,
    detail: beyond.length === 0
      ? "nothing beyond the bucket key's GenerateDataKey through S3 and re-assuming itself"
      : `grants more than a writer needs: ${beyond.join("; ")}`,
  });
  checks.push(stackCheck(cluster, target, facts));
  return done();
}

/** A report as terminal text. */
export function formatClusterVerifyReport(report: ClusterVerifyReport): string {
  const lines = [`cluster ${report.cluster_id}: ${report.ok ? "ok" : "FAILED"}`];
  for (const c of report.checks) lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.check}: ${c.detail}`);
  return lines.join("\n");
}
