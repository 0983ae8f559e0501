import { deepStrictEqual as deepEqual, ok, rejects, strictEqual as equal } from "node:assert/strict";
import { ProcessingError } from "../../errors.ts";
import { awsError } from "../../../tests/support/fakes.ts";
import { RecordingClient } from "../../../tests/support/recording_client.ts";
import { DynamoDeliveryStateStore, type DynamoSender } from "./delivery_state_store.ts";

const PK = "central/acme/c/app/pod/f.json.gz#etag1";
const NOW = Date.UTC(2026, 0, 1, 12);

const state = (completed: string[], progress: [string, number][] = []) => ({
  completed: new Set(completed),
  progress: new Map(progress),
});

Deno.test("recall: one consistent GetItem of completed and progress; a missing item is nothing known", async () => {
  const answers = [
    {
      Item: {
        pk: { S: PK },
        completed: { SS: ["archive", "cloudwatch"] },
        progress: { M: { audit: { N: "5000" }, broken: { N: "-1" }, zero: { N: "0" } } },
      },
    },
    { Item: { pk: { S: PK }, completed: { SS: ["archive"] } } },
    {},
  ];
  const client = new RecordingClient(() => answers.shift());
  const store = new DynamoDeliveryStateStore(client.as<DynamoSender>(), { table: "state", ttlSeconds: 86_400 });
  deepEqual(await store.recall(PK), state(["archive", "cloudwatch"], [["audit", 5000]]));
  deepEqual(await store.recall(PK), state(["archive"]), "an item written before progress existed");
  deepEqual(await store.recall(PK), state([]));
  const get = {
    command: "GetItemCommand",
    input: {
      TableName: "state",
      Key: { pk: { S: PK } },
      ConsistentRead: true,
      ProjectionExpression: "completed, #progress",
      ExpressionAttributeNames: { "#progress": "progress" },
    },
  };
  deepEqual(client.sent, [get, get, get]);
});

Deno.test("remember: one UpdateItem adding completions, setting progress and pushing the TTL out", async () => {
  const client = new RecordingClient();
  const store = new DynamoDeliveryStateStore(client.as<DynamoSender>(), { table: "state", ttlSeconds: 86_400 });
  await store.remember(PK, state(["cloudwatch", "archive"], [["audit", 1200]]), NOW);
  await store.remember(PK, state([], [["audit", 2400]]), NOW);
  const common = {
    TableName: "state",
    Key: { pk: { S: PK } },
    ExpressionAttributeNames: { "#progress": "progress", "#ttl": "ttl" },
  };
  const times = { ":ttl": { N: String(NOW / 1000 + 86_400) }, ":now": { S: "2026-01-01T12:00:00.000Z" } };
  deepEqual(client.sent, [{
    command: "UpdateItemCommand",
    input: {
      ...common,
      UpdateExpression: "SET #progress = :progress, #ttl = :ttl, updated_at = :now ADD completed :ids",
      ExpressionAttributeValues: {
        ":progress": { M: { audit: { N: "1200" } } },
        ...times,
        ":ids": { SS: ["archive", "cloudwatch"] },
      },
    },
  }, {
    command: "UpdateItemCommand",
    input: {
      ...common,
      UpdateExpression: "SET #progress = :progress, #ttl = :ttl, updated_at = :now",
      ExpressionAttributeValues: { ":progress": { M: { audit: { N: "2400" } } }, ...times },
    },
  }]);
});

Deno.test("a failed call keeps its class and names the operation, table and key", async () => {
  const client = new RecordingClient(() => {
    throw awsError("ProvisionedThroughputExceededException", 400);
  });
  const store = new DynamoDeliveryStateStore(client.as<DynamoSender>(), { table: "state", ttlSeconds: 60 });
  await rejects(store.recall(PK), (err) => {
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
