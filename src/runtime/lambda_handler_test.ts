import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import type { MessageResult, Outcome } from "../results.ts";
import { createLogger, silentLogger } from "../telemetry/logger.ts";
import { messageResult, objectResult } from "../../tests/support/results.ts";
import { lambdaHandler, type LambdaHandlerOptions } from "./lambda_handler.ts";
import type { Invocation } from "./lambda_runtime.ts";

const sqsEvent = (...bodies: string[]) => ({
  Records: bodies.map((body, i) => ({
    messageId: `id-${i}`,
    receiptHandle: `rh-${i}`,
    body,
    attributes: { ApproximateReceiveCount: "1" },
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:q",
  })),
});

const invocation = (event: unknown, deadlineMs = Date.now() + 60_000): Invocation => ({
  requestId: "req-1",
  deadlineMs,
  event,
});

function handler(extra: Partial<LambdaHandlerOptions> = {}) {
  const emitted: string[] = [];
  const h = lambdaHandler({
    processBody: (body) => Promise.resolve(messageResult(body as Outcome)),
    concurrency: 4,
    deadlineMarginMs: 1_000,
    logger: silentLogger,
    emit: (lines) => emitted.push(...lines),
    telemetry: { namespace: "LogProcessor", service: "mtl-dev-log-processor", functionName: "mtl-dev-log-processor" },
    ...extra,
  });
  return { h, emitted };
}

Deno.test("lambda handler returns exactly the retryable and permanent records as batch item failures", async () => {
  const { h, emitted } = handler();
  const response = await h(invocation(sqsEvent("delivered", "retryable", "skipped", "permanent")));
  deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "id-1" }, { itemIdentifier: "id-3" }] });
  const docs = emitted.map((l) => JSON.parse(l));
  ok(docs.length > 0 && docs.every((d) => d.service === "mtl-dev-log-processor"));
  ok(docs.every((d) => d._aws.CloudWatchMetrics[0].Namespace === "LogProcessor"));
  strictEqual(docs.find((d) => d.Outcome === "delivered")?.Messages, 1);
});

Deno.test("lambda handler: ColdStart metric and cold_start on the first invocation only, Powertools' keys on every line", async () => {
  const lines: Record<string, unknown>[] = [];
  const { h, emitted } = handler({
    logger: createLogger("info", (l) => lines.push(JSON.parse(l)), { service: "mtl-dev-log-processor" }),
    telemetry: {
      namespace: "LogProcessor",
      service: "mtl-dev-log-processor",
      functionName: "mtl-dev-log-processor",
      memorySizeMb: 512,
    },
  });
  const arn = "arn:aws:lambda:eu-west-1:123456789012:function:mtl-dev-log-processor";
  const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  await h({ ...invocation(sqsEvent("delivered")), functionArn: arn, traceId: trace });
  const first = emitted.splice(0).map((l) => JSON.parse(l));
  await h({ ...invocation(sqsEvent("delivered")), requestId: "req-2", functionArn: arn });
  const second = emitted.map((l) => JSON.parse(l));
  deepStrictEqual(first[0], {
    _aws: {
      Timestamp: first[0]._aws.Timestamp,
      CloudWatchMetrics: [{
        Namespace: "LogProcessor",
        Dimensions: [["service", "function_name"]],
        Metrics: [{ Name: "ColdStart", Unit: "Count" }],
      }],
    },
    service: "mtl-dev-log-processor",
    function_name: "mtl-dev-log-processor",
    ColdStart: 1,
  });
  ok(!second.some((d) => "ColdStart" in d), "a warm invocation has no ColdStart metric");
  const batch = lines.filter((l) => l.msg === "batch processed");
  deepStrictEqual(batch.map((l) => [l.service, l.cold_start, l.function_request_id, l.xray_trace_id]), [
    ["mtl-dev-log-processor", true, "req-1", "1-5759e988-bd862e3fe1be46a994272793"],
    ["mtl-dev-log-processor", false, "req-2", undefined],
  ]);
  deepStrictEqual([batch[0]?.function_name, batch[0]?.function_memory_size, batch[0]?.function_arn], [
    "mtl-dev-log-processor",
    512,
    arn,
  ]);
});

Deno.test("lambda handler: with provisioned concurrency no invocation is a cold start", async () => {
  const { h, emitted } = handler({
    telemetry: { namespace: "LogProcessor", service: "s", coldStarts: false },
  });
  await h(invocation(sqsEvent("delivered")));
  ok(!emitted.some((l) => "ColdStart" in JSON.parse(l)));
});

Deno.test("lambda handler: delivery age and processing time go out as EMF distributions", async () => {
  const { h, emitted } = handler({
    processBody: (body) =>
      Promise.resolve({
        outcome: "delivered",
        objects: [objectResult("delivered", { duration_ms: Number(body), age_ms: 60_000 + Number(body) })],
      }),
  });
  await h(invocation(sqsEvent("100", "200", "300")));
  const docs = emitted.map((l) => JSON.parse(l));
  const age = docs.find((d) => d.DeliveryAge)?.DeliveryAge;
  deepStrictEqual([age?.Count, age?.Min, age?.Max, Math.round(age?.Sum * 1000)], [3, 60.1, 60.3, 180_600]);
  deepStrictEqual(age?.Counts.reduce((a: number, b: number) => a + b, 0), 3);
  const duration = docs.find((d) => d.ObjectDuration);
  deepStrictEqual([duration?.Outcome, duration?.ObjectDuration.Count], ["delivered", 3]);
});

Deno.test("lambda handler runs at most CONCURRENCY records at once", async () => {
  let active = 0;
  let max = 0;
  const { h } = handler({
    concurrency: 2,
    processBody: async () => {
      max = Math.max(max, ++active);
      await new Promise((r) => setTimeout(r, 1));
      active--;
      return messageResult("delivered");
    },
  });
  deepStrictEqual(await h(invocation(sqsEvent(...Array(7).fill("delivered")))), { batchItemFailures: [] });
  strictEqual(max, 2);
});

Deno.test("lambda handler near the deadline starts no new record and reports unfinished ones", async () => {
  const started: string[] = [];
  let release!: () => void;
  const slow = new Promise<void>((r) => release = r);
  const { h, emitted } = handler({
    concurrency: 1,
    deadlineMarginMs: 100,
    processBody: async (body): Promise<MessageResult> => {
      started.push(body);
      if (body === "slow") await slow; // still running when time runs short
      return messageResult("delivered");
    },
  });
  const response = await h(invocation(sqsEvent("delivered", "slow", "delivered", "delivered"), Date.now() + 300));
  deepStrictEqual(response, {
    batchItemFailures: [{ itemIdentifier: "id-1" }, { itemIdentifier: "id-2" }, { itemIdentifier: "id-3" }],
  });
  release();
  await new Promise((r) => setTimeout(r, 5));
  deepStrictEqual(started, ["delivered", "slow"], "no record started after the cutoff");
  ok(emitted.some((l) => JSON.parse(l).DeadlineFailures === 3));
});

Deno.test("lambda handler with no time left processes nothing and fails every record", async () => {
  let calls = 0;
  const { h } = handler({
    processBody: () => {
      calls++;
      return Promise.resolve(messageResult("delivered"));
    },
  });
  const response = await h(invocation(sqsEvent("delivered", "delivered"), Date.now() + 500));
  deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "id-0" }, { itemIdentifier: "id-1" }] });
  strictEqual(calls, 0);
});

Deno.test("lambda handler: a throwing processBody fails only its record", async () => {
  const { h } = handler({
    processBody: (body) =>
      body === "boom" ? Promise.reject(new Error("bug")) : Promise.resolve(messageResult("delivered")),
  });
  deepStrictEqual(await h(invocation(sqsEvent("delivered", "boom"))), {
    batchItemFailures: [{ itemIdentifier: "id-1" }],
  });
});

Deno.test("lambda handler processes a direct (non-SQS) event as one body and fails the invocation unless done", async () => {
  const bodies: string[] = [];
  const { h } = handler({
    processBody: (body) => {
      bodies.push(body);
      return Promise.resolve(messageResult(JSON.parse(body).want));
    },
  });
  deepStrictEqual(await h(invocation({ want: "delivered" })), { outcome: "delivered" });
  await rejects(h(invocation({ want: "permanent" })), { name: "LogProcessor.NotDelivered" });
  deepStrictEqual(bodies.map((b) => JSON.parse(b).want), ["delivered", "permanent"]);
});

Deno.test("lambda handler treats only SQS batches as batches; anything else is one direct event", async () => {
  const seen: { body: string; receiveCount?: number }[] = [];
  const { h } = handler({
    processBody: (body, context) => {
      seen.push({ body, receiveCount: context?.receiveCount });
      return Promise.resolve(messageResult("delivered"));
    },
  });
  const notSqs = [{ Records: [{ eventSource: "aws:s3" }] }, { Records: [] }, "text"];
  for (const event of notSqs) deepStrictEqual(await h(invocation(event)), { outcome: "delivered" });
  deepStrictEqual(await h(invocation(sqsEvent("b"))), { batchItemFailures: [] });
  deepStrictEqual(seen, [...notSqs.map((e) => ({ body: JSON.stringify(e), receiveCount: undefined })), {
    body: "b",
    receiveCount: 1,
  }]);
});

Deno.test("lambda handler passes each record's receive count and cancels records still running at the deadline", async () => {
  const seen: { receiveCount?: number; signal?: AbortSignal }[] = [];
  const { h } = handler({
    concurrency: 2,
    deadlineMarginMs: 100,
    processBody: async (body, context = {}): Promise<MessageResult> => {
      seen.push(context);
      if (body === "slow") await new Promise((r) => context.signal?.addEventListener("abort", r));
      return messageResult("delivered");
    },
  });
  const event = sqsEvent("delivered", "slow");
  event.Records[1]!.attributes.ApproximateReceiveCount = "3";
  const response = await h(invocation(event, Date.now() + 300));
  deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "id-1" }] });
  deepStrictEqual(seen.map((c) => c.receiveCount), [1, 3]);
  strictEqual(seen[1]!.signal?.aborted, true, "the unfinished record's work is cancelled");
});
