import { deepStrictEqual, ok } from "node:assert/strict";
import { messageResult, objectResult } from "../../tests/support/results.ts";
import { EMF_NAMESPACE } from "./emf.ts";
import { type Every, startPeriodicEmf } from "./emf_flusher.ts";
import { HISTOGRAMS } from "./histogram.ts";
import { createLogger } from "./logger.ts";
import { METRICS, Metrics } from "./metrics.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** A clock the test moves, and an interval timer the test fires. */
function fakeTime(start = 1_800_000_000_000) {
  let now = start;
  const timers: { ms: number; fn: () => void; cancelled: boolean }[] = [];
  const every: Every = (ms, fn) => {
    const t = { ms, fn, cancelled: false };
    timers.push(t);
    return () => void (t.cancelled = true);
  };
  return {
    now: () => now,
    every,
    timers,
    /** Moves the clock by `ms` and fires every live timer whose period elapsed. */
    advance(ms: number) {
      now += ms;
      for (const t of timers) if (!t.cancelled && ms >= t.ms) t.fn();
    },
  };
}

function setup() {
  const metrics = new Metrics().seed(METRICS.messages, [{ outcome: "delivered" }, { outcome: "retryable" }]);
  const time = fakeTime();
  const flushes: Json[][] = [];
  const logs: Json[] = [];
  const options = {
    metrics,
    namespace: EMF_NAMESPACE,
    dimensions: { service: "mtl-prod-log-processor" },
    emit: (lines: readonly string[]) => void flushes.push(lines.map((l) => JSON.parse(l))),
    logger: createLogger("debug", (l) => logs.push(JSON.parse(l))),
    now: time.now,
  };
  return { metrics, time, flushes, logs, options };
}

/** Sum of `name` (a number) over the documents of `docs` whose dimension values match `dims`. */
const total = (docs: Json[], name: string, dims: Record<string, string> = {}) =>
  docs.filter((d) => typeof d[name] === "number" && Object.entries(dims).every(([k, v]) => d[k] === v))
    .reduce((a, d) => a + d[name], 0);

Deno.test("periodic EMF: each tick writes the counters' increments since the last one, stamped with the clock", () => {
  const { metrics, time, flushes, options } = setup();
  const emf = startPeriodicEmf({ ...options, intervalMs: 60_000, every: time.every });
  deepStrictEqual(time.timers.map((t) => t.ms), [60_000]);

  metrics.recordMessage(messageResult("delivered"));
  metrics.recordMessage(messageResult("delivered"));
  time.advance(60_000);
  deepStrictEqual(flushes.length, 1);
  deepStrictEqual(total(flushes[0]!, "Messages", { Outcome: "delivered" }), 2);
  deepStrictEqual(total(flushes[0]!, "EventsDelivered", { Type: "cloudwatch" }), 10);
  ok(flushes[0]!.every((d) => d._aws.Timestamp === 1_800_000_060_000 && d.service === "mtl-prod-log-processor"));
  // Seeded zeros are not written.
  deepStrictEqual(flushes[0]!.some((d) => d.Outcome === "retryable"), false);

  metrics.recordMessage(messageResult("retryable"));
  time.advance(60_000);
  deepStrictEqual(total(flushes[1]!, "Messages", { Outcome: "delivered" }), 0, "only what happened since");
  deepStrictEqual(total(flushes[1]!, "Messages", { Outcome: "retryable" }), 1);
  deepStrictEqual(flushes[1]![0]._aws.Timestamp, 1_800_000_120_000);

  // An idle interval writes nothing.
  time.advance(60_000);
  deepStrictEqual(flushes.length, 2);
  emf.stop();
});

Deno.test("periodic EMF: histograms go out as the interval's distribution", () => {
  const { metrics, time, flushes, options } = setup();
  const emf = startPeriodicEmf({ ...options, intervalMs: 10_000, every: time.every });
  metrics.recordObject(objectResult("delivered", { duration_ms: 200, age_ms: 12_000 }));
  time.advance(10_000);
  metrics.recordObject(objectResult("delivered", { duration_ms: 200, age_ms: 45_000 }));
  metrics.recordObject(objectResult("delivered", { duration_ms: 200, age_ms: 45_000 }));
  time.advance(10_000);
  const age = (docs: Json[]) => docs.find((d) => d.DeliveryAge)?.DeliveryAge;
  deepStrictEqual([age(flushes[0]!).Count, age(flushes[0]!).Sum, age(flushes[0]!).Min], [1, 12, 12]);
  const second = age(flushes[1]!);
  deepStrictEqual([second.Count, second.Sum, second.Counts, second.Max], [2, 90, [2], 45]);
  ok(Math.abs(second.Values[0] - 45) / 45 < 0.05, `${second.Values}`);
  deepStrictEqual(
    flushes[1]!.find((d) => d.ObjectDuration)._aws.CloudWatchMetrics[0].Dimensions,
    [["service", "Outcome"]],
  );
  emf.stop();
});

Deno.test("periodic EMF: stop writes what is left once and cancels the timer", () => {
  const { metrics, time, flushes, options } = setup();
  const emf = startPeriodicEmf({ ...options, intervalMs: 60_000, every: time.every });
  metrics.inc(METRICS.apiCalls, { operation: "DeleteMessageBatch" }, 3);
  metrics.observe(HISTOGRAMS.eventLoopLag, {}, 0.002);
  time.advance(30_000); // not due yet
  deepStrictEqual(flushes.length, 0);
  emf.stop();
  emf.stop();
  deepStrictEqual(flushes.length, 1);
  deepStrictEqual(total(flushes[0]!, "ApiCalls", { Operation: "DeleteMessageBatch" }), 3);
  deepStrictEqual(flushes[0]!.find((d) => d.EventLoopLag).EventLoopLag.Count, 1);
  ok(time.timers[0]!.cancelled);
});

Deno.test("EMF flusher: a failed write is logged and its interval goes out with the next flush", () => {
  const { metrics, time, logs, options } = setup();
  let broken = true;
  const written: Json[] = [];
  startPeriodicEmf({
    ...options,
    intervalMs: 60_000,
    every: time.every,
    emit: (lines) => {
      if (broken) throw new Error("EPIPE");
      written.push(...lines.map((l) => JSON.parse(l)));
    },
  });
  metrics.inc(METRICS.objects, { outcome: "delivered" }, 4);
  time.advance(60_000);
  deepStrictEqual(written, []);
  ok(logs.some((l) => l.level === "warn" && /EMF/.test(l.msg) && l.error.message === "EPIPE"));
  broken = false;
  metrics.inc(METRICS.objects, { outcome: "delivered" }, 1);
  time.advance(60_000);
  deepStrictEqual(total(written, "Objects", { Outcome: "delivered" }), 5);
  const before = written.length;
  time.advance(60_000);
  deepStrictEqual(written.length, before, "nothing new");
});
