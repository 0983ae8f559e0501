import { deepStrictEqual } from "node:assert/strict";
import { messageResult } from "../../tests/support/results.ts";
import { EMF_NAMESPACE, formatEmf } from "./emf.ts";
import { METRICS, Metrics } from "./metrics.ts";

Deno.test("EMF: one document per label set, labels as dimensions, values as metrics", () => {
  const m = new Metrics().seed(METRICS.messages, [{ outcome: "permanent" }]);
  m.recordMessage(messageResult("delivered"));
  const docs = formatEmf(m.samples(), { Mode: "lambda" }, 1_700_000_000_000).map((l) => JSON.parse(l));
  const byOutcome = docs.find((d) => d.Outcome === "delivered");
  deepStrictEqual(byOutcome.Messages, 1);
  deepStrictEqual(byOutcome.Objects, 1);
  deepStrictEqual(byOutcome._aws.Timestamp, 1_700_000_000_000);
  deepStrictEqual(byOutcome._aws.CloudWatchMetrics, [{
    Namespace: EMF_NAMESPACE,
    Dimensions: [["Mode", "Outcome"]],
    Metrics: [{ Name: "Messages", Unit: "Count" }, { Name: "Objects", Unit: "Count" }],
  }]);
  const plain = docs.find((d) => d._aws.CloudWatchMetrics[0].Dimensions[0].length === 1);
  deepStrictEqual(plain.BytesRead, 300);
  deepStrictEqual(
    plain._aws.CloudWatchMetrics[0].Metrics.find((x: { Name: string }) => x.Name === "BytesRead").Unit,
    "Bytes",
  );
  // Zero counters (the seeded outcomes) are left out.
  deepStrictEqual(docs.some((d) => d.Outcome === "permanent"), false);
});

Deno.test("EMF dimensions are the low-cardinality labels only", () => {
  const m = new Metrics();
  m.recordMessage(messageResult("permanent"));
  m.inc(METRICS.apiCalls, { operation: "ReceiveMessage" });
  const dims = new Set(
    formatEmf(m.samples(), { Mode: "lambda" }, 0).flatMap((l) => JSON.parse(l)._aws.CloudWatchMetrics[0].Dimensions[0]),
  );
  deepStrictEqual([...dims].sort(), ["Class", "Code", "Mode", "Operation", "Outcome", "Reason"]);
});
