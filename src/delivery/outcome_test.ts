import { strictEqual as equal } from "node:assert/strict";
import { isDone, mergeOutcomes, type Outcome } from "./outcome.ts";

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
