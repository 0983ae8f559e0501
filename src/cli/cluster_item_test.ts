import assert from "node:assert/strict";
import { buildClusterItem, parseTenantList } from "./cluster_item.ts";

const REG = {
  clusterId: "prod-1",
  tenants: ["globex", "acme"],
  writerRoleArn: "arn:aws:iam::123456789012:role/log-writer-prod-1",
  writerRoleId: "AROAEXAMPLEWRITER0001",
  enabled: true,
  now: new Date("2026-01-02T03:04:05Z"),
};

Deno.test("a registration becomes the item the processor validates, with the tenants as a string set", () => {
  const built = buildClusterItem(REG);
  if (!built.ok) throw new Error(built.problems.join("; "));
  assert.deepEqual(built.item, {
    cluster_id: "prod-1",
    tenants: new Set(["globex", "acme"]),
    writer_role_arn: REG.writerRoleArn,
    writer_role_id: REG.writerRoleId,
    enabled: true,
    updated_at: "2026-01-02T03:04:05.000Z",
  });
  assert.deepEqual(built.cluster.tenants, ["acme", "globex"]);
});

Deno.test("problems name the flag that set the value", () => {
  const built = buildClusterItem({ ...REG, clusterId: "a/b", tenants: [] });
  assert.deepEqual(built.ok ? [] : built.problems, [
    'cluster_id "a/b" is not a valid cluster_id segment (--cluster)',
    "tenants must not be empty (--tenants)",
  ]);
});

Deno.test("the tenant list is split on commas, trimmed, empties dropped", () => {
  assert.deepEqual(parseTenantList(" acme, globex,,initech "), ["acme", "globex", "initech"]);
  assert.deepEqual(parseTenantList(undefined), []);
});
