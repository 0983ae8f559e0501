import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import type { DestinationClients } from "../aws/destination_clients.ts";
import { type Delivery, DELIVERY_TYPES, deliveryTypeSpec, describeDestination } from "../tenant/delivery.ts";
import { cloudWatchDelivery, s3TableItem, UNIT_CUSTOMER } from "../../tests/support/fakes.ts";
import { RecordingClient } from "../../tests/support/recording_client.ts";
import { validateDelivery } from "../tenant/validate_delivery.ts";
import { probeDestination } from "./destinations.ts";

Deno.test("every delivery type has a spec and an edge, under its own name", async () => {
  deepEqual(DELIVERY_TYPES, ["cloudwatch", "s3"]);
  for (const type of DELIVERY_TYPES) equal(deliveryTypeSpec(type)?.type, type);
  equal(deliveryTypeSpec("kinesis"), undefined);
  // Each type's probe asks its own kind of client, with its own destination.
  const s3 = validateDelivery(s3TableItem());
  const deliveries: Delivery[] = [cloudWatchDelivery(), ...(s3.ok ? [s3.delivery] : [])];
  const asked: string[] = [];
  for (const delivery of deliveries) {
    const client = (kind: string) => () => {
      const recording = new RecordingClient(() => ({ logStreams: [] }));
      asked.push(kind);
      return recording;
    };
    const clients = { logs: client("logs"), s3: client("s3") } as unknown as DestinationClients;
    await probeDestination(delivery, clients);
  }
  deepEqual(asked, ["logs", "s3"]);
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
