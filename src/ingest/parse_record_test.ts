import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { parseRecord } from "./parse_record.ts";

const FALLBACK = Date.UTC(2026, 0, 1, 12, 0, 0);
const T = Date.UTC(2026, 0, 2, 3, 4, 5, 123); // 2026-01-02T03:04:05.123Z

/** The timestamp parseRecord reads from `value` as the record's `timestamp`; undefined when it falls back. */
function parseTimestamp(value: unknown): number | undefined {
  const timestamp = parseRecord(JSON.stringify({ message: "m", timestamp: value }), FALLBACK)?.timestamp;
  return timestamp === FALLBACK ? undefined : timestamp;
}

function vector(fields: Record<string, unknown>): string {
  return JSON.stringify({
    timestamp: "2026-01-02T03:04:05.123Z",
    source_type: "kubernetes_logs",
    stream: "stdout",
    file: "/var/log/pods/shop_api-7f9/api/0.log",
    host: "node-1",
    customer_id: "acme",
    cluster_id: "prod-1",
    application: "api",
    pod_name: "api-7f9",
    environment: "prod",
    kubernetes: { pod_name: "api-7f9", pod_namespace: "shop", container_name: "api" },
    ...fields,
  });
}

Deno.test("a string message is delivered as it is, with the record's timestamp", () => {
  deepEqual(parseRecord(vector({ message: "GET /health 200" }), FALLBACK), {
    timestamp: T,
    message: "GET /health 200",
  });
});

Deno.test("a string message that itself looks like JSON is kept verbatim", () => {
  const message = '{"level":"info","msg":"ok"}';
  equal(parseRecord(vector({ message }), FALLBACK)?.message, message);
});

Deno.test("an empty string message stays empty (the sink decides about it)", () => {
  equal(parseRecord(vector({ message: "" }), FALLBACK)?.message, "");
});

Deno.test("a non-string message yields compact JSON of the record without routing or Vector metadata", () => {
  const event = parseRecord(vector({ message: { level: "warn", n: 3 }, level: "warn", trace_id: "t1" }), FALLBACK);
  deepEqual(event, {
    timestamp: T,
    message: '{"message":{"level":"warn","n":3},"level":"warn","trace_id":"t1"}',
  });
  for (const m of [42, true, null, ["a", 1]]) {
    equal(parseRecord(vector({ message: m }), FALLBACK)?.message, JSON.stringify({ message: m }));
  }
});

Deno.test("a record without message yields compact JSON of its other fields", () => {
  equal(
    parseRecord(vector({ level: "info", "http.status": 200 }), FALLBACK)?.message,
    '{"level":"info","http.status":200}',
  );
  equal(parseRecord(vector({}), FALLBACK)?.message, "{}");
});

Deno.test("a body without a message string drops exactly the routing and Vector metadata fields", () => {
  const record = vector({ message: 1, keep: "yes", kubernetes_extra: 1, Customer_Id: "kept" });
  deepEqual(JSON.parse(parseRecord(record, FALLBACK)!.message), {
    message: 1,
    keep: "yes",
    kubernetes_extra: 1,
    Customer_Id: "kept",
  });
});

Deno.test("RFC 3339 timestamps with nanoseconds and offsets are read to the millisecond", () => {
  const cases: [string, number][] = [
    ["2026-01-02T03:04:05.123Z", T],
    ["2026-01-02T03:04:05.123456789Z", T],
    ["2026-01-02T03:04:05.1239Z", T],
    ["2026-01-02T05:04:05.123+02:00", T],
    ["2026-01-01T22:34:05.123-04:30", T],
    ["2026-01-02T03:04:05Z", T - 123],
    ["2026-01-02t03:04:05.123z", T],
  ];
  for (const [text, expected] of cases) equal(parseTimestamp(text), expected, text);
});

Deno.test("epoch numbers are told apart by magnitude: seconds, ms, µs, ns", () => {
  const s = T / 1000;
  const cases: [number, number][] = [
    [s, T],
    [Math.floor(s), T - 123],
    [T, T],
    [T * 1000 + 456, T],
    [T * 1_000_000 + 456_789, T],
    [1, 1000],
  ];
  for (const [value, expected] of cases) equal(parseTimestamp(value), expected, String(value));
});

Deno.test("numeric strings are read like numbers", () => {
  equal(parseTimestamp(String(T / 1000)), T);
  equal(parseTimestamp(String(Math.floor(T / 1000))), T - 123);
  equal(parseTimestamp(String(T)), T);
  equal(parseTimestamp(`${T}000`), T);
  equal(parseTimestamp(`${T}000000`), T);
});

Deno.test("missing or unusable timestamps give undefined, so the caller falls back", () => {
  for (const v of [undefined, null, "", "yesterday", "2026-13-45T99:00:00Z", 0, -5, NaN, Infinity, {}, [], true]) {
    equal(parseTimestamp(v), undefined, JSON.stringify(v) ?? String(v));
  }
});

Deno.test("a record without a usable timestamp gets the fallback (the object's LastModified)", () => {
  equal(parseRecord('{"message":"m"}', FALLBACK)?.timestamp, FALLBACK);
  equal(parseRecord('{"message":"m","timestamp":"not a time"}', FALLBACK)?.timestamp, FALLBACK);
  equal(parseRecord('{"message":"m","timestamp":null}', FALLBACK)?.timestamp, FALLBACK);
  equal(parseRecord(`{"message":"m","timestamp":${T}}`, FALLBACK)?.timestamp, T);
});

Deno.test("a line that is not a JSON object is unparsable (undefined)", () => {
  for (const line of ["not json", "{", '{"message":"a"} trailing', "[1,2]", "42", '"text"', "null", "true"]) {
    equal(parseRecord(line, FALLBACK), undefined, line);
  }
});

Deno.test("leading/trailing whitespace around the object is fine", () => {
  equal(parseRecord('  {"message":"a"}\t', FALLBACK)?.message, "a");
});

Deno.test("a field named __proto__ is delivered like any other field", () => {
  const line = '{"__proto__":{"admin":true},"level":"info","message":{"k":1}}';
  deepEqual(JSON.parse(parseRecord(line, FALLBACK)!.message), JSON.parse(line));
  equal(parseRecord('{"__proto__":"x"}', FALLBACK)?.message, '{"__proto__":"x"}');
});
