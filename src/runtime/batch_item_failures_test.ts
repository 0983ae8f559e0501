import { deepStrictEqual } from "node:assert/strict";
import { batchItemFailures } from "./batch_item_failures.ts";

Deno.test("partial batch response lists retryable, permanent and unfinished records only", () => {
  const response = batchItemFailures([
    { messageId: "a", outcome: "delivered" },
    { messageId: "b", outcome: "retryable" },
    { messageId: "c", outcome: "skipped" },
    { messageId: "d", outcome: "permanent" },
    { messageId: "e" },
  ]);
  deepStrictEqual(response, {
    batchItemFailures: [{ itemIdentifier: "b" }, { itemIdentifier: "d" }, { itemIdentifier: "e" }],
  });
});

Deno.test("partial batch response is empty when everything was delivered or skipped", () => {
  deepStrictEqual(
    batchItemFailures([{ messageId: "a", outcome: "delivered" }, { messageId: "b", outcome: "skipped" }]),
    {
      batchItemFailures: [],
    },
  );
});
