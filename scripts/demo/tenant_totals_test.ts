import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { lastResultPerObject, objectResultLines, rejectedByReason, tenantTotals } from "./tenant_totals.ts";

const delivery = (id: string, type: string, events: number, rejected: Record<string, number> = {}) => ({
  delivery_id: id,
  type,
  destination: `${type}:${id}`,
  outcome: "delivered",
  events_delivered: events,
  rejected,
});

const LOGS: Record<string, unknown>[] = [
  { msg: "listening", port: 1 },
  {
    msg: "object delivered",
    tenant: "a",
    outcome: "delivered",
    events_read: 10,
    deliveries: [delivery("cw", "cloudwatch", 8, { too_old: 2 })],
  },
  {
    msg: "object delivered",
    tenant: "a",
    outcome: "delivered",
    events_read: 5,
    deliveries: [delivery("cw", "cloudwatch", 5), delivery("archive", "s3", 5)],
  },
  { msg: "object skipped", tenant: "a", outcome: "skipped", reason: 'application "x" is not allowed', events_read: 0 },
  { msg: "object skipped", tenant: "b", outcome: "skipped", reason: "no enabled delivery" },
  { msg: "object skipped", tenant: "b", outcome: "skipped", reason: "no enabled delivery" },
  { msg: "object not delivered (permanent)", tenant: "b", outcome: "permanent", reason: "AccessDenied" },
  { msg: "object skipped", outcome: "skipped", reason: "s3:TestEvent" },
  { msg: "object delivered", tenant: "stranger", outcome: "delivered", deliveries: [] },
];

Deno.test("objectResultLines keeps the worker's per-object lines that name a tenant", () => {
  strictEqual(objectResultLines(LOGS).length, 7);
});

Deno.test("tenantTotals counts objects by outcome, skip reasons, and events per delivery", () => {
  const totals = tenantTotals(LOGS, ["a", "b", "c"]);
  deepStrictEqual([...totals.keys()], ["a", "b", "c"]);
  const a = totals.get("a")!;
  deepStrictEqual(
    [a.objects, a.delivered, a.skipped, a.failed, a.eventsRead],
    [3, 2, 1, 0, 15],
  );
  deepStrictEqual(a.skipReasons, { 'application "x" is not allowed': 1 });
  deepStrictEqual(a.deliveries, {
    cw: { type: "cloudwatch", destination: "cloudwatch:cw", eventsDelivered: 13, rejected: { too_old: 2 }, objects: 2 },
    archive: { type: "s3", destination: "s3:archive", eventsDelivered: 5, rejected: {}, objects: 1 },
  });
  deepStrictEqual(rejectedByReason(a), { too_old: 2 });
  const b = totals.get("b")!;
  deepStrictEqual([b.objects, b.delivered, b.skipped, b.failed], [3, 0, 2, 1]);
  deepStrictEqual(b.skipReasons, { "no enabled delivery": 2 });
  deepStrictEqual(totals.get("c")!.objects, 0, "a tenant without objects is listed with zeros");
});

Deno.test("an object received several times counts once, with its last result", () => {
  const line = (outcome: string, key: string) => ({ msg: `object ${outcome}`, tenant: "a", outcome, bucket: "b", key });
  const lines = [
    line("not delivered (permanent)", "k1"),
    line("delivered", "k2"),
    line("not delivered (permanent)", "k1"),
  ];
  deepStrictEqual(lastResultPerObject(lines).map((l) => l.key), ["k1", "k2"]);
  const a = tenantTotals([...lines, { ...line("delivered", "k1"), outcome: "delivered" }], ["a"]).get("a")!;
  deepStrictEqual([a.objects, a.delivered, a.failed], [2, 2, 0]);
});
