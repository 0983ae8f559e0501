/**
 * The Vector stand-in's CloudWatch sink: what Vector's `aws_cloudwatch_logs`
 * sink does with the engine's configuration, through the configured endpoint
 * with the credentials in the environment. CreateLogStream first (on a
 * missing group: CreateLogGroup, PutRetentionPolicy when retention is set,
 * then CreateLogStream again), then PutLogEvents per `batch.max_events` in
 * time order; throttling and 5xx are retried `request.retry_attempts` times
 * with Vector's doubling backoff; a call that still fails drops its events.
 *
 * @module
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { type FailedCall, isRetriedByVector } from "./fake_vector_lines.ts";

/** The options of the generated `aws_cloudwatch_logs` sink the stand-in honours. */
export interface CloudWatchSink {
  readonly region: string;
  readonly endpoint?: string;
  readonly group_name: string;
  readonly stream_name: string;
  readonly retention?: { enabled: boolean; days: number };
  readonly batch?: { max_events?: number };
  readonly request?: { retry_attempts?: number; retry_initial_backoff_secs?: number; retry_max_duration_secs?: number };
}

/** What the delivery reports as it goes. */
export interface DeliveryEvents {
  sent(events: number): void;
  failed(call: FailedCall): void;
  retrying(call: FailedCall): void;
}

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

/** Delivers the engine's NDJSON `lines` as Vector's sink would. */
export async function deliverEvents(sink: CloudWatchSink, lines: string[], report: DeliveryEvents): Promise<void> {
  const client = new CloudWatchLogsClient({ region: sink.region, endpoint: sink.endpoint, maxAttempts: 1 });
  const group = sink.group_name;
  const stream = sink.stream_name;
  // What the generated remap does: the epoch milliseconds become the event time.
  const events = lines.map((l) => JSON.parse(l)).map((e) => ({ timestamp: e.timestamp_ms, message: e.message }))
    .sort((a, b) => a.timestamp - b.timestamp);
  const attempts = 1 + (sink.request?.retry_attempts ?? 0);
  /** One call with Vector's retries; false when it failed for good (its events dropped). */
  const call = async (operation: string, count: number, send: () => Promise<unknown>): Promise<boolean> => {
    let backoff = sink.request?.retry_initial_backoff_secs ?? 1;
    for (let attempt = 1;; attempt++) {
      try {
        await send();
        return true;
      } catch (err) {
        const e = err as AwsError;
        const failed = { operation, code: e.name, status: e.$metadata?.httpStatusCode ?? 0, events: count };
        if (!isRetriedByVector(failed) || attempt >= attempts) {
          report.failed(failed);
          return false;
        }
        report.retrying(failed);
        await new Promise((r) => setTimeout(r, backoff * 1000));
        backoff = Math.min(backoff * 2, sink.request?.retry_max_duration_secs ?? 30);
      }
    }
  };
  const exists = (err: unknown) => (err as Error).name === "ResourceAlreadyExistsException";
  const createStream = () =>
    client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).catch((err) => {
      if (!exists(err)) throw err;
    });
  try {
    const streamReady = await call("CreateLogStream", events.length, () =>
      createStream().catch(async (err) => {
        if ((err as Error).name !== "ResourceNotFoundException") throw err;
        await client.send(new CreateLogGroupCommand({ logGroupName: group })).catch((e) => {
          if (!exists(e)) throw e;
        });
        if (sink.retention?.enabled) {
          await client.send(
            new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: sink.retention.days }),
          );
        }
        await createStream();
      }));
    if (!streamReady) return;
    const size = sink.batch?.max_events ?? 10_000;
    for (let i = 0; i < events.length; i += size) {
      const batch = events.slice(i, i + size);
      const put = () =>
        client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: batch }));
      if (await call("PutLogEvents", batch.length, put)) report.sent(batch.length);
    }
  } finally {
    client.destroy();
  }
}
