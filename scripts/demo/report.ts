/**
 * The demo's report: per-tenant outcomes, where the events landed (read back
 * from each customer's account), a few delivered lines, and the worker's
 * metrics. Pure: returns lines of text.
 *
 * @module
 */
import { bucketQuantile } from "../dashboards/promql_eval.ts";
import { parsePrometheusText } from "../dashboards/prometheus_text.ts";
import { textTable } from "../../src/cli/text_table.ts";
import type { DemoDelivery, DemoTenant } from "./demo_plan.ts";
import type { ReadBack } from "./read_back.ts";
import { rejectedByReason, type TenantTotals } from "./tenant_totals.ts";

/** Width the sample lines are cut to. */
export const SAMPLE_WIDTH = 110;

/** `text` cut to `width` characters, with `…` when cut. */
export function clip(text: string, width = SAMPLE_WIDTH): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, width - 1).join("") + "…";
}

const counts = (record: Record<string, number>) =>
  Object.entries(record).map(([reason, n]) => `${n} ${reason}`).join(", ") || "0";

function deliveryLabel(d: DemoDelivery): string {
  const name = d.type === "s3" ? `${d.deliveryId} (s3)` : d.deliveryId;
  return d.type === "cloudwatch" && d.disabled ? `${name}, disabled` : name;
}

/** The per-tenant table, then each skip reason. */
export function tenantSection(tenants: readonly DemoTenant[], totals: ReadonlyMap<string, TenantTotals>): string[] {
  const rows = [["TENANT", "ACCOUNT", "DELIVERIES", "OBJECTS", "DELIVERED", "SKIPPED", "FAILED", "EVENTS", "REJECTED"]];
  const reasons: string[] = [];
  for (const tenant of tenants) {
    const t = totals.get(tenant.id);
    if (!t) continue;
    const events = Object.values(t.deliveries).reduce((n, d) => n + d.eventsDelivered, 0);
    rows.push([
      tenant.id,
      tenant.account,
      tenant.deliveries.map(deliveryLabel).join(" + "),
      String(t.objects),
      String(t.delivered),
      String(t.skipped),
      String(t.failed),
      String(events),
      counts(rejectedByReason(t)),
    ]);
    for (const [reason, n] of Object.entries(t.skipReasons)) reasons.push(`  ${tenant.id}: ${n} skipped: ${reason}`);
  }
  return [
    ...textTable(rows, [3, 4, 5, 6, 7]),
    "(EVENTS: accepted by the tenant's destinations, summed over its deliveries; REJECTED: refused, never retried)",
    ...reasons,
  ];
}

function whereText(tenant: DemoTenant, r: ReadBack): string {
  if (r.kind === "cloudwatch") {
    return r.exists
      ? `CloudWatch Logs ${r.group} in ${tenant.account}: ${r.streams} streams`
      : `nothing: log group ${r.group} does not exist in ${tenant.account}`;
  }
  return `s3://${r.bucket}/${r.prefix} in ${tenant.account}: ${r.objects} objects`;
}

/** Per delivery: events the worker reported delivered, what the customer's account holds, and where. */
export function landingSection(
  tenants: readonly DemoTenant[],
  totals: ReadonlyMap<string, TenantTotals>,
  readBacks: ReadonlyMap<string, readonly ReadBack[]>,
): string[] {
  const rows = [[
    "TENANT",
    "DELIVERY",
    "DELIVERED",
    "FOUND",
    "WHERE (read back with the customer account's credentials)",
  ]];
  for (const tenant of tenants) {
    for (const r of readBacks.get(tenant.id) ?? []) {
      const delivered = totals.get(tenant.id)?.deliveries[r.deliveryId]?.eventsDelivered ?? 0;
      const found = r.kind === "cloudwatch" ? r.events : r.lines;
      rows.push([tenant.id, r.deliveryId, String(delivered), String(found), whereText(tenant, r)]);
    }
  }
  return textTable(rows, [2, 3]);
}

/** A few delivered lines per destination, as read back. */
export function samplesSection(
  tenants: readonly DemoTenant[],
  readBacks: ReadonlyMap<string, readonly ReadBack[]>,
): string[] {
  const lines: string[] = [];
  for (const tenant of tenants) {
    for (const r of readBacks.get(tenant.id) ?? []) {
      const [first] = r.samples;
      if (!first) continue;
      const where = r.kind === "cloudwatch"
        ? `${tenant.id}: CloudWatch Logs ${r.group}, stream ${first.where} (GetLogEvents)`
        : `${tenant.id}: s3://${r.bucket}/${first.where} (GetObject, gunzipped)`;
      lines.push(where, ...r.samples.map((s) => `    ${clip(s.text)}`));
    }
  }
  return lines;
}

/**
 * The worker's refused writes (its `write refused` log lines), once per
 * object: cluster, tenant, why, and the reason text of the first.
 */
export function refusedSection(logs: readonly Record<string, unknown>[]): string[] {
  const byObject = new Map<string, Record<string, unknown>>();
  for (const l of logs) if (String(l.msg).startsWith("write refused")) byObject.set(String(l.key), l);
  const groups = new Map<string, { count: number; reason: string }>();
  for (const l of byObject.values()) {
    const id = `${l.cluster}\u0000${l.tenant}\u0000${l.refused}`;
    const g = groups.get(id) ?? { count: 0, reason: String(l.reason) };
    g.count++;
    groups.set(id, g);
  }
  const rows = [["CLUSTER", "TENANT", "REFUSED", "OBJECTS"]];
  const reasons: string[] = [];
  for (const [id, g] of groups) {
    rows.push([...id.split("\u0000"), String(g.count)]);
    reasons.push(`  ${g.reason}`);
  }
  return groups.size ? [...textTable(rows, [3]), ...reasons] : ["  none"];
}

/**
 * The Prometheus samples worth showing: the worker's counters that are not
 * zero, then the delivery age's p50 and p99 estimated from its histogram (as
 * `histogram_quantile` interpolates within buckets).
 */
export function metricsSection(prometheusText: string): string[] {
  const counters = prometheusText.split("\n")
    .filter((l) =>
      /^log_processor_(objects|events_delivered|events_rejected|messages|api_calls|refused_writes)_total\b/.test(l)
    )
    .filter((l) => !/ 0$/.test(l))
    .map((l) => `  ${l}`);
  const buckets = parsePrometheusText(prometheusText)
    .filter((s) => s.name === "log_processor_delivery_age_seconds_bucket")
    .map((s) => [s.labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(s.labels.le), s.value] as const);
  const count = buckets.find(([le]) => le === Number.POSITIVE_INFINITY)?.[1] ?? 0;
  if (count === 0) return counters;
  const q = (p: number) => bucketQuantile(p, buckets).toFixed(1);
  return [
    ...counters,
    `  delivery age (S3 event to delivered, log_processor_delivery_age_seconds): p50 ${q(0.5)} s, p99 ${q(0.99)} s ` +
    `over ${count} objects`,
  ];
}
