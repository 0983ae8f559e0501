import { deepStrictEqual, ok } from "node:assert/strict";
import { createLogger } from "../telemetry/logger.ts";
import { METRICS, Metrics } from "../telemetry/metrics.ts";
import { startWorkerEmf } from "./worker_emf.ts";

Deno.test("worker EMF: off at 0; on, it says so and writes under the configured namespace and service", () => {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger("info", (l) => logs.push(JSON.parse(l)));
  const metrics = new Metrics();
  const lines: string[] = [];
  const emit = (l: readonly string[]) => void lines.push(...l);
  const settings = { metricsNamespace: "Mtl/LogProcessor", serviceName: "mtl-prod-log-processor" };
  deepStrictEqual(startWorkerEmf({ ...settings, emfIntervalMs: 0 }, { metrics, logger, emit }), undefined);
  deepStrictEqual(logs.length, 0);

  const emf = startWorkerEmf({ ...settings, emfIntervalMs: 3_600_000 }, { metrics, logger, emit });
  ok(emf);
  deepStrictEqual(
    logs.map((l) => [l.msg, l.intervalSeconds, l.namespace]),
    [["EMF metrics on stdout", 3600, "Mtl/LogProcessor"]],
  );
  metrics.inc(METRICS.objects, { outcome: "delivered" }, 2);
  emf.stop();
  const [doc] = lines.map((l) => JSON.parse(l));
  deepStrictEqual(
    [doc._aws.CloudWatchMetrics[0].Namespace, doc.service, doc.Objects, lines.length],
    ["Mtl/LogProcessor", "mtl-prod-log-processor", 2, 1],
  );
});
