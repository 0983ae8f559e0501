/**
 * The Lambda context keys Powertools for AWS Lambda puts on every log line
 * (`cold_start`, `function_name`, `function_memory_size`, `function_arn`,
 * `function_request_id`, `xray_trace_id`), so log queries and dashboards
 * written for Powertools functions work on this one. Pure.
 *
 * @module
 */
import type { LogFields } from "./logger.ts";

/**
 * The trace id of an X-Ray trace header (`_X_AMZN_TRACE_ID`, or the Runtime
 * API's `Lambda-Runtime-Trace-Id`): its `Root` (`1-5759e988-bd862e3fe1be46a994272793`).
 */
function xrayTraceId(header: string | undefined): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, value] = part.split("=", 2);
    if (key?.trim() === "Root" && value?.trim()) return value.trim();
  }
  return undefined;
}

/** What one invocation's log lines say about the function and the request. */
export interface LambdaContext {
  readonly coldStart: boolean;
  readonly requestId: string;
  readonly functionName?: string;
  readonly memorySizeMb?: number;
  readonly functionArn?: string;
  /** The raw trace header. */
  readonly traceHeader?: string;
}

/** Powertools' context keys for `context` (absent values are left out). */
export function lambdaLogFields(context: LambdaContext): LogFields {
  const fields: LogFields = { cold_start: context.coldStart };
  if (context.functionName) fields.function_name = context.functionName;
  if (context.memorySizeMb !== undefined) fields.function_memory_size = context.memorySizeMb;
  if (context.functionArn) fields.function_arn = context.functionArn;
  fields.function_request_id = context.requestId;
  const traceId = xrayTraceId(context.traceHeader);
  if (traceId) fields.xray_trace_id = traceId;
  return fields;
}
