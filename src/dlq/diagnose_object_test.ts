import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { cloudWatchDelivery } from "../../tests/support/fakes.ts";
import type { DeliveryStateStore } from "../delivery/state/delivery_state_store.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import type { TenantStore } from "../tenant/tenant_store.ts";
import { diagnoseObject, type ObjectProbe } from "./diagnose_object.ts";

const REF: ObjectRef = {
  bucket: "central",
  key: "acme/prod-1/api/api-7f9/20260131-120000-a.json.gz",
  eTag: "from-event",
};
const tenants: TenantStore = {
  get: (tenantId) =>
    Promise.resolve(
      tenantId === "acme"
        ? { tenantId, deliveries: [cloudWatchDelivery(), cloudWatchDelivery({ deliveryId: "second" })], invalid: [] }
        : { tenantId, deliveries: [], invalid: [] },
    ),
};
const present: ObjectProbe = { head: () => Promise.resolve({ eTag: '"from-head"' }) };

Deno.test("in the processor's order: bucket, key, object, tenant; each stops at its permanent error", async () => {
  const deps = { tenants, objects: present, centralBucket: "central" };
  deepEqual(await diagnoseObject({ ...REF, bucket: "other" }, deps), {
    verdict: "fails_again",
    code: "UnexpectedBucket",
    reason: 'bucket "other" is not the central bucket "central"',
  });
  equal((await diagnoseObject({ ...REF, key: "acme/x.json.gz" }, deps)).code, "InvalidKey");
  const gone = await diagnoseObject(REF, { ...deps, objects: { head: () => Promise.resolve(undefined) } });
  deepEqual([gone.verdict, gone.code], ["fails_again", "NoSuchKey"]);
  const stranger = await diagnoseObject({ ...REF, key: REF.key.replace("acme", "globex") }, deps);
  deepEqual(stranger, { verdict: "skipped", reason: 'unknown tenant "globex"' });
});

Deno.test("a deliverable object: the failure was at delivery; the delivery-state table says what is left", async () => {
  const asked: string[] = [];
  const deliveryState: DeliveryStateStore = {
    recall: (pk) => (asked.push(pk), Promise.resolve({ completed: new Set(["cloudwatch"]), progress: new Map() })),
    remember: () => Promise.reject(new Error("read only")),
  };
  const d = await diagnoseObject(REF, { tenants, objects: present, deliveryState });
  equal(d.verdict, "retry");
  deepEqual(d.completed, ["cloudwatch"]);
  deepEqual(asked, [`central/${REF.key}#from-head`], "the object's own ETag, as the processor keys it");
  equal(d.reason.includes("cloudwatch succeeded on an earlier receive and will not be repeated, second is left"), true);
  equal(d.reason.includes("`log-processor tenants verify --tenant acme`"), true);
});

Deno.test("what cannot be checked is said, never guessed", async () => {
  deepEqual(await diagnoseObject(REF, { objects: present }), {
    verdict: "unknown",
    reason: "tenant not checked: TENANT_CONFIG_TABLE is not set",
  });
  const denied = Object.assign(new Error("Forbidden"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
  const d = await diagnoseObject(REF, { tenants, objects: { head: () => Promise.reject(denied) } });
  deepEqual([d.verdict, d.code], ["unknown", "AccessDenied"]);
});

Deno.test("a writer the cluster registry refuses fails again; without CLUSTER_TABLE the diagnosis says it did not look", async () => {
  const cluster = (tenants: string[]) => ({
    get: (clusterId: string) =>
      Promise.resolve({
        kind: "registered" as const,
        cluster: {
          clusterId,
          tenants,
          writerRoleArn: "arn:aws:iam::123456789012:role/w",
          writerRoleId: "AROAEXAMPLEWRITER0001",
          enabled: true,
        },
      }),
  });
  const refused = await diagnoseObject(REF, { tenants, objects: present, clusters: cluster(["globex"]) });
  deepEqual([refused.verdict, refused.code], ["fails_again", "WriterNotAllowed"]);
  equal(
    refused.reason.startsWith('cluster "prod-1" is not registered for tenant "acme" (it serves globex); a redrive'),
    true,
  );
  // The message keeps the writer's identity: another role is refused even when the cluster serves the tenant.
  const forged = await diagnoseObject({ ...REF, principalId: "AWS:AROAEXAMPLEWRITER0002:x" }, {
    tenants,
    objects: present,
    clusters: cluster(["acme"]),
  });
  deepEqual([forged.verdict, forged.code], ["fails_again", "WriterNotAllowed"]);
  equal((await diagnoseObject(REF, { tenants, objects: present, clusters: cluster(["acme"]) })).verdict, "retry");
  const unchecked = await diagnoseObject(REF, { tenants, objects: present });
  equal(unchecked.reason.endsWith("(the cluster registry was not checked: CLUSTER_TABLE is not set)"), true);
});
