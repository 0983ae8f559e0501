import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { DELIVERY_TYPE_SPECS, DELIVERY_TYPES, describeDestination } from "../tenant/delivery.ts";
import { cloudWatchDelivery, s3TableItem, UNIT_CUSTOMER } from "../../tests/support/fakes.ts";
import { validateDelivery } from "../tenant/validate_delivery.ts";
import { DESTINATIONS } from "./destinations.ts";

Deno.test("every delivery type has a spec and an edge, under its own name", () => {
  deepEqual(DELIVERY_TYPES, ["cloudwatch", "s3"]);
  deepEqual(Object.keys(DESTINATIONS), [...DELIVERY_TYPES]);
  for (const type of DELIVERY_TYPES) equal(DELIVERY_TYPE_SPECS[type].type, type);
});

Deno.test("each type describes its own destination", () => {
  equal(describeDestination(cloudWatchDelivery()), `cloudwatch:${UNIT_CUSTOMER.logGroup}`);
  equal(
    describeDestination(cloudWatchDelivery({ region: "eu-west-1" })),
    `cloudwatch:${UNIT_CUSTOMER.logGroup}@eu-west-1`,
  );
  const s3 = validateDelivery(s3TableItem({ bucket_prefix: "k8s/" }));
  equal(s3.ok && describeDestination(s3.delivery), "s3://acme-log-archive/k8s/");
});
