import { deepStrictEqual as deepEqual, match, strictEqual as equal } from "node:assert/strict";
import { cloudWatchDelivery, encodeS3Key } from "../../tests/support/fakes.ts";
import { FakeWorld } from "../../tests/support/pipeline_fakes.ts";
import { processMessage } from "./process_message.ts";

const BUCKET = "central-logs";

function s3Body(...records: { key: string; eventName?: string; eventTime?: string }[]): string {
  return JSON.stringify({
    Records: records.map(({ key, eventName, eventTime }) => ({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      eventName: eventName ?? "ObjectCreated:Put",
      eventTime,
      s3: { bucket: { name: BUCKET }, object: { key: encodeS3Key(key), size: 10 } },
    })),
  });
}

function world(): FakeWorld {
  const w = new FakeWorld();
  w.tenants.set("acme", { tenantId: "acme", deliveries: [cloudWatchDelivery()], invalid: [] });
  return w;
}

Deno.test("a body that is not a notification is one permanent InvalidNotification result", async () => {
  const w = world();
  const message = await processMessage("this is not json", w.deps());
  equal(message.outcome, "permanent");
  equal(message.objects.length, 1);
  equal(message.objects[0]!.code, "InvalidNotification");
  match(message.objects[0]!.reason ?? "", /not JSON/);
  deepEqual(w.opened, []);
});

Deno.test("a test event is skipped with its reason", async () => {
  const w = world();
  const message = await processMessage(JSON.stringify({ Event: "s3:TestEvent", Bucket: BUCKET }), w.deps());
  equal(message.outcome, "skipped");
  deepEqual(message.objects.map((o) => [o.bucket, o.outcome, o.reason]), [[BUCKET, "skipped", "s3:TestEvent"]]);
});

Deno.test("every object of a message is processed in order; delivered and skipped merge to delivered", async () => {
  const w = world();
  const a = "acme/prod-1/api/pod-a/1 with space.json";
  const b = "ghost/prod-1/api/pod-b/2.json";
  w.putObject(BUCKET, a, { chunks: ['{"message":"from a"}\n'] });
  const message = await processMessage(s3Body({ key: a }, { key: b }), w.deps());
  deepEqual(message.objects.map((o) => [o.key, o.outcome]), [[a, "delivered"], [b, "skipped"]]);
  equal(message.outcome, "delivered");
  deepEqual(w.sinks[0]!.events.map((e) => e.message), ["from a"]);
});

Deno.test("an invalid record keeps the message, but the other objects are still processed", async () => {
  const w = world();
  const good = "acme/prod-1/api/pod-a/ok.json";
  w.putObject(BUCKET, good, { chunks: ['{"message":"x"}\n'] });
  const body = JSON.stringify({
    Records: [
      ...JSON.parse(s3Body({ key: good })).Records,
      { eventVersion: "1.0", eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: {} },
      ...JSON.parse(s3Body({ key: "acme/prod-1/api/pod-a/gone.json", eventName: "ObjectRemoved:Delete" })).Records,
    ],
  });
  const message = await processMessage(body, w.deps());
  deepEqual(message.objects.map((o) => [o.outcome, o.code]), [
    ["delivered", undefined],
    ["permanent", "InvalidNotification"],
    ["skipped", undefined],
  ]);
  equal(message.outcome, "permanent");
});

Deno.test("a retryable object makes the whole message retryable", async () => {
  const w = world();
  const a = "acme/prod-1/api/pod-a/a.json";
  w.putObject(BUCKET, a, { chunks: ['{"message":"x"}\n'] });
  w.sinkResults.set("cloudwatch", { outcome: "retryable", code: "ThrottlingException", reason: "slow" });
  const message = await processMessage(s3Body({ key: a }, { key: "not/a/valid/key" }), w.deps());
  deepEqual(message.objects.map((o) => o.outcome), ["retryable", "permanent"]);
  equal(message.outcome, "retryable");
});

Deno.test("each object carries its processing time and its age since the S3 event", async () => {
  const w = world();
  const key = "acme/prod-1/api/pod-a/timed.json";
  w.putObject(BUCKET, key, { chunks: ['{"message":"x"}\n'] });
  const deps = w.deps();
  // The clock moves 250 ms while the object is read: that is its processing time.
  const source = deps.source;
  const start = w.now;
  const timedDeps = {
    ...deps,
    source: { open: (b: string, k: string) => (w.now += 250, source.open(b, k)) },
  };
  const eventTime = new Date(start - 90_000).toISOString();
  const message = await processMessage(s3Body({ key, eventTime }, { key: "ghost/c/a/p/f.json" }), timedDeps);
  deepEqual(message.objects.map((o) => [o.outcome, o.duration_ms, o.age_ms]), [
    ["delivered", 250, 90_250],
    ["skipped", 0, undefined],
  ]);
});

Deno.test("no age without a parsable event time, never a negative time", async () => {
  /** The timing of one skipped object whose processing the clock sees from `startedMs` to `endedMs`. */
  const timing = async (startedMs: number, endedMs: number, eventTime?: string) => {
    const ticks = [startedMs, endedMs];
    const deps = { ...world().deps(), now: () => ticks.shift() ?? endedMs };
    const [object] = (await processMessage(s3Body({ key: "ghost/c/a/p/f.json", eventTime }), deps)).objects;
    equal(object?.outcome, "skipped");
    return { duration_ms: object.duration_ms, age_ms: object.age_ms };
  };
  deepEqual(await timing(10, 15), { duration_ms: 5, age_ms: undefined });
  deepEqual(await timing(10, 15, "yesterday"), { duration_ms: 5, age_ms: undefined });
  deepEqual(await timing(20, 15, "1970-01-01T00:00:01.000Z"), { duration_ms: 0, age_ms: 0 });
});
