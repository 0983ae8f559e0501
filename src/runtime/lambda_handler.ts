/**
 * The Lambda handler: an SQS event batch in, the partial batch response
 * out (exactly the retryable, permanent and unfinished records). Records are
 * processed with bounded concurrency; when the invocation deadline comes
 * within the margin, no new record starts and the unfinished ones are
 * reported as failures instead of the function being killed mid-way. Any
 * other event (an S3 notification or EventBridge event invoking the function
 * directly) is processed as one message body and fails the invocation unless
 * delivered or skipped. Log lines carry Powertools' Lambda context keys
 * (`cold_start`, `function_request_id`, `xray_trace_id`, …); counters and
 * distributions go out as EMF lines after each invocation, with Powertools'
 * `ColdStart` metric after the first.
 *
 * @module
 */
import { isDone, type MessageResult } from "../results.ts";
import type { MessageContext } from "../pipeline/pipeline_deps.ts";
import { coldStartEmf, formatEmf } from "../telemetry/emf.ts";
import type { Logger } from "../telemetry/logger.ts";
import { METRICS, Metrics } from "../telemetry/metrics.ts";
import { lambdaLogFields } from "../telemetry/powertools.ts";
import { batchItemFailures, type BatchResponse, type RecordStatus } from "./batch_item_failures.ts";
import type { Invocation } from "./lambda_runtime.ts";
import { logResult } from "./log_result.ts";
import { mapConcurrent } from "../pipeline/map_concurrent.ts";

/** What the handler needs. */
export interface LambdaHandlerOptions {
  processBody(body: string, context?: MessageContext): Promise<MessageResult>;
  readonly concurrency: number;
  /** Time kept in reserve before the deadline. */
  readonly deadlineMarginMs: number;
  readonly logger: Logger;
  /** Writes EMF lines (stdout in Lambda). */
  readonly emit: (lines: string[]) => void;
  /** Namespace, `service` dimension and what the log lines say about the function. */
  readonly telemetry: LambdaTelemetry;
  readonly now?: () => number;
}

/** Where metrics go and what the function is (Powertools' shape). */
export interface LambdaTelemetry {
  readonly namespace: string;
  readonly service: string;
  readonly functionName?: string;
  readonly memorySizeMb?: number;
  /**
   * False when the environment was initialised ahead of demand
   * (provisioned concurrency): then no invocation is a cold start. Default true.
   */
  readonly coldStarts?: boolean;
}

/** One record of an SQS event. */
interface SqsRecord {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount?: number;
}

/** The records of an SQS event, or undefined when `event` is not one. */
function sqsRecordsOf(event: unknown): SqsRecord[] | undefined {
  const records = (event as { Records?: unknown })?.Records;
  if (!Array.isArray(records) || records.length === 0) return undefined;
  if (!records.every((r) => r?.eventSource === "aws:sqs")) return undefined;
  return records.map((r) => ({
    messageId: typeof r.messageId === "string" ? r.messageId : "",
    body: typeof r.body === "string" ? r.body : JSON.stringify(r.body ?? null),
    receiveCount: Number(r.attributes?.ApproximateReceiveCount) || undefined,
  }));
}

/** The error of a direct invocation that was not delivered (its name is the `errorType` Lambda reports). */
class NotDeliveredError extends Error {
  override name = "LogProcessor.NotDelivered";
}

/**
 * Builds the handler; caches live in `processBody`'s pipeline across
 * invocations. It resolves to the partial batch response for an SQS event and
 * throws {@link NotDeliveredError} for a direct event that was not delivered.
 *
 * @example
 * ```ts
 * const handler = lambdaHandler({
 *   processBody: pipeline.processBody,
 *   concurrency: 4,
 *   deadlineMarginMs: 3_000,
 *   logger,
 *   emit: (lines) => console.log(lines.join("\n")),
 *   telemetry: { namespace: "LogProcessor", service: "log-processor" },
 * });
 * await runRuntimeLoop(new HttpRuntimeApi(runtimeApi), handler, { logger });
 * ```
 */
export function lambdaHandler(options: LambdaHandlerOptions): (invocation: Invocation) => Promise<unknown> {
  const now = options.now ?? Date.now;
  const { telemetry } = options;
  let coldStart = telemetry.coldStarts ?? true;
  return async (invocation) => {
    const cold = coldStart;
    coldStart = false;
    const context = lambdaLogFields({
      coldStart: cold,
      requestId: invocation.requestId,
      functionName: telemetry.functionName,
      memorySizeMb: telemetry.memorySizeMb,
      functionArn: invocation.functionArn,
      traceHeader: invocation.traceId,
    });
    const run: Run = {
      metrics: new Metrics(),
      log: options.logger.child(context),
      cutoff: invocation.deadlineMs - options.deadlineMarginMs,
      options,
      now,
    };
    try {
      const records = sqsRecordsOf(invocation.event);
      if (records) return await processBatch(records, run);
      const direct = [{ messageId: invocation.requestId, body: JSON.stringify(invocation.event) }];
      const [result] = await processRecords(direct, run);
      if (!result?.outcome) throw new NotDeliveredError("the invocation deadline came before the event was processed");
      if (!isDone(result.outcome)) {
        throw new NotDeliveredError(`event not delivered (${result.outcome}): ${result.reason ?? "see the logs"}`);
      }
      return { outcome: result.outcome };
    } finally {
      const emf = { namespace: telemetry.namespace, timestamp: now() };
      const lines = formatEmf(run.metrics, { ...emf, dimensions: { service: telemetry.service } });
      if (cold) {
        lines.unshift(coldStartEmf({ ...emf, service: telemetry.service, functionName: telemetry.functionName }));
      }
      options.emit(lines);
    }
  };
}

/** One invocation's context. */
interface Run {
  readonly metrics: Metrics;
  readonly log: Logger;
  /** No record starts after this (epoch ms); unfinished ones are reported then. */
  readonly cutoff: number;
  readonly options: LambdaHandlerOptions;
  readonly now: () => number;
}

async function processBatch(records: SqsRecord[], run: Run): Promise<BatchResponse> {
  const statuses = await processRecords(records, run);
  const response = batchItemFailures(statuses);
  run.log.info("batch processed", {
    records: records.length,
    failures: response.batchItemFailures.length,
  });
  return response;
}

interface Status extends RecordStatus {
  outcome?: MessageResult["outcome"];
  reason?: string;
}

/** Processes records until done or until `cutoff`; unfinished records have no outcome. */
async function processRecords(records: SqsRecord[], run: Run): Promise<Status[]> {
  const { metrics, log, cutoff, options, now } = run;
  const statuses: Status[] = records.map((r) => ({ messageId: r.messageId }));
  let answered = false;
  // Aborted at the deadline: records reported as failures stop reading instead of delivering in the background.
  const cancel = new AbortController();
  const processRecord = async (record: SqsRecord, i: number) => {
    const recordLog = log.child({ messageId: record.messageId, receiveCount: record.receiveCount });
    let result: MessageResult;
    try {
      result = await options.processBody(record.body, { receiveCount: record.receiveCount, signal: cancel.signal });
    } catch (err) {
      recordLog.error("unexpected error processing a record; it will be retried", { error: err });
      result = { outcome: "retryable", objects: [] };
    }
    if (answered) {
      recordLog.warn("record finished after the response was sent; it comes back as a failure");
      return;
    }
    statuses[i] = {
      messageId: record.messageId,
      outcome: result.outcome,
      reason: result.objects.find((o) => o.outcome === result.outcome)?.reason,
    };
    metrics.recordMessage(result);
    logResult(recordLog, result);
  };
  const workers = mapConcurrent(records, processRecord, {
    limit: options.concurrency,
    startWhile: () => now() < cutoff,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => timer = setTimeout(resolve, Math.max(0, cutoff - now())));
  await Promise.race([workers, deadline]);
  clearTimeout(timer);
  answered = true;
  cancel.abort();
  const unfinished = statuses.filter((s) => s.outcome === undefined);
  if (unfinished.length > 0) {
    metrics.inc(METRICS.deadlineFailures, {}, unfinished.length);
    log.warn("invocation deadline near: unfinished records reported as failures", {
      unfinished: unfinished.map((s) => s.messageId),
      marginMs: options.deadlineMarginMs,
    });
  }
  return statuses;
}
