import { deepStrictEqual as deepEqual } from "node:assert/strict";
import { clusterFromItem } from "./cluster_store.ts";

const ITEM = {
  cluster_id: "prod-1",
  tenants: new Set(["acme"]),
  writer_role_arn: "arn:aws:iam::123456789012:role/log-writer-prod-1",
  writer_role_id: "AROAEXAMPLEWRITER0001",
};

Deno.test("no item is an unregistered cluster; a valid one is registered", () => {
  deepEqual(clusterFromItem("prod-1", undefined), { kind: "unregistered", clusterId: "prod-1" });
  deepEqual(clusterFromItem("prod-1", ITEM).kind, "registered");
});

Deno.test("an invalid item, or one whose cluster_id is not its key, refuses the cluster with the problems", () => {
  deepEqual(clusterFromItem("prod-1", { ...ITEM, tenants: new Set() }), {
    kind: "invalid",
    clusterId: "prod-1",
    problems: ["tenants must not be empty"],
  });
  deepEqual(clusterFromItem("prod-2", ITEM), {
    kind: "invalid",
    clusterId: "prod-2",
    problems: ['cluster_id "prod-1" is not the key'],
  });
});
