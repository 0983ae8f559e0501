import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { awsError } from "../../../tests/support/fakes.ts";
import { ProcessingError } from "../../errors.ts";
import type { RecordChunk } from "../../ingest/read_records.ts";
import { silentLogger } from "../../telemetry/logger.ts";
import type { S3Delivery } from "../../tenant/delivery.ts";
import type { ObjectContext } from "../sink.ts";
import { destinationKey } from "./destination_key.ts";
import type {
  MultipartUpload,
  ObjectHeaders,
  ObjectLocation,
  ObjectWriter,
  UploadedPart,
  UploadPart,
} from "./object_writer.ts";
import { S3Sink } from "./s3_sink.ts";

const delivery: S3Delivery = {
  tenantId: "acme",
  deliveryId: "archive",
  type: "s3",
  enabled: true,
  roleArn: "arn:aws:iam::210987654321:role/log-delivery",
  externalId: "ext-123",
  applications: [],
  bucketName: "acme-logs",
  bucketPrefix: "k8s/",
};
const object: ObjectContext = {
  ref: { bucket: "central-logs", key: "acme/prod-1/api/api-7f9/20260101-120000-a.json.gz" },
  path: {
    customerId: "acme",
    clusterId: "prod-1",
    application: "api",
    podName: "api-7f9",
    fileName: "20260101-120000-a.json.gz",
  },
};
const KEY = "k8s/prod-1/api/api-7f9/20260101-120000-a.json.gz";

/** Records every call; `failOn` makes chosen operations throw SDK-shaped errors. */
class FakeWriter implements ObjectWriter {
  calls: string[] = [];
  objects = new Map<string, { body: Uint8Array; headers: ObjectHeaders }>();
  uploads = new Map<string, Map<number, Uint8Array>>();
  failOn = new Map<string, { name: string; status: number; times: number }>();

  #maybeFail(op: string) {
    this.calls.push(op);
    const f = this.failOn.get(op);
    if (f && f.times > 0) {
      f.times--;
      throw awsError(f.name, f.status);
    }
  }
  putObject({ bucket, key }: ObjectLocation, body: Uint8Array, headers: ObjectHeaders) {
    this.#maybeFail("PutObject");
    this.objects.set(`${bucket}/${key}`, { body, headers });
    return Promise.resolve();
  }
  createMultipartUpload(_object: ObjectLocation, _headers: ObjectHeaders) {
    this.#maybeFail("CreateMultipartUpload");
    const id = `up-${this.uploads.size + 1}`;
    this.uploads.set(id, new Map());
    return Promise.resolve(id);
  }
  uploadPart({ uploadId }: MultipartUpload, { partNumber, body }: UploadPart) {
    this.#maybeFail("UploadPart");
    this.uploads.get(uploadId)!.set(partNumber, body.slice());
    return Promise.resolve(`"etag-${partNumber}"`);
  }
  completeMultipartUpload({ bucket, key, uploadId }: MultipartUpload, parts: readonly UploadedPart[]) {
    this.#maybeFail("CompleteMultipartUpload");
    const stored = this.uploads.get(uploadId)!;
    const chunks = parts.map((p) => stored.get(p.partNumber)!);
    const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) body.set(c, (at += c.length) - c.length);
    this.objects.set(`${bucket}/${key}`, { body, headers: { contentType: "?", contentEncoding: "?" } });
    this.uploads.delete(uploadId);
    return Promise.resolve();
  }
  abortMultipartUpload({ uploadId }: MultipartUpload) {
    this.calls.push("AbortMultipartUpload");
    this.uploads.delete(uploadId);
    return Promise.resolve();
  }
}

const options = (partSizeBytes = 8 * 1024 * 1024) => ({
  partSizeBytes,
  retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 },
  logger: silentLogger,
  sleep: () => Promise.resolve(),
});

/** A chunk of `n` Vector-shaped lines; random text keeps gzip from shrinking it much. */
function chunk(n: number, from = 0, pad = 0): RecordChunk {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++) {
    const noise = Array.from(crypto.getRandomValues(new Uint8Array(pad / 2)), (b) => b.toString(16).padStart(2, "0"))
      .join("");
    lines.push(JSON.stringify({ message: `line ${i} ${noise}`, timestamp: "2026-01-01T00:00:00Z", kubernetes: {} }));
  }
  return { lines, events: lines.map((message) => ({ timestamp: 0, message })) };
}

const text = (gz: Uint8Array) => new TextDecoder().decode(gunzipSync(gz));

Deno.test("destinationKey: prefix + cluster/application/pod/file", () => {
  assert.deepEqual(destinationKey(delivery, object.path), KEY);
  assert.deepEqual(destinationKey({ bucketPrefix: "" }, object.path), "prod-1/api/api-7f9/20260101-120000-a.json.gz");
});

Deno.test("S3Sink: a small object is one PutObject of gzip NDJSON with the raw lines", async () => {
  const writer = new FakeWriter();
  const sink = new S3Sink(delivery, object, { ...options(), writer });
  const a = chunk(3);
  const b = chunk(2, 3);
  await sink.write(a);
  await sink.write(b);
  const report = await sink.finish();
  assert.deepEqual(writer.calls, ["PutObject"]);
  const stored = writer.objects.get(`acme-logs/${KEY}`)!;
  assert.deepEqual(stored.headers, { contentType: "application/x-ndjson", contentEncoding: "gzip" });
  assert.deepEqual(text(stored.body), [...a.lines, ...b.lines].join("\n") + "\n");
  assert.deepEqual(report.outcome, "delivered");
  assert.deepEqual(report.events_delivered, 5);
  assert.deepEqual(report.bytes_delivered, new TextEncoder().encode([...a.lines, ...b.lines].join("\n") + "\n").length);
  assert.deepEqual(report.api_calls, { PutObject: 1 });
  assert.deepEqual(report.destination, `s3://acme-logs/${KEY}`);
});

Deno.test("S3Sink: an object without events writes nothing", async () => {
  const writer = new FakeWriter();
  const sink = new S3Sink(delivery, object, { ...options(), writer });
  await sink.write({ lines: [], events: [] });
  const report = await sink.finish();
  assert.deepEqual(writer.calls, []);
  assert.deepEqual(report.outcome, "delivered");
  assert.deepEqual(report.events_delivered, 0);
});

Deno.test("S3Sink: a large object goes in parts that concatenate to one gzip stream", async () => {
  const writer = new FakeWriter();
  const sink = new S3Sink(delivery, object, { ...options(32 * 1024), writer });
  const all: string[] = [];
  for (let i = 0; i < 20; i++) {
    const c = chunk(50, i * 50, 200);
    all.push(...c.lines);
    await sink.write(c);
  }
  const report = await sink.finish();
  assert.deepEqual(report.outcome, "delivered", report.reason);
  const parts = writer.calls.filter((c) => c === "UploadPart").length;
  assert(parts >= 3, `expected several parts, got ${parts}`);
  assert.deepEqual(writer.calls[0], "CreateMultipartUpload");
  assert.deepEqual(writer.calls.at(-1), "CompleteMultipartUpload");
  assert.deepEqual(text(writer.objects.get(`acme-logs/${KEY}`)!.body).split("\n").slice(0, -1), all);
  assert.deepEqual(report.events_delivered, 1000);
  assert.deepEqual(report.api_calls.UploadPart, parts);
});

Deno.test("S3Sink: throttling is retried, then the object is delivered", async () => {
  const writer = new FakeWriter();
  writer.failOn.set("PutObject", { name: "SlowDown", status: 503, times: 2 });
  const sink = new S3Sink(delivery, object, { ...options(), writer });
  await sink.write(chunk(2));
  const report = await sink.finish();
  assert.deepEqual(report.outcome, "delivered");
  assert.deepEqual(report.api_calls, { PutObject: 3 });
  assert(writer.objects.has(`acme-logs/${KEY}`));
});

Deno.test("S3Sink: AccessDenied on a part aborts the upload and reports permanent", async () => {
  const writer = new FakeWriter();
  writer.failOn.set("UploadPart", { name: "AccessDenied", status: 403, times: 1 });
  const sink = new S3Sink(delivery, object, { ...options(1024), writer });
  await sink.write(chunk(100, 0, 400));
  await sink.write(chunk(100, 100, 400));
  const report = await sink.finish();
  assert.deepEqual(report.outcome, "permanent");
  assert.deepEqual(report.code, "AccessDenied");
  assert.deepEqual(report.events_delivered, 0);
  assert.deepEqual(writer.calls, ["CreateMultipartUpload", "UploadPart", "AbortMultipartUpload"]);
  assert.deepEqual(writer.objects.size, 0);
  assert.deepEqual(writer.uploads.size, 0);
});

Deno.test("S3Sink: abort after a read failure discards the upload and writes nothing", async () => {
  const writer = new FakeWriter();
  const sink = new S3Sink(delivery, object, { ...options(1024), writer });
  await sink.write(chunk(100, 0, 400));
  assert.deepEqual(writer.calls.slice(0, 2), ["CreateMultipartUpload", "UploadPart"]);
  const report = await sink.abort("gzip data is corrupt");
  assert.deepEqual(report.outcome, "permanent");
  assert.deepEqual(report.code, "Aborted");
  assert.match(report.reason ?? "", /corrupt/);
  assert.deepEqual(writer.calls.at(-1), "AbortMultipartUpload");
  assert.deepEqual(writer.objects.size, 0);
  await sink.write(chunk(1));
  assert.deepEqual(writer.calls.at(-1), "AbortMultipartUpload");
});

Deno.test("S3Sink: a destination in the object's own bucket is refused", () => {
  assert.throws(
    () => new S3Sink({ ...delivery, bucketName: "central-logs" }, object, { ...options(), writer: new FakeWriter() }),
    (err) => err instanceof ProcessingError && err.code === "InvalidConfig" && err.failureClass === "permanent",
  );
});

Deno.test("S3Sink: expired credentials are reported so the next attempt starts from fresh ones", async () => {
  const writer = new FakeWriter();
  writer.failOn.set("PutObject", { name: "ExpiredToken", status: 400, times: 1 });
  let expired = 0;
  const sink = new S3Sink(delivery, object, { ...options(), writer, onCredentialsExpired: () => expired++ });
  await sink.write(chunk(1));
  const report = await sink.finish();
  assert.equal(report.outcome, "delivered");
  assert.equal(expired, 1);
});
