/**
 * stdout mode: batches of records as Vector's `kubernetes_logs` source emits
 * them for one pod (annotations included), one JSON object per line, with a
 * random pause between batches — input for vector-local-test.yaml.
 *
 * @module
 */
import { logLine } from "./log_line.ts";
import type { StdoutOptions } from "./options.ts";
import { Random } from "./random.ts";
import { collectedRecord, makePod } from "./records.ts";

/** Running totals after a batch. */
export interface BatchStats {
  readonly batch: number;
  readonly batchSize: number;
  readonly records: number;
  readonly bytes: number;
}

/** Where the batches go and how time passes (injected, so tests run instantly). */
export interface BatchIo {
  write(chunk: Uint8Array): Promise<void>;
  sleep(ms: number): Promise<void>;
  now(): number;
  report(stats: BatchStats): void;
}

/** Writes the batches of `options`; resolves to the final totals. */
export async function writeBatches(options: StdoutOptions, io: BatchIo): Promise<BatchStats> {
  const random = new Random(options.seed);
  const pod = makePod(
    {
      customerId: options.customerId,
      clusterId: options.clusterId,
      application: options.application,
      podName: options.podName,
    },
    random,
  );
  const encoder = new TextEncoder();
  let stats: BatchStats = { batch: 0, batchSize: 0, records: 0, bytes: 0 };
  for (let batch = 1; options.totalBatches === 0 || batch <= options.totalBatches; batch++) {
    const size = random.int(options.minBatchSize, options.maxBatchSize);
    let text = "";
    for (let i = 0; i < size; i++) {
      const time = new Date(io.now());
      const { line, level } = logLine(options.format, {
        time,
        bytes: random.int(options.minMessageSize, options.maxMessageSize),
        random,
      });
      text += JSON.stringify(collectedRecord(pod, line, { time, stream: level === "error" ? "stderr" : "stdout" })) +
        "\n";
    }
    const chunk = encoder.encode(text);
    await io.write(chunk);
    stats = { batch, batchSize: size, records: stats.records + size, bytes: stats.bytes + chunk.length };
    io.report(stats);
    if (batch !== options.totalBatches) await io.sleep(random.between(options.minSleep, options.maxSleep) * 1000);
  }
  return stats;
}
