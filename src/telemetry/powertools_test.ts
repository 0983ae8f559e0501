import { deepStrictEqual } from "node:assert/strict";
import { lambdaLogFields } from "./powertools.ts";

/** The trace id the log fields carry for a trace header. */
const xrayTraceId = (traceHeader: string | undefined) =>
  lambdaLogFields({ coldStart: false, requestId: "r", traceHeader }).xray_trace_id;

Deno.test("the trace id is the Root of a trace header, wherever it stands", () => {
  deepStrictEqual(
    xrayTraceId("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"),
    "1-5759e988-bd862e3fe1be46a994272793",
  );
  deepStrictEqual(xrayTraceId("Sampled=0; Root=1-abc-def"), "1-abc-def");
  deepStrictEqual(xrayTraceId("Parent=1;Sampled=1"), undefined);
  deepStrictEqual(xrayTraceId(undefined), undefined);
});

Deno.test("lambdaLogFields: Powertools' context keys, absent values left out", () => {
  deepStrictEqual(
    lambdaLogFields({
      coldStart: true,
      requestId: "r1",
      functionName: "fn",
      memorySizeMb: 256,
      functionArn: "arn:aws:lambda:us-east-1:123456789012:function:fn",
      traceHeader: "Root=1-a-b",
    }),
    {
      cold_start: true,
      function_name: "fn",
      function_memory_size: 256,
      function_arn: "arn:aws:lambda:us-east-1:123456789012:function:fn",
      function_request_id: "r1",
      xray_trace_id: "1-a-b",
    },
  );
  deepStrictEqual(lambdaLogFields({ coldStart: false, requestId: "r2" }), {
    cold_start: false,
    function_request_id: "r2",
  });
});
