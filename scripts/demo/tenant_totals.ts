/**
 * Per-tenant totals of a worker run, from the one log line the worker writes
 * per object (`object delivered`, `object skipped`, `object not delivered …`,
 * carrying the same fields as manual mode's result line). Pure.
 *
 * @module
 */

/** What one delivery of a tenant did over the run. */
export interface DeliveryTotals {
  readonly type: string;
  readonly destination: string;
  eventsDelivered: number;
  /** Events refused and never retried, by reason (too_old, too_new, …). */
  readonly rejected: Record<string, number>;
  /** Objects this delivery was given. */
  objects: number;
}

/** What happened to one tenant's objects. */
export interface TenantTotals {
  objects: number;
  delivered: number;
  skipped: number;
  /** Retryable or permanent: left in the queue. */
  failed: number;
  eventsRead: number;
  /** Skip reasons with their object counts. */
  readonly skipReasons: Record<string, number>;
  /** By delivery id. */
  readonly deliveries: Record<string, DeliveryTotals>;
}

/** The per-object fields the totals use (a subset of the processor's result). */
interface ResultLine {
  readonly tenant: string;
  readonly outcome: string;
  readonly reason?: string;
  readonly events_read?: number;
  readonly deliveries?: readonly {
    readonly delivery_id: string;
    readonly type: string;
    readonly destination: string;
    readonly events_delivered?: number;
    readonly rejected?: Record<string, number>;
  }[];
}

const OBJECT_LINE = /^object (delivered|skipped|not delivered)/;

/** The worker's per-object result lines among its parsed log lines. */
export function objectResultLines(logs: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return logs.filter((l) => typeof l.msg === "string" && OBJECT_LINE.test(l.msg) && typeof l.tenant === "string");
}

/**
 * One line per object: an object received several times (a retry, or a
 * permanent failure on its way to the DLQ) counts once, with its last result.
 */
export function lastResultPerObject(lines: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  const unkeyed: Record<string, unknown>[] = [];
  for (const line of lines) {
    if (typeof line.key === "string") byKey.set(`${line.bucket}/${line.key}`, line);
    else unkeyed.push(line);
  }
  return [...byKey.values(), ...unkeyed];
}

function emptyTotals(): TenantTotals {
  return { objects: 0, delivered: 0, skipped: 0, failed: 0, eventsRead: 0, skipReasons: {}, deliveries: {} };
}

/** Totals per tenant of `tenantIds` (every one present, zero when it had no object). */
export function tenantTotals(
  lines: readonly Record<string, unknown>[],
  tenantIds: readonly string[],
): Map<string, TenantTotals> {
  const totals = new Map(tenantIds.map((id) => [id, emptyTotals()]));
  for (const raw of lastResultPerObject(objectResultLines(lines))) {
    const line = raw as unknown as ResultLine;
    const t = totals.get(line.tenant);
    if (!t) continue;
    t.objects++;
    t.eventsRead += line.events_read ?? 0;
    if (line.outcome === "delivered") t.delivered++;
    else if (line.outcome === "skipped") {
      t.skipped++;
      const reason = line.reason ?? "no reason given";
      t.skipReasons[reason] = (t.skipReasons[reason] ?? 0) + 1;
    } else t.failed++;
    for (const d of line.deliveries ?? []) {
      const sum = t.deliveries[d.delivery_id] ??= {
        type: d.type,
        destination: d.destination,
        eventsDelivered: 0,
        rejected: {},
        objects: 0,
      };
      sum.objects++;
      sum.eventsDelivered += d.events_delivered ?? 0;
      for (const [reason, n] of Object.entries(d.rejected ?? {})) {
        sum.rejected[reason] = (sum.rejected[reason] ?? 0) + n;
      }
    }
  }
  return totals;
}

/** Events rejected over all deliveries of `t`, by reason. */
export function rejectedByReason(t: TenantTotals): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of Object.values(t.deliveries)) {
    for (const [reason, n] of Object.entries(d.rejected)) out[reason] = (out[reason] ?? 0) + n;
  }
  return out;
}
