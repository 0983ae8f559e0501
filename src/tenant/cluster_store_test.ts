import { deepStrictEqual as deepEqual } from "node:assert/strict";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { RecordingClient } from "../../tests/support/recording_client.ts";
import type { ClusterLookup } from "./cluster.ts";
import { DynamoClusterStore } from "./cluster_store.ts";

/** What the store answers for `clusterId` when the table holds `item` (or nothing). */
async function clusterFromItem(clusterId: string, item: Record<string, unknown> | undefined): Promise<ClusterLookup> {
  // Written by hand as a string set, so that an empty one (which marshall refuses) reaches the store too.
  const raw = item &&
    {
      ...marshall({ ...item, tenants: undefined }, { removeUndefinedValues: true }),
      tenants: { SS: [...item.tenants as Set<string>] },
    };
  const client = new RecordingClient(() => ({ Item: raw }));
  const lookup = await new DynamoClusterStore(client.as<DynamoDBClient>(), "clusters").get(clusterId);
  deepEqual(client.sent, [{
    command: "GetItemCommand",
    input: { TableName: "clusters", Key: { cluster_id: { S: clusterId } } },
  }]);
  return lookup;
}

const ITEM = {
  cluster_id: "prod-1",
  tenants: new Set(["acme"]),
  writer_role_arn: "arn:aws:iam::123456789012:role/log-writer-prod-1",
  writer_role_id: "AROAEXAMPLEWRITER0001",
};

Deno.test("no item is an unregistered cluster; a valid one is registered", async () => {
  deepEqual(await clusterFromItem("prod-1", undefined), { kind: "unregistered", clusterId: "prod-1" });
  deepEqual((await clusterFromItem("prod-1", ITEM)).kind, "registered");
});

Deno.test("an invalid item, or one whose cluster_id is not its key, refuses the cluster with the problems", async () => {
  deepEqual(await clusterFromItem("prod-1", { ...ITEM, tenants: new Set() }), {
    kind: "invalid",
    clusterId: "prod-1",
    problems: ["tenants must not be empty"],
  });
  deepEqual(await clusterFromItem("prod-2", ITEM), {
    kind: "invalid",
    clusterId: "prod-2",
    problems: ['cluster_id "prod-1" is not the key'],
  });
});
