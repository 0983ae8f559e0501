/**
 * The pure pipeline on one core: gunzip → lines → records → CloudWatch
 * batches serialized as PutLogEvents request bodies (no network). Reports
 * MB/s of uncompressed NDJSON, events/s, and PutLogEvents calls versus the
 * packing optimum (total counted bytes / 1 MiB).
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import { CloudWatchSink } from "../src/delivery/cloudwatch/cloudwatch_sink.ts";
import { MAX_BATCH_BYTES } from "../src/delivery/cloudwatch/limits.ts";
import type { LogBatch } from "../src/delivery/cloudwatch/batcher.ts";
import type { LogsWriter } from "../src/delivery/cloudwatch/logs_writer.ts";
import { emptyReadStats, readRecords } from "../src/ingest/read_records.ts";
import { silentLogger } from "../src/telemetry/logger.ts";
import type { CloudWatchDelivery } from "../src/tenant/delivery.ts";
import { vectorNdjson } from "./vector_data.ts";

/** A writer that builds each request body as the client's protocol would and counts. */
export class SerializingWriter implements LogsWriter {
  calls = 0;
  requestBytes = 0;
  countedBytes = 0;
  events = 0;
  putLogEvents(_group: string, _stream: string, batch: LogBatch) {
    this.calls++;
    this.events += batch.count;
    this.requestBytes += batch.body.length;
    return Promise.resolve(undefined);
  }
  createLogGroup() {
    return Promise.resolve();
  }
  putRetentionPolicy() {
    return Promise.resolve();
  }
  createLogStream() {
    return Promise.resolve();
  }
}

export const delivery: CloudWatchDelivery = {
  type: "cloudwatch",
  tenantId: "acme",
  deliveryId: "cloudwatch",
  enabled: true,
  roleArn: "arn:aws:iam::111111111111:role/log-delivery",
  externalId: "bench-external-id",
  applications: [],
  logGroupName: "/acme/k8s",
};
export const path = {
  customerId: "acme",
  clusterId: "prod-1",
  application: "api",
  podName: "api-7f9",
  fileName: "x.json.gz",
};

async function* chunksOf(data: Uint8Array, size = 64 * 1024) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** Runs the pipeline over the object bytes in `chunks` and returns what it did. */
export async function runPipeline(chunks: AsyncIterable<Uint8Array>, now: number) {
  const writer = new SerializingWriter();
  const sink = new CloudWatchSink(delivery, {
    path,
    writer,
    maxBatchSize: 10_000,
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    logger: silentLogger,
    now: () => now,
  });
  const stats = emptyReadStats();
  for await (const chunk of readRecords(chunks, { fallbackMs: now, stats })) await sink.write(chunk);
  const report = await sink.finish();
  return { stats, report, writer };
}

/** Measures the pure pipeline over `megabytes` of generated NDJSON. */
export async function pipelineBench(megabytes = 256) {
  const now = Date.now();
  const text = [...vectorNdjson(megabytes * 1024 * 1024, { now })].join("");
  const raw = new TextEncoder().encode(text);
  const gz = new Uint8Array(gzipSync(raw));
  await runPipeline(chunksOf(gz.subarray(0, Math.min(gz.length, 2 << 20))), now).catch(() => {}); // warm up the JIT
  const started = performance.now();
  const { stats, report, writer } = await runPipeline(chunksOf(gz), now);
  const seconds = (performance.now() - started) / 1000;
  const countedBytes = report.bytes_delivered + 26 * report.events_delivered;
  const optimum = Math.ceil(countedBytes / MAX_BATCH_BYTES);
  return {
    uncompressed_mb: raw.length / 1e6,
    compressed_mb: gz.length / 1e6,
    events: stats.events,
    seconds,
    mb_per_s: raw.length / 1e6 / seconds,
    events_per_s: stats.events / seconds,
    put_calls: writer.calls,
    optimum_calls: optimum,
    calls_vs_optimum: writer.calls / optimum,
    calls_per_mb: writer.calls / (report.bytes_delivered / 1e6),
    avg_event_bytes: report.bytes_delivered / report.events_delivered,
  };
}

if (import.meta.main) console.log(JSON.stringify(await pipelineBench(Number(Deno.args[0] ?? 128)), null, 2));
