import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { retryable } from "../errors.ts";
import { emptyReadStats, type RecordChunk } from "../ingest/read_records.ts";
import type { ObjectBody } from "../ingest/object_source.ts";
import { type DeliverySink, reportFailure } from "../delivery/sink.ts";
import { type DeliveryReport, emptyReport } from "../results.ts";
import { lane, streamObject } from "./stream_object.ts";

const encoder = new TextEncoder();

/** An object of `n` chunks of one record each, counting the chunks read and whether it was discarded. */
function body(n: number) {
  const seen = { chunks: 0, discarded: false };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < n; i++) {
      seen.chunks++;
      yield encoder.encode(`{"message":"line ${i}"}\n`);
    }
  }
  const object: ObjectBody = { chunks: chunks(), discard: () => void (seen.discarded = true) };
  return { object, seen };
}

/** A sink that fails for good at its `failAt`-th write (never when undefined), like CloudWatch after a refused batch. */
class FailingSink implements DeliverySink {
  writes = 0;
  #failure?: Error;
  readonly #report: DeliveryReport;
  constructor(readonly id: string, readonly failAt?: number) {
    this.#report = emptyReport({ delivery_id: id, type: "cloudwatch", destination: id });
  }
  write(_chunk: RecordChunk): Promise<void> {
    if (this.#failure) return Promise.resolve();
    this.writes++;
    if (this.writes === this.failAt) this.#failure = retryable("ThrottlingException", "throttled");
    return Promise.resolve();
  }
  failed(): boolean {
    return this.#failure !== undefined;
  }
  finish(): Promise<DeliveryReport> {
    return Promise.resolve(reportFailure(this.#report, this.#failure));
  }
  abort(reason: string): Promise<DeliveryReport> {
    return Promise.resolve(reportFailure(this.#report, new Error(reason)));
  }
}

const options = () => ({ read: { fallbackMs: 0, stats: emptyReadStats() } });

Deno.test("once every sink has failed for good, reading stops and the object's stream is released", async () => {
  const { object, seen } = body(50);
  const sinks = [new FailingSink("a", 2), new FailingSink("b", 3)];
  const streamed = await streamObject(object, sinks.map((s) => lane(s.id, s, 0)), options());
  deepStrictEqual(streamed.reports.map((r) => [r.delivery_id, r.outcome, r.code]), [
    ["a", "retryable", "ThrottlingException"],
    ["b", "retryable", "ThrottlingException"],
  ]);
  strictEqual(streamed.failure, undefined, "not a read failure");
  strictEqual(seen.discarded, true);
  strictEqual(seen.chunks < 50, true, `read ${seen.chunks} of 50 chunks`);
});

Deno.test("while one sink still takes events the whole object is read", async () => {
  const { object, seen } = body(50);
  const sinks = [new FailingSink("a", 1), new FailingSink("b")];
  const streamed = await streamObject(object, sinks.map((s) => lane(s.id, s, 0)), options());
  deepStrictEqual(streamed.reports.map((r) => r.outcome), ["retryable", "delivered"]);
  strictEqual(seen.chunks, 50);
  strictEqual(seen.discarded, false);
  strictEqual(sinks[1]!.writes > 0, true);
});
