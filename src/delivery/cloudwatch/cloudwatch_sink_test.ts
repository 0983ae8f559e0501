import { deepStrictEqual as deepEqual, match, ok, strictEqual as equal } from "node:assert/strict";
import type { LogEvent } from "../../ingest/parse_record.ts";
import type { RecordChunk } from "../../ingest/read_records.ts";
import type { TenantPath } from "../../notification/parse_key.ts";
import { silentLogger } from "../../telemetry/logger.ts";
import type { CloudWatchDelivery } from "../../tenant/delivery.ts";
import type { LogBatch } from "./batcher.ts";
import { awsError, cloudWatchDelivery, fakeClock, recordingSleep } from "../../../tests/support/fakes.ts";
import { CloudWatchSink, logStreamName } from "./cloudwatch_sink.ts";
import { MAX_EVENT_AGE_MS, MAX_EVENT_FUTURE_MS, MAX_EVENT_MESSAGE_BYTES } from "./limits.ts";
import type { LogsWriter, RejectedInfo } from "./logs_writer.ts";

const PATH: TenantPath = {
  customerId: "acme",
  clusterId: "prod-1",
  application: "api",
  podName: "api-7f9",
  fileName: "20260101-120000-x.json.gz",
};
const STREAM = "prod-1/api/api-7f9";
const GROUP = "/customer/acme/k8s";
const NOW = Date.UTC(2026, 0, 10, 12);
const encoder = new TextEncoder();

type Op = "PutLogEvents" | "CreateLogGroup" | "CreateLogStream" | "PutRetentionPolicy";

/** A recorded in-memory CloudWatch Logs with scripted faults. */
class FakeLogs implements LogsWriter {
  readonly calls: Op[] = [];
  readonly groups = new Set<string>();
  readonly streams = new Set<string>();
  readonly retention = new Map<string, number>();
  readonly delivered: LogEvent[][] = [];
  /** Per operation: errors thrown by the next calls, in order. */
  readonly faults = new Map<Op, unknown[]>();
  /** Runs before each call, e.g. another worker creating the group. */
  before?: (op: Op) => void;
  rejectedInfo?: (events: LogEvent[]) => RejectedInfo | undefined;

  withStream(group = GROUP, stream = STREAM): this {
    this.groups.add(group);
    this.streams.add(`${group}\n${stream}`);
    return this;
  }

  fail(op: Op, ...errors: unknown[]): this {
    this.faults.set(op, [...(this.faults.get(op) ?? []), ...errors]);
    return this;
  }

  #enter(op: Op): void {
    this.calls.push(op);
    this.before?.(op);
    const queued = this.faults.get(op);
    if (queued && queued.length > 0) throw queued.shift();
  }

  putLogEvents(group: string, stream: string, batch: LogBatch): Promise<RejectedInfo | undefined> {
    try {
      this.#enter("PutLogEvents");
      if (!this.streams.has(`${group}\n${stream}`)) throw awsError("ResourceNotFoundException", 400);
      // The events as the API reads them from the request body.
      const events: LogEvent[] = JSON.parse(`[${new TextDecoder().decode(batch.eventsJson)}]`);
      equal(events.length, batch.count);
      this.delivered.push(events);
      return Promise.resolve(this.rejectedInfo?.(events));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  createLogGroup(group: string): Promise<void> {
    return this.#run("CreateLogGroup", () => {
      if (this.groups.has(group)) throw awsError("ResourceAlreadyExistsException", 400);
      this.groups.add(group);
    });
  }

  putRetentionPolicy(group: string, days: number): Promise<void> {
    return this.#run("PutRetentionPolicy", () => {
      if (!this.groups.has(group)) throw awsError("ResourceNotFoundException", 400);
      this.retention.set(group, days);
    });
  }

  createLogStream(group: string, stream: string): Promise<void> {
    return this.#run("CreateLogStream", () => {
      if (!this.groups.has(group)) throw awsError("ResourceNotFoundException", 400);
      if (this.streams.has(`${group}\n${stream}`)) throw awsError("ResourceAlreadyExistsException", 400);
      this.streams.add(`${group}\n${stream}`);
    });
  }

  #run(op: Op, fn: () => void): Promise<void> {
    try {
      this.#enter(op);
      fn();
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

function sinkFor(
  logs: FakeLogs,
  options: { delivery?: Partial<CloudWatchDelivery>; retries?: number; maxBatchSize?: number } = {},
) {
  const sleeper = recordingSleep();
  const sink = new CloudWatchSink(cloudWatchDelivery(options.delivery), {
    path: PATH,
    writer: logs,
    maxBatchSize: options.maxBatchSize ?? 10_000,
    retry: { retries: options.retries ?? 3, baseDelayMs: 100, maxDelayMs: 1_000 },
    logger: silentLogger,
    now: () => NOW,
    sleep: sleeper.sleep,
  });
  return { sink, delays: sleeper.delays };
}

function chunk(...events: LogEvent[]): RecordChunk {
  return { events, lines: events.map((e) => JSON.stringify(e)) };
}

const events = (n: number, start = NOW - 60_000) =>
  Array.from({ length: n }, (_, i) => ({ timestamp: start + i, message: `event ${i}` }));

const bytes = (es: LogEvent[]) => es.reduce((s, e) => s + encoder.encode(e.message).length, 0);

Deno.test("the stream is <cluster_id>/<application>/<pod_name>", () => {
  equal(logStreamName(PATH), STREAM);
});

Deno.test("steady state: existing group and stream cost only PutLogEvents calls", async () => {
  const logs = new FakeLogs().withStream();
  const { sink } = sinkFor(logs, { delivery: { retentionDays: 30 } });
  const sent = events(25);
  await sink.write(chunk(...sent.slice(0, 10)));
  await sink.write(chunk(...sent.slice(10)));
  const report = await sink.finish();
  deepEqual(logs.calls, ["PutLogEvents"]);
  deepEqual(logs.delivered, [sent]);
  deepEqual(report, {
    delivery_id: "cloudwatch",
    type: "cloudwatch",
    destination: `cloudwatch:${GROUP}:${STREAM}`,
    outcome: "delivered",
    events_delivered: 25,
    rejected: {},
    truncated: 0,
    bytes_delivered: bytes(sent),
    api_calls: { PutLogEvents: 1 },
  });
  equal(logs.retention.size, 0);
});

Deno.test("batches follow MAX_BATCH_SIZE and each batch is sorted", async () => {
  const logs = new FakeLogs().withStream();
  const { sink } = sinkFor(logs, { maxBatchSize: 10 });
  const sent = events(25).reverse();
  await sink.write(chunk(...sent));
  const report = await sink.finish();
  deepEqual(logs.delivered.map((b) => b.length), [10, 10, 5]);
  for (const b of logs.delivered) deepEqual(b, [...b].sort((x, y) => x.timestamp - y.timestamp));
  equal(report.events_delivered, 25);
  deepEqual(report.api_calls, { PutLogEvents: 3 });
});

Deno.test("missing group and stream are created, retention set, then the batch is sent", async () => {
  const logs = new FakeLogs();
  const { sink } = sinkFor(logs, { delivery: { retentionDays: 14 } });
  await sink.write(chunk(...events(3)));
  const report = await sink.finish();
  deepEqual(logs.calls, [
    "PutLogEvents",
    "CreateLogStream",
    "CreateLogGroup",
    "PutRetentionPolicy",
    "CreateLogStream",
    "PutLogEvents",
  ]);
  deepEqual(logs.retention, new Map([[GROUP, 14]]));
  equal(report.outcome, "delivered");
  equal(report.events_delivered, 3);
  deepEqual(report.api_calls, { PutLogEvents: 2, CreateLogStream: 2, CreateLogGroup: 1, PutRetentionPolicy: 1 });

  // The next object of the same pod finds everything in place.
  logs.calls.length = 0;
  const next = sinkFor(logs, { delivery: { retentionDays: 14 } }).sink;
  await next.write(chunk(...events(2)));
  deepEqual((await next.finish()).api_calls, { PutLogEvents: 1 });
  deepEqual(logs.calls, ["PutLogEvents"]);
});

Deno.test("a created group without retention_days gets no retention call", async () => {
  const logs = new FakeLogs();
  const { sink } = sinkFor(logs);
  await sink.write(chunk(...events(1)));
  await sink.finish();
  equal(logs.calls.includes("PutRetentionPolicy"), false);
  equal(logs.streams.has(`${GROUP}\n${STREAM}`), true);
});

Deno.test("only the stream missing: it is created, retention is left alone", async () => {
  const logs = new FakeLogs();
  logs.groups.add(GROUP);
  const { sink } = sinkFor(logs, { delivery: { retentionDays: 30 } });
  await sink.write(chunk(...events(1)));
  const report = await sink.finish();
  deepEqual(logs.calls, ["PutLogEvents", "CreateLogStream", "PutLogEvents"]);
  equal(logs.retention.size, 0);
  equal(report.outcome, "delivered");
});

Deno.test("race: another worker creates group and stream first; ResourceAlreadyExists is tolerated", async () => {
  const logs = new FakeLogs();
  logs.before = (op) => {
    if (op === "CreateLogGroup") logs.withStream(); // the other worker wins both creations
  };
  const { sink } = sinkFor(logs, { delivery: { retentionDays: 30 } });
  await sink.write(chunk(...events(2)));
  const report = await sink.finish();
  deepEqual(logs.calls, ["PutLogEvents", "CreateLogStream", "CreateLogGroup", "CreateLogStream", "PutLogEvents"]);
  equal(logs.retention.size, 0, "retention is set only by the worker that created the group");
  equal(report.outcome, "delivered");
  equal(report.events_delivered, 2);
});

Deno.test("race: the stream appears between the failed put and CreateLogStream", async () => {
  const logs = new FakeLogs();
  logs.groups.add(GROUP);
  logs.before = (op) => {
    if (op === "CreateLogStream") logs.withStream();
  };
  const { sink } = sinkFor(logs);
  await sink.write(chunk(...events(1)));
  const report = await sink.finish();
  deepEqual(logs.calls, ["PutLogEvents", "CreateLogStream", "PutLogEvents"]);
  equal(report.outcome, "delivered");
});

Deno.test("throttling is retried with backoff, then the batch is delivered", async () => {
  const logs = new FakeLogs().withStream().fail(
    "PutLogEvents",
    awsError("ThrottlingException", 400),
    awsError("ServiceUnavailableException", 503),
  );
  const { sink, delays } = sinkFor(logs);
  await sink.write(chunk(...events(5)));
  const report = await sink.finish();
  equal(report.outcome, "delivered");
  equal(report.events_delivered, 5);
  deepEqual(report.api_calls, { PutLogEvents: 3 });
  equal(logs.delivered.length, 1);
  equal(delays.length, 2);
  ok(delays[0]! >= 0 && delays[0]! <= 100 && delays[1]! >= 0 && delays[1]! <= 200, String(delays));
});

Deno.test("retries exhausted: the delivery is retryable, naming the call and the error", async () => {
  const throttled = Array.from({ length: 10 }, () => awsError("ThrottlingException", 400));
  const logs = new FakeLogs().withStream().fail("PutLogEvents", ...throttled);
  const { sink, delays } = sinkFor(logs, { retries: 2, maxBatchSize: 2 });
  await sink.write(chunk(...events(3))); // the first full batch fails here
  await sink.write(chunk(...events(3))); // ignored after the failure
  const report = await sink.finish();
  equal(report.outcome, "retryable");
  equal(report.code, "ThrottlingException");
  match(report.reason ?? "", new RegExp(`PutLogEvents to ${GROUP}:${STREAM} failed with ThrottlingException after 3`));
  deepEqual(report.api_calls, { PutLogEvents: 3 });
  equal(delays.length, 2);
  equal(report.events_delivered, 0);
  deepEqual(logs.delivered, []);
});

Deno.test("AccessDenied is permanent and not retried", async () => {
  const logs = new FakeLogs().withStream().fail("PutLogEvents", awsError("AccessDeniedException", 400));
  const { sink, delays } = sinkFor(logs);
  await sink.write(chunk(...events(2)));
  const report = await sink.finish();
  equal(report.outcome, "permanent");
  equal(report.code, "AccessDeniedException");
  deepEqual(report.api_calls, { PutLogEvents: 1 });
  deepEqual(delays, []);
});

Deno.test("AccessDenied while creating the group is permanent", async () => {
  const logs = new FakeLogs().fail("CreateLogGroup", awsError("AccessDeniedException", 400));
  const { sink } = sinkFor(logs);
  await sink.write(chunk(...events(1)));
  const report = await sink.finish();
  equal(report.outcome, "permanent");
  equal(report.code, "AccessDeniedException");
  deepEqual(logs.calls, ["PutLogEvents", "CreateLogStream", "CreateLogGroup"]);
});

Deno.test("throttled CreateLogStream is retried too", async () => {
  const logs = new FakeLogs().fail("CreateLogStream", awsError("ThrottlingException", 400));
  logs.groups.add(GROUP);
  const { sink } = sinkFor(logs);
  await sink.write(chunk(...events(1)));
  const report = await sink.finish();
  equal(report.outcome, "delivered");
  deepEqual(logs.calls, ["PutLogEvents", "CreateLogStream", "PutLogEvents", "CreateLogStream", "PutLogEvents"]);
});

Deno.test("events the API refuses in rejectedLogEventsInfo are counted by reason, not delivered", async () => {
  const logs = new FakeLogs().withStream();
  logs.rejectedInfo = (es) => ({
    tooOldLogEventEndIndex: 1,
    expiredLogEventEndIndex: 2,
    tooNewLogEventStartIndex: es.length - 1,
  });
  const { sink, delays } = sinkFor(logs);
  const sent = events(10);
  await sink.write(chunk(...sent));
  const report = await sink.finish();
  equal(report.outcome, "delivered");
  deepEqual(report.rejected, { too_old: 2, expired: 1, too_new: 1 });
  equal(report.events_delivered, 6);
  equal(report.bytes_delivered, bytes(sent.slice(3, 9)));
  deepEqual(report.api_calls, { PutLogEvents: 1 });
  deepEqual(delays, []);
});

Deno.test("too old, too new and empty events are counted and never sent", async () => {
  const logs = new FakeLogs().withStream();
  const { sink } = sinkFor(logs);
  await sink.write(chunk(
    { timestamp: NOW - MAX_EVENT_AGE_MS - 1, message: "ancient" },
    { timestamp: NOW + MAX_EVENT_FUTURE_MS + 1, message: "future" },
    { timestamp: NOW, message: "" },
    { timestamp: NOW - 15 * 86_400_000, message: "ancient too" },
    { timestamp: NOW, message: "fine" },
  ));
  const report = await sink.finish();
  deepEqual(report.rejected, { too_old: 2, too_new: 1, empty_message: 1 });
  equal(report.events_delivered, 1);
  deepEqual(logs.delivered, [[{ timestamp: NOW, message: "fine" }]]);
});

Deno.test("when every event is refused locally, no API call is made", async () => {
  const logs = new FakeLogs();
  const { sink } = sinkFor(logs);
  await sink.write(chunk({ timestamp: 0, message: "epoch" }));
  const report = await sink.finish();
  deepEqual(logs.calls, []);
  deepEqual(report.api_calls, {});
  deepEqual(report.rejected, { too_old: 1 });
  equal(report.outcome, "delivered");
});

Deno.test("an event over the per-event limit is truncated with a marker and counted", async () => {
  const logs = new FakeLogs().withStream();
  const { sink } = sinkFor(logs);
  const huge = "日".repeat(400_000); // 1.2 MB
  await sink.write(chunk({ timestamp: NOW, message: "small" }, { timestamp: NOW + 1, message: huge }));
  const report = await sink.finish();
  equal(report.truncated, 1);
  equal(report.events_delivered, 2);
  const sent = logs.delivered.flat();
  equal(sent.length, 2);
  const cut = sent[1]!.message;
  ok(encoder.encode(cut).length <= MAX_EVENT_MESSAGE_BYTES);
  match(cut, /…\[truncated by log-processor: 1200000 bytes\]$/);
  equal(report.bytes_delivered, 5 + encoder.encode(cut).length);
});

Deno.test("abort discards buffered events and reports a permanent Aborted failure", async () => {
  const logs = new FakeLogs().withStream();
  const { sink } = sinkFor(logs);
  await sink.write(chunk(...events(4)));
  const report = await sink.abort("gzip data is corrupt or truncated");
  deepEqual(logs.calls, []);
  equal(report.outcome, "permanent");
  equal(report.code, "Aborted");
  equal(report.reason, "gzip data is corrupt or truncated");
  equal(report.events_delivered, 0);
});

Deno.test("abort after a failed batch keeps the original failure", async () => {
  const logs = new FakeLogs().withStream().fail("PutLogEvents", awsError("AccessDeniedException", 400));
  const { sink } = sinkFor(logs, { maxBatchSize: 1 });
  await sink.write(chunk(...events(2)));
  const report = await sink.abort("read failed");
  equal(report.code, "AccessDeniedException");
  equal(report.outcome, "permanent");
});

Deno.test("a clock injected through options decides what is too old", async () => {
  const clock = fakeClock(NOW);
  const logs = new FakeLogs().withStream();
  const sink = new CloudWatchSink(cloudWatchDelivery(), {
    path: PATH,
    writer: logs,
    maxBatchSize: 10_000,
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    logger: silentLogger,
    now: clock.now,
  });
  const event = { timestamp: NOW - 13 * 86_400_000, message: "thirteen days old" };
  await sink.write(chunk(event));
  clock.advance(2 * 86_400_000);
  await sink.write(chunk(event));
  const report = await sink.finish();
  equal(report.events_delivered, 1);
  deepEqual(report.rejected, { too_old: 1 });
});

Deno.test("handledEvents: the prefix of written events accepted or refused for good, batch by batch", async () => {
  const logs = new FakeLogs().withStream();
  const { sink } = sinkFor(logs, { maxBatchSize: 3, retries: 0 });
  const old = { timestamp: NOW - MAX_EVENT_AGE_MS - 3_600_000, message: "too old" };
  const seen: number[] = [];
  await sink.write(chunk(old)); // refused with nothing waiting: handled at once
  seen.push(sink.handledEvents());
  const es = events(5);
  await sink.write(chunk(es[0]!, old, es[1]!)); // waiting in a batch: not handled yet
  seen.push(sink.handledEvents());
  await sink.write(chunk(es[2]!, es[3]!)); // the batch of three is sent when the fourth arrives
  seen.push(sink.handledEvents());
  logs.fail("PutLogEvents", awsError("ServiceUnavailableException", 503));
  await sink.write(chunk(es[4]!, es[4]!)); // the next batch fails: nothing more is handled
  seen.push(sink.handledEvents());
  const report = await sink.finish();
  deepEqual(seen, [1, 1, 5, 5]);
  equal(report.outcome, "retryable");
  equal(sink.handledEvents(), 5, "what the failed batch held is to be sent again");

  const whole = sinkFor(new FakeLogs().withStream(), { maxBatchSize: 3 }).sink;
  await whole.write(chunk(...events(7)));
  equal(whole.handledEvents(), 6);
  equal((await whole.finish()).outcome, "delivered");
  equal(whole.handledEvents(), 7, "finished: every written event");
});

Deno.test("handledEvents: a chunk cut into several batches counts those sent before one failed", async () => {
  const logs = new FakeLogs().withStream();
  const { sink } = sinkFor(logs, { maxBatchSize: 2, retries: 0 });
  const old = { timestamp: NOW - MAX_EVENT_AGE_MS - 3_600_000, message: "too old" };
  const es = events(5);
  logs.before = (op) => {
    if (op === "PutLogEvents" && logs.delivered.length === 1) {
      logs.fail("PutLogEvents", awsError("InternalFailure", 500));
    }
  };
  // Ordinals: 0 old, 1 e0, 2 e1, 3 old, 4 e2, 5 e3, 6 e4: batches [e0 e1] (cut at e2) then [e2 e3] (fails).
  await sink.write(chunk(old, es[0]!, es[1]!, old, es[2]!, es[3]!, es[4]!));
  deepEqual(logs.delivered, [[es[0], es[1]]]);
  equal(sink.handledEvents(), 4, "through the old event after the first batch; e2 on are to be sent again");
  equal((await sink.finish()).outcome, "retryable");
});

Deno.test("a cut line's event is delivered truncated, its marker naming the whole line's size", async () => {
  const logs = new FakeLogs().withStream();
  const { sink } = sinkFor(logs);
  await sink.write(chunk({ timestamp: NOW, message: "x".repeat(2_000_000), originalBytes: 9_000_000 }));
  const report = await sink.finish();
  const [delivered] = logs.delivered.flat();
  ok(delivered!.message.endsWith(" …[truncated by log-processor: 9000000 bytes]"));
  equal(encoder.encode(delivered!.message).length <= MAX_EVENT_MESSAGE_BYTES, true);
  equal(report.truncated, 1);
});
