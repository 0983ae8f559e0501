import { deepStrictEqual, ok } from "node:assert/strict";
import { HISTOGRAMS } from "./histogram.ts";
import { Metrics } from "./metrics.ts";
import { monitorEventLoopLag, processMetrics, readProcessStats } from "./process_metrics.ts";

Deno.test("process metrics use Prometheus' standard names, units and types", () => {
  const families = processMetrics({ residentBytes: 10, heapUsedBytes: 5, cpuSeconds: 2.5, startTimeSeconds: 100 });
  deepStrictEqual(families.map((f) => [f.name, f.type ?? "gauge", f.value]), [
    ["process_resident_memory_bytes", "gauge", 10],
    ["process_cpu_seconds_total", "counter", 2.5],
    ["process_start_time_seconds", "gauge", 100],
    ["log_processor_heap_used_bytes", "gauge", 5],
  ]);
});

Deno.test("readProcessStats reads this process: memory in use, CPU that grows with work, a start time in the past", () => {
  const before = readProcessStats();
  let x = 0;
  for (let i = 0; i < 5e6; i++) x += i;
  const after = readProcessStats();
  ok(x > 0 && after.cpuSeconds > before.cpuSeconds, `${before.cpuSeconds} → ${after.cpuSeconds}`);
  ok(after.residentBytes > 1_000_000 && after.heapUsedBytes > 0);
  ok(after.startTimeSeconds > 1.6e9 && after.startTimeSeconds <= Date.now() / 1000);
});

Deno.test("event-loop lag: each timer tick records how late it fired", async () => {
  const metrics = new Metrics();
  let clock = 0;
  const stop = monitorEventLoopLag(metrics, { intervalMs: 5, now: () => clock });
  // The fake clock says the first tick came 30 ms late, the second on time.
  clock = 35;
  await new Promise((r) => setTimeout(r, 12));
  clock = 40;
  await new Promise((r) => setTimeout(r, 12));
  stop();
  const [lag] = metrics.histograms().filter((h) => h.family === HISTOGRAMS.eventLoopLag);
  ok((lag?.count ?? 0) >= 2);
  deepStrictEqual(lag?.max, 0.03);
});
