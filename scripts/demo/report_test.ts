import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import type { DemoTenant } from "./demo_plan.ts";
import type { ReadBack } from "./read_back.ts";
import { clip, landingSection, metricsSection, refusedSection, samplesSection, tenantSection } from "./report.ts";
import type { TenantTotals } from "./tenant_totals.ts";

const TENANTS: DemoTenant[] = [
  {
    id: "acme",
    account: "111111111111",
    story: "",
    deliveries: [
      { type: "cloudwatch", deliveryId: "cloudwatch", logGroup: "/c/acme" },
      { type: "s3", deliveryId: "archive", bucket: "b", bucketPrefix: "k8s/" },
    ],
  },
  {
    id: "off",
    account: "333333333333",
    story: "",
    deliveries: [{ type: "cloudwatch", deliveryId: "cloudwatch", logGroup: "/c/off", disabled: true }],
  },
];

const TOTALS = new Map<string, TenantTotals>([
  ["acme", {
    objects: 3,
    delivered: 3,
    skipped: 0,
    failed: 0,
    eventsRead: 30,
    skipReasons: {},
    deliveries: {
      cloudwatch: { type: "cloudwatch", destination: "", eventsDelivered: 25, rejected: { too_old: 5 }, objects: 3 },
      archive: { type: "s3", destination: "", eventsDelivered: 30, rejected: {}, objects: 3 },
    },
  }],
  ["off", {
    objects: 2,
    delivered: 0,
    skipped: 2,
    failed: 0,
    eventsRead: 0,
    skipReasons: { 'tenant "off" has no enabled delivery': 2 },
    deliveries: {},
  }],
]);

const READ_BACKS = new Map<string, ReadBack[]>([
  ["acme", [
    {
      kind: "cloudwatch",
      deliveryId: "cloudwatch",
      group: "/c/acme",
      exists: true,
      streams: 2,
      events: 25,
      samples: [{ where: "prod-1/api/p", text: "hello" }],
    },
    { kind: "s3", deliveryId: "archive", bucket: "b", prefix: "k8s/", objects: 3, lines: 30, samples: [] },
  ]],
  ["off", [{
    kind: "cloudwatch",
    deliveryId: "cloudwatch",
    group: "/c/off",
    exists: false,
    streams: 0,
    events: 0,
    samples: [],
  }]],
]);

Deno.test("tenantSection: one row per tenant with its counts, then the skip reasons", () => {
  const lines = tenantSection(TENANTS, TOTALS);
  match(lines[0]!, /^TENANT\s+ACCOUNT\s+DELIVERIES\s+OBJECTS\s+DELIVERED\s+SKIPPED\s+FAILED\s+EVENTS\s+REJECTED$/);
  match(lines[1]!, /^acme\s+111111111111\s+cloudwatch \+ archive \(s3\)\s+3\s+3\s+0\s+0\s+55\s+5 too_old$/);
  match(lines[2]!, /^off\s+333333333333\s+cloudwatch, disabled\s+2\s+0\s+2\s+0\s+0\s+0$/);
  strictEqual(lines.at(-1), '  off: 2 skipped: tenant "off" has no enabled delivery');
});

Deno.test("landingSection: delivered vs found per delivery, and where, in which account", () => {
  const lines = landingSection(TENANTS, TOTALS, READ_BACKS);
  match(lines[1]!, /^acme\s+cloudwatch\s+25\s+25\s+CloudWatch Logs \/c\/acme in 111111111111: 2 streams$/);
  match(lines[2]!, /^acme\s+archive\s+30\s+30\s+s3:\/\/b\/k8s\/ in 111111111111: 3 objects$/);
  match(lines[3]!, /^off\s+cloudwatch\s+0\s+0\s+nothing: log group \/c\/off does not exist in 333333333333$/);
});

Deno.test("samplesSection shows where each sample comes from and skips empty destinations", () => {
  deepStrictEqual(samplesSection(TENANTS, READ_BACKS), [
    "acme: CloudWatch Logs /c/acme, stream prod-1/api/p (GetLogEvents)",
    "    hello",
  ]);
});

Deno.test("clip cuts long lines with an ellipsis, by characters", () => {
  strictEqual(clip("short"), "short");
  strictEqual(clip("é".repeat(20), 10), "é".repeat(9) + "…");
});

Deno.test("metricsSection keeps the non-zero outcome, event and call counters", () => {
  const text = [
    "# HELP log_processor_objects_total Objects processed.",
    'log_processor_objects_total{outcome="delivered"} 3',
    'log_processor_objects_total{outcome="retryable"} 0',
    'log_processor_api_calls_total{operation="PutLogEvents"} 10',
    'log_processor_refused_writes_total{reason="tenant_not_on_cluster"} 4',
    "log_processor_in_flight_messages 0",
    "log_processor_read_bytes_total 100",
  ].join("\n");
  deepStrictEqual(metricsSection(text), [
    '  log_processor_objects_total{outcome="delivered"} 3',
    '  log_processor_api_calls_total{operation="PutLogEvents"} 10',
    '  log_processor_refused_writes_total{reason="tenant_not_on_cluster"} 4',
  ]);
});

Deno.test("metricsSection ends with the delivery age's p50 and p99 from the histogram, when anything was delivered", () => {
  const histogram = (b1: number, b2: number, inf: number) =>
    [
      `log_processor_delivery_age_seconds_bucket{le="1"} ${b1}`,
      `log_processor_delivery_age_seconds_bucket{le="5"} ${b2}`,
      `log_processor_delivery_age_seconds_bucket{le="+Inf"} ${inf}`,
      `log_processor_delivery_age_seconds_count ${inf}`,
    ].join("\n");
  // 10 objects: 4 within 1 s, 10 within 5 s. p50 lies 1/6 into (1, 5]; p99 near its top.
  deepStrictEqual(metricsSection(histogram(4, 10, 10)), [
    "  delivery age (S3 event to delivered, log_processor_delivery_age_seconds): p50 1.7 s, p99 4.9 s over 10 objects",
  ]);
  deepStrictEqual(metricsSection(histogram(0, 0, 0)), []);
});

Deno.test("refusedSection: one row per cluster, tenant and reason, counting objects once however often received", () => {
  const refusal = (key: string) => ({
    msg: "write refused: the object's writer may not write it (nothing is delivered)",
    key,
    cluster: "edge-1",
    tenant: "globex",
    refused: "tenant_not_on_cluster",
    reason: 'cluster "edge-1" is not registered for tenant "globex" (it serves acme)',
  });
  deepStrictEqual(refusedSection([refusal("k1"), { msg: "other" }, refusal("k2"), refusal("k1")]), [
    "CLUSTER  TENANT  REFUSED                OBJECTS",
    "edge-1   globex  tenant_not_on_cluster        2",
    '  cluster "edge-1" is not registered for tenant "globex" (it serves acme)',
  ]);
  deepStrictEqual(refusedSection([]), ["  none"]);
});
