import { deepStrictEqual as deepEqual } from "node:assert/strict";
import { validateCluster } from "./validate_cluster.ts";

const ITEM = {
  cluster_id: "prod-1",
  tenants: new Set(["globex", "acme"]),
  writer_role_arn: "arn:aws:iam::123456789012:role/log-writer-prod-1",
  writer_role_id: "AROAEXAMPLEWRITER0001",
};

function problems(item: Record<string, unknown>): readonly string[] {
  const result = validateCluster(item);
  if (result.ok) throw new Error(`expected invalid: ${JSON.stringify(item)}`);
  return result.problems;
}

Deno.test("a complete item becomes a cluster: tenants sorted and de-duplicated, enabled by default", () => {
  deepEqual(validateCluster(ITEM), {
    ok: true,
    cluster: {
      clusterId: "prod-1",
      tenants: ["acme", "globex"],
      writerRoleArn: "arn:aws:iam::123456789012:role/log-writer-prod-1",
      writerRoleId: "AROAEXAMPLEWRITER0001",
      enabled: true,
    },
  });
  const listed = validateCluster({ ...ITEM, tenants: ["acme", "acme"], enabled: false, note: "kept" });
  deepEqual(listed.ok && listed.cluster.tenants, ["acme"]);
  deepEqual(listed.ok && listed.cluster.enabled, false);
});

Deno.test("every missing attribute is named", () => {
  deepEqual(problems({}), [
    "cluster_id is required",
    "tenants is required",
    "writer_role_arn is required",
    "writer_role_id is required",
  ]);
  deepEqual(validateCluster({ ...ITEM, cluster_id: undefined }), {
    ok: false,
    clusterId: "",
    problems: ["cluster_id is required"],
  });
});

Deno.test("each wrong attribute is refused with a reason naming it", () => {
  deepEqual(problems({ ...ITEM, cluster_id: "../etc" }), [
    'cluster_id "../etc" is not a valid cluster_id segment',
  ]);
  deepEqual(problems({ ...ITEM, cluster_id: 7 }), ["cluster_id must be a string"]);
  deepEqual(problems({ ...ITEM, tenants: new Set() }), ["tenants must not be empty"]);
  deepEqual(problems({ ...ITEM, tenants: "acme" }), ["tenants must be a string set"]);
  deepEqual(problems({ ...ITEM, tenants: ["acme", "a/b", 3] }), [
    'tenants entry "a/b" is not a valid customer_id segment',
    "tenants entry 3 is not a valid customer_id segment",
  ]);
  deepEqual(problems({ ...ITEM, writer_role_arn: "arn:aws:iam::123456789012:user/x" }), [
    'writer_role_arn "arn:aws:iam::123456789012:user/x" is not an IAM role ARN',
  ]);
  deepEqual(problems({ ...ITEM, writer_role_id: "AIDAEXAMPLEUSER00001" }), [
    'writer_role_id "AIDAEXAMPLEUSER00001" is not an IAM role id (AROA…)',
  ]);
  deepEqual(problems({ ...ITEM, enabled: "yes" }), ["enabled must be a boolean"]);
});
