import { deepStrictEqual as deepEqual, ok, strictEqual as equal } from "node:assert/strict";
import { cloudWatchItem } from "../../tests/support/fixtures.ts";
import { s3TableItem, UNIT_CUSTOMER } from "../../tests/support/fakes.ts";
import { tenantFromItems } from "./tenant_store.ts";

Deno.test("a tenant without items has no deliveries and nothing invalid", () => {
  deepEqual(tenantFromItems("ghost", []), { tenantId: "ghost", deliveries: [], invalid: [] });
});

Deno.test("an invalid item beside a valid one disables only itself", () => {
  const tenant = tenantFromItems("acme", [
    cloudWatchItem(UNIT_CUSTOMER),
    s3TableItem({ delivery_id: "archive", bucket_name: "Bad_Bucket" }),
    cloudWatchItem(UNIT_CUSTOMER, {
      delivery_id: "audit",
      log_group_name: "/customer/acme/audit",
      applications: ["audit"],
    }),
  ]);
  equal(tenant.tenantId, "acme");
  deepEqual(tenant.deliveries.map((d) => d.deliveryId), ["cloudwatch", "audit"]);
  equal(tenant.invalid.length, 1);
  equal(tenant.invalid[0]!.deliveryId, "archive");
  equal(tenant.invalid[0]!.tenantId, "acme");
  ok(tenant.invalid[0]!.problems[0]!.startsWith('bucket_name "Bad_Bucket"'), tenant.invalid[0]!.problems[0]);
});

Deno.test("the validation context reaches every item (central-bucket loop check)", () => {
  const tenant = tenantFromItems("acme", [s3TableItem({ bucket_name: "central-logs" })], {
    centralBucket: "central-logs",
  });
  deepEqual(tenant.deliveries, []);
  equal(tenant.invalid.length, 1);
});
