/**
 * The Lambda partial batch response for SQS (`ReportBatchItemFailures`):
 * exactly the records that must come back — retryable and permanent
 * outcomes, and records never finished. Pure.
 *
 * @module
 */
import { isDone, type Outcome } from "../results.ts";

/** What Lambda expects back from an SQS batch. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** One record and what became of it (`undefined`: not finished). */
export interface RecordStatus {
  readonly messageId: string;
  readonly outcome?: Outcome;
}

/**
 * Lists every record not delivered or skipped, in input order. Lambda
 * deletes the others from the queue.
 */
export function batchItemFailures(records: readonly RecordStatus[]): BatchResponse {
  return {
    batchItemFailures: records
      .filter((r) => r.outcome === undefined || !isDone(r.outcome))
      .map((r) => ({ itemIdentifier: r.messageId })),
  };
}
