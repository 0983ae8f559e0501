/**
 * The `vector` CloudWatch engine: delivers one object's events into the
 * tenant's log group by driving a Vector subprocess (see
 * {@link VectorProcess}). Events are checked exactly as the native engine
 * checks them (time window, size, truncation marker), then streamed to
 * Vector's stdin as NDJSON; Vector batches, creates the group/stream and
 * retries. The delivery counts as delivered only when Vector's own counter
 * for the sink confirms every event fed (see vector_outcome.ts). The customer
 * role's credentials reach Vector only through its environment.
 *
 * @module
 */
import type { OnCredentialsExpired } from "../../aws/classify_error.ts";
import type { AwsCredentialIdentity } from "../../aws/client_config.ts";
import type { RetryPolicy } from "../../aws/retry.ts";
import { errorMessage, ProcessingError } from "../../errors.ts";
import type { RecordChunk } from "../../ingest/read_records.ts";
import type { TenantPath } from "../../notification/parse_key.ts";
import type { Logger } from "../../telemetry/logger.ts";
import { type CloudWatchDelivery, describeDestination } from "../../tenant/delivery.ts";
import { logStreamName } from "../cloudwatch/cloudwatch_sink.ts";
import { MAX_EVENT_AGE_MS } from "../cloudwatch/limits.ts";
import { admitEvent } from "../cloudwatch/prepare_event.ts";
import type { DeliveryReport } from "../../results.ts";
import { bump, deliveryReport, type DeliverySink, reportFailure } from "../sink.ts";
import { TIMESTAMP_MS_FIELD, vectorCloudWatchConfig } from "./vector_config.ts";
import { credentialsExpired, vectorFailure } from "./vector_outcome.ts";
import { VectorProcess, type VectorRun } from "./vector_process.ts";

/**
 * Vector drops messages of 1 MiB − 76 bytes or more and events older than
 * 14 days − 5 minutes without telling anyone, so this engine cuts and
 * rejects a little earlier than the native one.
 */
export const VECTOR_MAX_MESSAGE_BYTES = 1024 * 1024 - 77;
export const VECTOR_AGE_MARGIN_MS = 6 * 60 * 1000;

/** Settings shared by every Vector sink. */
export interface VectorSinkOptions {
  readonly bin: string;
  readonly timeoutMs: number;
  readonly maxBatchSize: number;
  readonly retry: RetryPolicy;
  /** The processor's region, for deliveries without their own. */
  readonly region: string;
  readonly endpointUrl?: string;
  /** The customer role's credentials for `delivery`. */
  readonly credentials: (delivery: CloudWatchDelivery) => Promise<AwsCredentialIdentity>;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Called when Vector reports expired credentials, so the next run starts from fresh ones. */
  readonly onCredentialsExpired?: OnCredentialsExpired;
}

/** The child environment carrying `credentials` (and nothing of ours). */
export function vectorEnv(credentials: AwsCredentialIdentity, region: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_REGION: region,
    AWS_EC2_METADATA_DISABLED: "true",
    VECTOR_LOG: "warn",
  };
}

/** The Vector-driven CloudWatch {@link DeliverySink} of one delivery for one object. */
export class VectorSink implements DeliverySink {
  readonly #report: DeliveryReport;
  readonly #stream: string;
  #process?: Promise<VectorProcess | VectorRun>;
  #sent = 0;
  #bytes = 0;
  #failure?: unknown;
  #stdinError?: unknown;

  constructor(
    private readonly delivery: CloudWatchDelivery,
    path: TenantPath,
    private readonly options: VectorSinkOptions,
  ) {
    this.#stream = logStreamName(path);
    this.#report = deliveryReport(delivery, `${describeDestination(delivery)}:${this.#stream}`);
  }

  async write(chunk: RecordChunk): Promise<void> {
    if (this.#failure !== undefined || this.#stdinError !== undefined) return;
    const now = (this.options.now ?? Date.now)();
    const oldest = now - MAX_EVENT_AGE_MS + VECTOR_AGE_MARGIN_MS;
    let ndjson = "";
    let count = 0;
    let bytes = 0;
    for (const event of chunk.events) {
      const admitted = event.timestamp < oldest
        ? { rejection: "too_old" as const }
        : admitEvent(event, now, VECTOR_MAX_MESSAGE_BYTES);
      if (admitted.rejection) {
        bump(this.#report.rejected, admitted.rejection);
        continue;
      }
      if (admitted.truncated) this.#report.truncated++;
      ndjson += JSON.stringify({ [TIMESTAMP_MS_FIELD]: admitted.event.timestamp, message: admitted.event.message }) +
        "\n";
      count++;
      bytes += admitted.bytes;
    }
    if (count === 0) return;
    let proc: VectorProcess | VectorRun;
    try {
      proc = await (this.#process ??= this.#start());
    } catch (err) {
      this.#failure = err; // no credentials for the customer role
      return;
    }
    if (!(proc instanceof VectorProcess)) return; // could not start; finish() reports why
    try {
      await proc.write(ndjson, count);
      this.#sent += count;
      this.#bytes += bytes;
    } catch (err) {
      // Vector is gone; its exit status says why (finish), or this does.
      this.#stdinError = err;
    }
  }

  async finish(): Promise<DeliveryReport> {
    const proc = await this.#process?.catch(() => undefined);
    if (this.#failure !== undefined || proc === undefined) return this.#finalReport();
    const run = proc instanceof VectorProcess ? await proc.finish() : proc;
    this.#log(run);
    if (credentialsExpired(run)) this.options.onCredentialsExpired?.();
    const stdinClosed = this.#stdinError === undefined ? undefined : new ProcessingError(
      "retryable",
      "VectorStdinClosed",
      `vector stopped reading its input: ${errorMessage(this.#stdinError)}`,
    );
    this.#failure = vectorFailure(run) ?? stdinClosed;
    if (this.#failure === undefined) {
      this.#report.events_delivered = this.#sent;
      this.#report.bytes_delivered = this.#bytes;
    }
    return this.#finalReport();
  }

  async abort(reason: string): Promise<DeliveryReport> {
    this.#failure = new ProcessingError("permanent", "Aborted", reason);
    const proc = await this.#process?.catch(() => undefined);
    if (proc instanceof VectorProcess) this.#log(await proc.kill());
    return this.#finalReport();
  }

  async #start(): Promise<VectorProcess | VectorRun> {
    const region = this.delivery.region ?? this.options.region;
    const credentials = await this.options.credentials(this.delivery);
    const secrets = [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken ?? ""];
    bump(this.#report.api_calls, "vector_runs");
    return await VectorProcess.start({
      bin: this.options.bin,
      timeoutMs: this.options.timeoutMs,
      env: vectorEnv(credentials, region),
      secrets,
      config: (dir) =>
        vectorCloudWatchConfig({
          group: this.delivery.logGroupName,
          stream: this.#stream,
          region,
          endpoint: this.options.endpointUrl,
          retentionDays: this.delivery.retentionDays,
          maxBatchSize: this.options.maxBatchSize,
          retry: this.options.retry,
          dataDir: dir,
        }),
    });
  }

  #log(run: VectorRun): void {
    const confirmed = run.sent >= run.fed;
    if (confirmed && run.errorLines.length === 0 && run.exit.code === 0) return;
    this.options.logger.warn(confirmed ? "vector reported problems" : "vector did not confirm every event", {
      tenant: this.delivery.tenantId,
      delivery: this.delivery.deliveryId,
      group: this.delivery.logGroupName,
      stream: this.#stream,
      exit_code: run.exit.code,
      signal: run.exit.signal,
      timed_out: run.exit.timedOut,
      events_fed: run.fed,
      events_confirmed: run.sent,
      events_dropped: run.discarded,
      errors: run.errorLines.slice(0, 5),
    });
  }

  #finalReport(): DeliveryReport {
    return reportFailure(this.#report, this.#failure);
  }
}
