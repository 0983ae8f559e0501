/**
 * Message results for telemetry and runtime unit tests.
 *
 * @module
 */
import {
  emptyReport,
  type MessageResult,
  type ObjectResult,
  objectResult as newObjectResult,
  type Outcome,
} from "../../src/results.ts";

/** An object result with one CloudWatch delivery. */
export function objectResult(outcome: Outcome, extra: Partial<ObjectResult> = {}): ObjectResult {
  const result = newObjectResult({ bucket: "central", key: "t1/c/app/pod/f.json.gz", outcome });
  const report = emptyReport({ delivery_id: "cloudwatch", type: "cloudwatch", destination: "cloudwatch:/g" });
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
