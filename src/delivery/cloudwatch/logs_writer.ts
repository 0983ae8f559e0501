/**
 * The narrow CloudWatch Logs edge the sink uses, and its SDK implementation.
 *
 * @module
 */
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { encodedPutLogEvents, PutLogEventsJsonProtocol } from "../../aws/put_log_events_protocol.ts";
import type { LogBatch } from "./batcher.ts";

/** Index ranges of events the API refused (see PutLogEvents `rejectedLogEventsInfo`). */
export interface RejectedInfo {
  readonly tooNewLogEventStartIndex?: number;
  readonly tooOldLogEventEndIndex?: number;
  readonly expiredLogEventEndIndex?: number;
}

/** What the sink needs from CloudWatch Logs. */
export interface LogsWriter {
  /** Sends one batch (its body already written, for this group and stream: see {@link LogBatch}). */
  putLogEvents(group: string, stream: string, batch: LogBatch): Promise<RejectedInfo | undefined>;
  createLogGroup(group: string): Promise<void>;
  putRetentionPolicy(group: string, days: number): Promise<void>;
  createLogStream(group: string, stream: string): Promise<void>;
}

/**
 * {@link LogsWriter} over an SDK client (already bound to the customer's role
 * and region) built with `protocol: PutLogEventsJsonProtocol`, which sends a
 * batch's body as it is.
 */
export class SdkLogsWriter implements LogsWriter {
  readonly #client: CloudWatchLogsClient;

  /** @throws {TypeError} when `client` lacks the protocol that sends batches' JSON (it would send no events). */
  constructor(client: CloudWatchLogsClient) {
    if (!(client.config.protocol instanceof PutLogEventsJsonProtocol)) {
      throw new TypeError("SdkLogsWriter needs a CloudWatchLogsClient with protocol: PutLogEventsJsonProtocol");
    }
    this.#client = client;
  }

  async putLogEvents(group: string, stream: string, batch: LogBatch) {
    const out = await this.#client.send(new PutLogEventsCommand(encodedPutLogEvents(group, stream, batch.body)));
    return out.rejectedLogEventsInfo;
  }

  async createLogGroup(group: string) {
    await this.#client.send(new CreateLogGroupCommand({ logGroupName: group }));
  }

  async putRetentionPolicy(group: string, days: number) {
    await this.#client.send(
      new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: days }),
    );
  }

  async createLogStream(group: string, stream: string) {
    await this.#client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  }
}

/** Counts of events refused by the API for a batch of `n`, by reason. */
export function countRejected(info: RejectedInfo | undefined, n: number): Record<string, number> {
  const counts: Record<string, number> = {};
  if (!info) return counts;
  let oldEnd = -1;
  if (info.tooOldLogEventEndIndex !== undefined && info.tooOldLogEventEndIndex >= 0) {
    oldEnd = Math.min(info.tooOldLogEventEndIndex, n - 1);
    counts.too_old = oldEnd + 1;
  }
  if (info.expiredLogEventEndIndex !== undefined && info.expiredLogEventEndIndex > oldEnd) {
    const end = Math.min(info.expiredLogEventEndIndex, n - 1);
    if (end > oldEnd) counts.expired = end - oldEnd;
    oldEnd = Math.max(oldEnd, end);
  }
  if (info.tooNewLogEventStartIndex !== undefined && info.tooNewLogEventStartIndex < n) {
    const start = Math.max(info.tooNewLogEventStartIndex, oldEnd + 1);
    if (start < n) counts.too_new = n - start;
  }
  return counts;
}
