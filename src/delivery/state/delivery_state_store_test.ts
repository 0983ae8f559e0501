import { deepStrictEqual as deepEqual, ok, rejects, strictEqual as equal } from "node:assert/strict";
import { ProcessingError } from "../../errors.ts";
import { awsError } from "../../../tests/support/fakes.ts";
import { RecordingClient } from "../../../tests/support/recording_client.ts";
import { DynamoDeliveryStateStore, type DynamoSender } from "./delivery_state_store.ts";

const PK = "central/acme/c/app/pod/f.json.gz#etag1";
const NOW = Date.UTC(2026, 0, 1, 12);

Deno.test("completed: one consistent GetItem of the completed set; a missing item is nothing completed", async () => {
  const answers = [{ Item: { pk: { S: PK }, completed: { SS: ["archive", "cloudwatch"] } } }, {}];
  const client = new RecordingClient(() => answers.shift());
  const store = new DynamoDeliveryStateStore(client.as<DynamoSender>(), { table: "state", ttlSeconds: 86_400 });
  deepEqual(await store.completed(PK), new Set(["archive", "cloudwatch"]));
  deepEqual(await store.completed(PK), new Set());
  const get = {
    command: "GetItemCommand",
    input: { TableName: "state", Key: { pk: { S: PK } }, ConsistentRead: true, ProjectionExpression: "completed" },
  };
  deepEqual(client.sent, [get, get]);
});

Deno.test("remember: one UpdateItem adding to the set and pushing the TTL out; nothing to add sends nothing", async () => {
  const client = new RecordingClient();
  const store = new DynamoDeliveryStateStore(client.as<DynamoSender>(), { table: "state", ttlSeconds: 86_400 });
  await store.remember(PK, ["cloudwatch"], NOW);
  await store.remember(PK, [], NOW);
  deepEqual(client.sent, [{
    command: "UpdateItemCommand",
    input: {
      TableName: "state",
      Key: { pk: { S: PK } },
      UpdateExpression: "ADD completed :ids SET #ttl = :ttl, updated_at = :now",
      ExpressionAttributeNames: { "#ttl": "ttl" },
      ExpressionAttributeValues: {
        ":ids": { SS: ["cloudwatch"] },
        ":ttl": { N: String(NOW / 1000 + 86_400) },
        ":now": { S: "2026-01-01T12:00:00.000Z" },
      },
    },
  }]);
});

Deno.test("a failed call keeps its class and names the operation, table and key", async () => {
  const client = new RecordingClient(() => {
    throw awsError("ProvisionedThroughputExceededException", 400);
  });
  const store = new DynamoDeliveryStateStore(client.as<DynamoSender>(), { table: "state", ttlSeconds: 60 });
  await rejects(store.completed(PK), (err) => {
    ok(err instanceof ProcessingError);
    equal(err.failureClass, "retryable");
    equal(
      err.message,
      `GetItem on delivery-state table state for ${
        JSON.stringify(PK)
      } failed with ProvisionedThroughputExceededException`,
    );
    return true;
  });
});
