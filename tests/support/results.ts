/**
 * Message results for telemetry and runtime unit tests.
 *
 * @module
 */
import type { Outcome } from "../../src/delivery/outcome.ts";
import { emptyReport } from "../../src/delivery/sink.ts";
import type { MessageResult } from "../../src/pipeline/process_message.ts";
import { newResult, type ObjectResult } from "../../src/pipeline/process_object.ts";

/** An object result with one CloudWatch delivery. */
export function objectResult(outcome: Outcome, extra: Partial<ObjectResult> = {}): ObjectResult {
  const result = newResult("central", "t1/c/app/pod/f.json.gz");
  const report = emptyReport("cloudwatch", "cloudwatch", "cloudwatch:/g");
  Object.assign(report, {
    outcome,
    events_delivered: outcome === "delivered" ? 5 : 0,
    rejected: { too_old: 2 },
    truncated: 1,
    bytes_delivered: 100,
    api_calls: { PutLogEvents: 1 },
  });
  return {
    ...result,
    tenant: "t1",
    outcome,
    lines_read: 8,
    events_read: 7,
    unparsable_lines: 1,
    bytes_read: 300,
    deliveries: [report],
    ...extra,
  };
}

/** A message result made of objects with these outcomes. */
export function messageResult(outcome: Outcome, ...objects: Outcome[]): MessageResult {
  return {
    outcome,
    objects: (objects.length ? objects : [outcome]).map((o) =>
      objectResult(
        o,
        o === "delivered" ? {} : { code: o === "permanent" ? "AccessDenied" : "Throttling", reason: `because ${o}` },
      )
    ),
  };
}
