import { deepStrictEqual as deepEqual, match, strictEqual as equal } from "node:assert/strict";
import { cloudWatchDelivery } from "../../tests/support/fakes.ts";
import type { TenantConfig } from "./delivery.ts";
import { selectDeliveries } from "./select_deliveries.ts";

const tenant = (config: Partial<TenantConfig>): TenantConfig => ({
  tenantId: "acme",
  deliveries: [],
  invalid: [],
  ...config,
});
const invalidItem = { tenantId: "acme", deliveryId: "broken", problems: ["role_arn is required", "type is required"] };

Deno.test("an unknown tenant (no items at all) is skipped, naming the tenant", () => {
  deepEqual(selectDeliveries(tenant({}), "api"), { kind: "skip", reason: 'unknown tenant "acme"' });
});

Deno.test("every enabled delivery without allow-list receives the object", () => {
  const a = cloudWatchDelivery();
  const b = cloudWatchDelivery({ deliveryId: "second", logGroupName: "/other" });
  deepEqual(selectDeliveries(tenant({ deliveries: [a, b] }), "api"), { kind: "deliver", deliveries: [a, b] });
});

Deno.test("disabled deliveries are left out; all disabled means skipped", () => {
  const on = cloudWatchDelivery();
  const off = cloudWatchDelivery({ deliveryId: "off", enabled: false });
  deepEqual(selectDeliveries(tenant({ deliveries: [off, on] }), "api"), { kind: "deliver", deliveries: [on] });
  deepEqual(selectDeliveries(tenant({ deliveries: [off] }), "api"), {
    kind: "skip",
    reason: 'tenant "acme" has no enabled delivery',
  });
});

Deno.test("the applications allow-list admits only its applications", () => {
  const apiOnly = cloudWatchDelivery({ deliveryId: "api-only", applications: ["api", "gateway"] });
  const all = cloudWatchDelivery({ deliveryId: "all" });
  deepEqual(selectDeliveries(tenant({ deliveries: [apiOnly, all] }), "api"), {
    kind: "deliver",
    deliveries: [apiOnly, all],
  });
  deepEqual(selectDeliveries(tenant({ deliveries: [apiOnly, all] }), "worker"), { kind: "deliver", deliveries: [all] });
  deepEqual(selectDeliveries(tenant({ deliveries: [apiOnly] }), "worker"), {
    kind: "skip",
    reason: 'application "worker" is not allowed by any delivery of tenant "acme"',
  });
  equal(selectDeliveries(tenant({ deliveries: [apiOnly] }), "API").kind, "skip", "matching is exact");
});

Deno.test("only invalid items: a configuration error listing their problems", () => {
  const selection = selectDeliveries(tenant({ invalid: [invalidItem] }), "api");
  equal(selection.kind, "invalid");
  match(
    selection.kind === "invalid" ? selection.reason : "",
    /tenant "acme" has no valid delivery.*broken: role_arn is required; type is required/,
  );
});

Deno.test("a valid delivery beside an invalid item still delivers", () => {
  const ok = cloudWatchDelivery();
  deepEqual(selectDeliveries(tenant({ deliveries: [ok], invalid: [invalidItem] }), "api"), {
    kind: "deliver",
    deliveries: [ok],
  });
});

Deno.test("an invalid item with only disabled or non-matching valid ones is a configuration error", () => {
  const off = cloudWatchDelivery({ enabled: false });
  const other = cloudWatchDelivery({ applications: ["web"] });
  equal(selectDeliveries(tenant({ deliveries: [off], invalid: [invalidItem] }), "api").kind, "invalid");
  equal(selectDeliveries(tenant({ deliveries: [other], invalid: [invalidItem] }), "api").kind, "invalid");
});
