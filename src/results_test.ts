import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { emptyReport, isDone, mergeOutcomes, messageResult, objectResult, type Outcome } from "./results.ts";

Deno.test("no parts merge to skipped", () => {
  equal(mergeOutcomes([]), "skipped");
});

Deno.test("retryable beats permanent beats delivered beats skipped, in any order", () => {
  const cases: [Outcome[], Outcome][] = [
    [["skipped"], "skipped"],
    [["delivered"], "delivered"],
    [["skipped", "delivered"], "delivered"],
    [["delivered", "skipped"], "delivered"],
    [["delivered", "permanent"], "permanent"],
    [["permanent", "delivered", "skipped"], "permanent"],
    [["permanent", "retryable"], "retryable"],
    [["retryable", "permanent", "delivered"], "retryable"],
    [["skipped", "retryable"], "retryable"],
  ];
  for (const [parts, expected] of cases) equal(mergeOutcomes(parts), expected, parts.join(","));
});

Deno.test("mergeOutcomes accepts any iterable", () => {
  equal(mergeOutcomes(new Set<Outcome>(["delivered", "permanent"])), "permanent");
});

Deno.test("only delivered and skipped messages are done (deleted from SQS)", () => {
  equal(isDone("delivered"), true);
  equal(isDone("skipped"), true);
  equal(isDone("retryable"), false);
  equal(isDone("permanent"), false);
});

Deno.test("objectResult starts every count at zero and adds reason, code and invalid items only when given", () => {
  deepEqual(objectResult({ bucket: "b", key: "k", outcome: "skipped" }), {
    bucket: "b",
    key: "k",
    tenant: undefined,
    outcome: "skipped",
    lines_read: 0,
    events_read: 0,
    unparsable_lines: 0,
    bytes_read: 0,
    deliveries: [],
  });
  const failed = objectResult({
    outcome: "permanent",
    code: "InvalidConfig",
    reason: "why",
    invalid_deliveries: [{ delivery_id: "x", problems: ["p"] }],
  });
  deepEqual([failed.code, failed.reason, failed.invalid_deliveries], ["InvalidConfig", "why", [
    { delivery_id: "x", problems: ["p"] },
  ]]);
});

Deno.test("a message's outcome is the merge of its objects' outcomes", () => {
  const objects = [objectResult({ outcome: "delivered" }), objectResult({ outcome: "permanent" })];
  deepEqual(messageResult(objects), { outcome: "permanent", objects });
  equal(messageResult([]).outcome, "skipped");
});

Deno.test("an empty report is delivered with zero counts", () => {
  deepEqual(emptyReport({ delivery_id: "archive", type: "s3", destination: "s3://b/p" }), {
    delivery_id: "archive",
    type: "s3",
    destination: "s3://b/p",
    outcome: "delivered",
    events_delivered: 0,
    rejected: {},
    truncated: 0,
    bytes_delivered: 0,
    api_calls: {},
  });
});
