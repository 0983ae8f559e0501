import { deepStrictEqual, ok } from "node:assert/strict";
import { widgetMetrics } from "./cloudwatch_body.ts";
import { emfToMetricData } from "./emf_metric_data.ts";
import { formatValue, renderDashboard, ticks } from "./svg_panels.ts";

Deno.test("EMF documents become the data CloudWatch Logs would extract", () => {
  const doc = {
    _aws: {
      Timestamp: 1000,
      CloudWatchMetrics: [{
        Namespace: "LogProcessor",
        Dimensions: [["service", "Outcome"]],
        Metrics: [{ Name: "Objects", Unit: "Count" }, { Name: "ObjectDuration", Unit: "Seconds" }],
      }],
    },
    service: "svc",
    Outcome: "delivered",
    Objects: 3,
    ObjectDuration: { Values: [0.1, 0.2], Counts: [2, 1], Max: 0.2, Min: 0.1, Count: 3, Sum: 0.4 },
  };
  const dims = [{ Name: "service", Value: "svc" }, { Name: "Outcome", Value: "delivered" }];
  deepStrictEqual(emfToMetricData(doc), [
    { namespace: "LogProcessor", name: "Objects", dimensions: dims, timestampMs: 1000, unit: "Count", value: 3 },
    {
      namespace: "LogProcessor",
      name: "ObjectDuration",
      dimensions: dims,
      timestampMs: 1000,
      unit: "Seconds",
      values: [0.1, 0.2],
      counts: [2, 1],
    },
  ]);
  deepStrictEqual(emfToMetricData({ msg: "a log line" }), []);
});

Deno.test("widget metrics: plain rows with options, and SEARCH expressions", () => {
  const widget = {
    properties: {
      stat: "Sum",
      metrics: [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "q", { label: "visible", stat: "Maximum" }],
        ["LogProcessor", "Objects", "service", "s", "Outcome", "delivered"],
        [{ expression: `SEARCH('{LogProcessor,Class,Code,service} MetricName="Failures" service="s"', 'Sum', 60)` }],
      ],
    },
  };
  deepStrictEqual(widgetMetrics(widget), [
    {
      kind: "metric",
      namespace: "AWS/SQS",
      name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "q" },
      stat: "Maximum",
      label: "visible",
    },
    {
      kind: "metric",
      namespace: "LogProcessor",
      name: "Objects",
      dimensions: { service: "s", Outcome: "delivered" },
      stat: "Sum",
      label: "Objects",
    },
    {
      kind: "search",
      namespace: "LogProcessor",
      name: "Failures",
      dimensionNames: ["Class", "Code", "service"],
      filters: { service: "s" },
      stat: "Sum",
      periodSeconds: 60,
    },
  ]);
});

Deno.test("chart labels: values in their unit, round ticks", () => {
  deepStrictEqual(
    [formatValue(0.02, "s"), formatValue(90, "s"), formatValue(5400, "s"), formatValue(3 * 1024 * 1024, "bytes")],
    ["20 ms", "90 s", "90 min", "3 MiB"],
  );
  deepStrictEqual([formatValue(12.5, "ops"), formatValue(2048, "Bps"), formatValue(1500, "short")], [
    "13 /s",
    "2 KiB/s",
    "1.5k",
  ]);
  deepStrictEqual(ticks(7), [0, 2, 4, 6, 8]);
  deepStrictEqual(ticks(0), [0, 1]);
});

Deno.test("renderDashboard draws every panel's title, its lines and 'No data' where there is none", () => {
  const svg = renderDashboard({ title: "T", subtitle: "S", fromMs: 0, toMs: 10_000 }, [
    { title: "Row", x: 0, y: 0, w: 24, h: 1, content: { kind: "row" } },
    {
      title: "Objects & more",
      x: 0,
      y: 1,
      w: 12,
      h: 8,
      content: { kind: "chart", unit: "ops", series: [{ label: "delivered", points: [[0, 1], [10_000, 3]] }] },
    },
    { title: "Empty", x: 12, y: 1, w: 12, h: 8, content: { kind: "chart", unit: "s", series: [] } },
    { title: "Notes", x: 0, y: 9, w: 24, h: 3, content: { kind: "text", lines: ["a <b>"] } },
  ]);
  ok(svg.startsWith("<svg") && svg.trimEnd().endsWith("</svg>"));
  for (const s of ["Objects &amp; more", "delivered", "No data", "a &lt;b&gt;", ">Row<"]) ok(svg.includes(s), s);
  deepStrictEqual((svg.match(/<path /g) ?? []).length, 1);
});
