import assert from "node:assert/strict";
import { selectDeliveries } from "./select_deliveries.ts";
import { tenantFromItems } from "./tenant_store.ts";

const item = (delivery_id: string, applications?: unknown) => ({
  tenant_id: "acme",
  delivery_id,
  type: "cloudwatch",
  role_arn: "arn:aws:iam::210987654321:role/log-delivery",
  external_id: "ext-123",
  log_group_name: `/acme/${delivery_id}`,
  ...(applications === undefined ? {} : { applications }),
});

const selected = (tenant: ReturnType<typeof tenantFromItems>, app: string) => {
  const s = selectDeliveries(tenant, app);
  return s.kind === "deliver" ? s.deliveries.map((d) => d.deliveryId) : s.kind;
};

Deno.test("allow-lists: a list, a string set (as DynamoDB SS unmarshals) and none each admit their applications", () => {
  const tenant = tenantFromItems("acme", [
    item("all"),
    item("empty", []),
    item("list", ["api", "web"]),
    item("set", new Set(["worker"])),
  ]);
  assert.deepEqual(tenant.invalid, []);
  assert.deepEqual(selected(tenant, "api"), ["all", "empty", "list"]);
  assert.deepEqual(selected(tenant, "worker"), ["all", "empty", "set"]);
  assert.deepEqual(selected(tenant, "batch"), ["all", "empty"]);
});

Deno.test("allow-lists: nothing admitted is a skip with a reason; a bad list disables only its item", () => {
  const only = tenantFromItems("acme", [item("list", ["api"])]);
  const skip = selectDeliveries(only, "web");
  assert.equal(skip.kind, "skip");
  assert.match(skip.kind === "skip" ? skip.reason : "", /application "web" is not allowed/);
  const mixed = tenantFromItems("acme", [
    item("bad", "api"),
    item("bad-entry", ["api", "../x"]),
    item("good", ["api"]),
  ]);
  assert.deepEqual(mixed.invalid.map((i) => i.deliveryId), ["bad", "bad-entry"]);
  assert.deepEqual(selected(mixed, "api"), ["good"]);
});
