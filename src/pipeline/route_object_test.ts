import { deepStrictEqual as deepEqual } from "node:assert/strict";
import { permanent } from "../errors.ts";
import type { TenantConfig } from "../tenant/delivery.ts";
import type { TenantStore } from "../tenant/tenant_store.ts";
import { cloudWatchDelivery } from "../../tests/support/fakes.ts";
import { routeObject } from "./route_object.ts";

const KEY = "acme/prod-1/api/api-7f9/20260131-120000-0a1b.json.gz";

function store(config: Partial<TenantConfig> | Error): TenantStore & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    get: (tenantId) => {
      asked.push(tenantId);
      if (config instanceof Error) return Promise.reject(config);
      return Promise.resolve({ tenantId, deliveries: [], invalid: [], ...config });
    },
  };
}

Deno.test("an object of a configured tenant routes to the deliveries that admit its application", async () => {
  const tenants = store({
    deliveries: [cloudWatchDelivery(), cloudWatchDelivery({ deliveryId: "web-only", applications: ["web"] })],
  });
  deepEqual(await routeObject(KEY, tenants), {
    tenant: "acme",
    action: "deliver",
    deliveries: ["cloudwatch:/customer/acme/k8s"],
    delivery_ids: ["cloudwatch"],
  });
  deepEqual(tenants.asked, ["acme"]);
});

Deno.test("a bad key is invalid without a tenant lookup; unknown tenants and disabled deliveries are skips", async () => {
  const tenants = store({});
  const bad = await routeObject("acme/prod-1/api.json.gz", tenants);
  deepEqual([bad.action, bad.code, bad.tenant], ["invalid", "InvalidKey", undefined]);
  deepEqual(tenants.asked, []);
  deepEqual(await routeObject(KEY, tenants), { tenant: "acme", action: "skip", reason: 'unknown tenant "acme"' });
  deepEqual(await routeObject(KEY, store({ deliveries: [cloudWatchDelivery({ enabled: false })] })), {
    tenant: "acme",
    action: "skip",
    reason: 'tenant "acme" has no enabled delivery',
  });
});

Deno.test("only invalid items is InvalidConfig; a failed lookup carries its error code", async () => {
  const invalid = await routeObject(
    KEY,
    store({ invalid: [{ tenantId: "acme", deliveryId: "cloudwatch", problems: ["no role_arn"] }] }),
  );
  deepEqual([invalid.action, invalid.code], ["invalid", "InvalidConfig"]);
  deepEqual(invalid.reason?.includes("cloudwatch: no role_arn"), true);
  const failed = await routeObject(KEY, store(permanent("AccessDenied", "Query on tenants denied")));
  deepEqual(failed, { tenant: "acme", action: "invalid", code: "AccessDenied", reason: "Query on tenants denied" });
});

Deno.test("with a registry, a writer the cluster registry refuses routes to refuse, before any tenant lookup", async () => {
  const tenants = store({ deliveries: [cloudWatchDelivery()] });
  const clusters = {
    get: (clusterId: string) =>
      Promise.resolve({
        kind: "registered" as const,
        cluster: {
          clusterId,
          tenants: ["globex"],
          writerRoleArn: "arn:aws:iam::123456789012:role/w",
          writerRoleId: "AROAEXAMPLEWRITER0001",
          enabled: true,
        },
      }),
  };
  deepEqual(await routeObject(KEY, tenants, { registry: { clusters } }), {
    tenant: "acme",
    action: "refuse",
    code: "WriterNotAllowed",
    refused: "tenant_not_on_cluster",
    reason: 'cluster "prod-1" is not registered for tenant "acme" (it serves globex)',
  });
  deepEqual(tenants.asked, []);
  const serving = {
    get: (id: string) => clusters.get(id).then((l) => ({ ...l, cluster: { ...l.cluster, tenants: ["acme"] } })),
  };
  const ref = { bucket: "b", key: KEY, principalId: "AWS:AROAEXAMPLEWRITER0002:s" };
  deepEqual((await routeObject(KEY, tenants, { registry: { clusters: serving, ref } })).refused, "writer_mismatch");
  deepEqual((await routeObject(KEY, tenants, { registry: { clusters: serving } })).action, "deliver");
});
