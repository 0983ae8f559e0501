/**
 * Delivers one object's events into the tenant's log group, stream
 * `<cluster_id>/<application>/<pod_name>`: checks each event, packs batches,
 * creates a missing group/stream on demand (zero extra calls when they
 * exist), and retries throttling/5xx with backoff.
 *
 * @module
 */
import { classifyAwsError, type OnCredentialsExpired } from "../../aws/classify_error.ts";
import { putLogEventsFrame } from "../../aws/put_log_events_protocol.ts";
import { type RetryPolicy, withRetry } from "../../aws/retry.ts";
import { ProcessingError } from "../../errors.ts";
import type { LogEvent } from "../../ingest/parse_record.ts";
import type { RecordChunk } from "../../ingest/read_records.ts";
import type { TenantPath } from "../../notification/parse_key.ts";
import type { Logger } from "../../telemetry/logger.ts";
import { type CloudWatchDelivery, describeDestination } from "../../tenant/delivery.ts";
import type { DeliveryReport } from "../../results.ts";
import { bump, deliveryReport, type DeliverySink, reportFailure } from "../sink.ts";
import { batchLimits, type LogBatch, LogEventBatcher } from "./batcher.ts";
import { EVENT_OVERHEAD_BYTES } from "./limits.ts";
import { countRejected, type LogsWriter } from "./logs_writer.ts";
import { admitUnsized } from "./prepare_event.ts";

/** The stream an object's events go to. */
export function logStreamName(path: TenantPath): string {
  return `${path.clusterId}/${path.application}/${path.podName}`;
}

/**
 * UTF-8 message bytes of the events the API refused in one batch: a prefix
 * (too old, expired) and a suffix (too new), as {@link countRejected} counts them.
 */
function refusedBytes(batch: LogBatch, refused: Record<string, number>): number {
  const sizes = batch.messageBytes;
  const head = (refused.too_old ?? 0) + (refused.expired ?? 0);
  const tail = refused.too_new ?? 0;
  let bytes = 0;
  for (let i = 0; i < head; i++) bytes += sizes[i]!;
  for (let i = batch.count - tail; i < batch.count; i++) bytes += sizes[i]!;
  return bytes;
}

/** Settings shared by every CloudWatch sink. */
export interface CloudWatchSinkOptions {
  /** The object's path: it names the log stream. */
  readonly path: TenantPath;
  /** Where the batches go (PutLogEvents in the customer's account). */
  readonly writer: LogsWriter;
  readonly maxBatchSize: number;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called when AWS says the credentials expired, so the next attempt starts from fresh ones. */
  readonly onCredentialsExpired?: OnCredentialsExpired;
}

const codeOf = (err: unknown) => classifyAwsError(err).code;

/** The CloudWatch {@link DeliverySink} of one delivery for one object. */
export class CloudWatchSink implements DeliverySink {
  readonly #report: DeliveryReport;
  readonly #batcher: LogEventBatcher;
  readonly #stream: string;
  #failure?: unknown;
  /** Events written so far, and how many of the first of them need no resend ({@link handledEvents}). */
  #written = 0;
  #handled = 0;

  readonly #delivery: CloudWatchDelivery;
  readonly #writer: LogsWriter;
  readonly #options: CloudWatchSinkOptions;

  constructor(delivery: CloudWatchDelivery, options: CloudWatchSinkOptions) {
    this.#delivery = delivery;
    this.#writer = options.writer;
    this.#options = options;
    this.#stream = logStreamName(options.path);
    this.#report = deliveryReport(delivery, `${describeDestination(delivery)}:${this.#stream}`);
    this.#batcher = new LogEventBatcher(
      batchLimits(options.maxBatchSize),
      putLogEventsFrame(delivery.logGroupName, this.#stream),
    );
  }

  failed(): boolean {
    return this.#failure !== undefined;
  }

  async write(chunk: RecordChunk): Promise<void> {
    if (this.#failure !== undefined) return;
    const now = (this.#options.now ?? Date.now)();
    const rejected = this.#report.rejected;
    const events = chunk.events;
    const first = this.#written; // the ordinal of events[0]
    this.#written += events.length;
    // The chunk's events as they are, until one is refused or cut: then a copy of those sent, with their ordinals.
    let admitted: LogEvent[] | undefined;
    let ordinals: number[] | undefined;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const verdict = admitUnsized(event, now);
      if (verdict === event) {
        admitted?.push(event);
        ordinals?.push(first + i);
        continue;
      }
      if (!admitted || !ordinals) {
        admitted = events.slice(0, i);
        ordinals = Array.from({ length: i }, (_, k) => first + k);
      }
      if (typeof verdict === "string") {
        bump(rejected, verdict);
        // Refused with nothing waiting before it: it needs no resend.
        if (this.#batcher.pending === 0 && admitted.length === 0) this.#handled = first + i + 1;
        continue;
      }
      this.#report.truncated++;
      admitted.push(verdict);
      ordinals.push(first + i);
    }
    for (const batch of this.#batcher.addAll(admitted ?? events)) {
      if (!(await this.#sendAll([batch]))) return;
      // A full batch holds every event before the one it was cut at, which now waits.
      if (batch.cutBefore !== undefined) this.#handled = ordinals?.[batch.cutBefore] ?? first + batch.cutBefore;
    }
  }

  async finish(): Promise<DeliveryReport> {
    if (this.#failure === undefined && await this.#sendAll(this.#batcher.flush())) this.#handled = this.#written;
    this.#batcher.close();
    return this.#finalReport();
  }

  handledEvents(): number {
    return this.#handled;
  }

  abort(reason: string): Promise<DeliveryReport> {
    this.#failure ??= new ProcessingError("permanent", "Aborted", reason);
    this.#batcher.close();
    return Promise.resolve(this.#finalReport());
  }

  #finalReport(): DeliveryReport {
    return reportFailure(this.#report, this.#failure);
  }

  async #sendAll(batches: LogBatch[]): Promise<boolean> {
    for (const batch of batches) {
      try {
        await this.#send(batch);
        this.#batcher.recycle(batch); // sent: its body is read no more
      } catch (err) {
        this.#failure = err;
        return false;
      }
    }
    return true;
  }

  #call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    bump(this.#report.api_calls, operation);
    return fn();
  }

  async #send(batch: LogBatch): Promise<void> {
    const { logGroupName: group } = this.#delivery;
    const stream = this.#stream;
    const put = () => this.#call("PutLogEvents", () => this.#writer.putLogEvents(group, stream, batch));
    const info = await withRetry(
      async () => {
        try {
          return await put();
        } catch (err) {
          if (codeOf(err) !== "ResourceNotFoundException") throw err;
          await this.#createStream();
          return await put();
        }
      },
      this.#options.retry,
      {
        what: `PutLogEvents to ${group}:${stream}`,
        sleep: this.#options.sleep,
        onCredentialsExpired: this.#options.onCredentialsExpired,
        onRetry: (attempt, delayMs, err) => {
          this.#options.logger.warn("retrying PutLogEvents", { attempt, delayMs, code: codeOf(err), group, stream });
        },
      },
    );
    const n = batch.count;
    const refused = countRejected(info, n);
    let refusedCount = 0;
    for (const [reason, count] of Object.entries(refused)) {
      bump(this.#report.rejected, reason, count);
      refusedCount += count;
    }
    this.#report.events_delivered += n - refusedCount;
    this.#report.bytes_delivered += batch.bytes - EVENT_OVERHEAD_BYTES * n -
      (refusedCount > 0 ? refusedBytes(batch, refused) : 0);
  }

  /** Creates the stream, and the group first when it is missing too; races are fine. */
  async #createStream(): Promise<void> {
    const { logGroupName: group, retentionDays } = this.#delivery;
    const stream = this.#stream;
    const tolerate = (err: unknown) => {
      if (codeOf(err) !== "ResourceAlreadyExistsException") throw err;
    };
    try {
      await this.#call("CreateLogStream", () => this.#writer.createLogStream(group, stream));
      return;
    } catch (err) {
      if (codeOf(err) === "ResourceAlreadyExistsException") return;
      if (codeOf(err) !== "ResourceNotFoundException") throw err;
    }
    let created = true;
    await this.#call("CreateLogGroup", () => this.#writer.createLogGroup(group)).catch((err) => {
      tolerate(err);
      created = false;
    });
    if (created) {
      this.#options.logger.info("created log group", { group, tenant: this.#delivery.tenantId, retentionDays });
      if (retentionDays) {
        await this.#call("PutRetentionPolicy", () => this.#writer.putRetentionPolicy(group, retentionDays));
      }
    }
    await this.#call("CreateLogStream", () => this.#writer.createLogStream(group, stream)).catch(tolerate);
  }
}
