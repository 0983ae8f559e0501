import { deepStrictEqual, ok } from "node:assert/strict";
import { messageResult } from "../../tests/support/results.ts";
import { coldStartEmf, EMF_NAMESPACE, formatEmf } from "./emf.ts";
import { HISTOGRAMS } from "./histogram.ts";
import { METRICS, Metrics } from "./metrics.ts";

const OPTIONS = { namespace: EMF_NAMESPACE, dimensions: { service: "log-processor" }, timestamp: 1_700_000_000_000 };

Deno.test("EMF: one document per label set, service and labels as dimensions, values as metrics", () => {
  const m = new Metrics().seed(METRICS.messages, [{ outcome: "permanent" }]);
  m.recordMessage(messageResult("delivered"));
  const docs = formatEmf(m, OPTIONS).map((l) => JSON.parse(l));
  const byOutcome = docs.find((d) => d.Outcome === "delivered");
  deepStrictEqual(byOutcome.Messages, 1);
  deepStrictEqual(byOutcome.Objects, 1);
  deepStrictEqual(byOutcome.service, "log-processor");
  deepStrictEqual(byOutcome._aws.Timestamp, 1_700_000_000_000);
  deepStrictEqual(byOutcome._aws.CloudWatchMetrics, [{
    Namespace: EMF_NAMESPACE,
    Dimensions: [["service", "Outcome"]],
    Metrics: [{ Name: "Messages", Unit: "Count" }, { Name: "Objects", Unit: "Count" }],
  }]);
  const plain = docs.find((d) => d._aws.CloudWatchMetrics[0].Dimensions[0].length === 1);
  deepStrictEqual(plain.BytesRead, 300);
  deepStrictEqual(
    plain._aws.CloudWatchMetrics[0].Metrics.find((x: { Name: string }) => x.Name === "BytesRead").Unit,
    "Bytes",
  );
  // Zero counters (the seeded outcome) are left out.
  deepStrictEqual(docs.some((d) => d.Outcome === "permanent"), false);
});

Deno.test("EMF dimensions are the low-cardinality labels only", () => {
  const m = new Metrics();
  m.recordMessage(messageResult("permanent"));
  m.inc(METRICS.apiCalls, { operation: "ReceiveMessage" });
  const dims = new Set(
    formatEmf(m, OPTIONS).flatMap((l) => JSON.parse(l)._aws.CloudWatchMetrics[0].Dimensions[0]),
  );
  deepStrictEqual([...dims].sort(), ["Class", "Code", "Operation", "Outcome", "Reason", "service"]);
});

Deno.test("EMF distributions: Values/Counts with Max, Min, Count and Sum; empty histograms are left out", () => {
  const m = new Metrics().seed(HISTOGRAMS.objectDuration, [{ outcome: "delivered" }]);
  for (const v of [12, 12, 300, 3600]) m.observe(HISTOGRAMS.deliveryAge, {}, v);
  const docs = formatEmf(m, OPTIONS).map((l) => JSON.parse(l));
  deepStrictEqual(docs.length, 1);
  const age = docs[0].DeliveryAge;
  deepStrictEqual([age.Count, age.Min, age.Max, age.Sum], [4, 12, 3600, 3924]);
  deepStrictEqual(age.Counts, [2, 1, 1]);
  deepStrictEqual(age.Values.length, 3);
  age.Values.forEach((v: number, i: number) => ok(Math.abs(v - [12, 300, 3600][i]!) / v < 0.05));
  deepStrictEqual(docs[0]._aws.CloudWatchMetrics[0].Metrics, [{ Name: "DeliveryAge", Unit: "Seconds" }]);
});

Deno.test("EMF distributions of more than 100 values are split into documents of at most 100", () => {
  const m = new Metrics();
  let v = 0.001;
  for (let i = 0; i < 250; i++) m.observe(HISTOGRAMS.deliveryAge, {}, v *= 1.11);
  const docs = formatEmf(m, OPTIONS).map((l) => JSON.parse(l)).filter((d) => d.DeliveryAge);
  ok(docs.length >= 3);
  ok(docs.every((d) => d.DeliveryAge.Values.length <= 100), "CloudWatch drops a distribution of more than 100 values");
  deepStrictEqual(docs.reduce((n, d) => n + d.DeliveryAge.Count, 0), 250);
});

Deno.test("EMF cold start: ColdStart 1 under service and function_name, as Powertools writes it", () => {
  const doc = JSON.parse(coldStartEmf({ namespace: "NS", timestamp: 5, service: "svc", functionName: "fn" }));
  deepStrictEqual(doc, {
    _aws: {
      Timestamp: 5,
      CloudWatchMetrics: [{
        Namespace: "NS",
        Dimensions: [["service", "function_name"]],
        Metrics: [{ Name: "ColdStart", Unit: "Count" }],
      }],
    },
    service: "svc",
    function_name: "fn",
    ColdStart: 1,
  });
});
