import { strictEqual as equal } from "node:assert/strict";
import { seededRandom } from "../../tests/support/fakes.ts";
import { parseUtcTimestamp } from "./utc_timestamp.ts";

Deno.test("Vector's timestamps are read to the millisecond, as Date.parse reads them", () => {
  const cases = [
    "2026-01-02T03:04:05Z",
    "2026-01-02T03:04:05.1Z",
    "2026-01-02T03:04:05.12Z",
    "2026-01-02T03:04:05.123Z",
    "2026-01-02T03:04:05.1239Z",
    "2026-01-02T03:04:05.123456789Z",
    "1969-12-31T23:59:59.999Z",
    "0000-01-01T00:00:00Z",
    "2024-02-29T12:00:00Z",
    "2026-02-30T00:00:00Z", // rolls over to 2 March, as Date.parse does
    "2100-03-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
  ];
  for (const s of cases) equal(parseUtcTimestamp(s), Date.parse(s), s);
});

Deno.test("anything else is left to Date.parse", () => {
  const others = [
    "2026-01-02T03:04:05+02:00",
    "2026-01-02t03:04:05z",
    "2026-01-02 03:04:05Z",
    "2026-01-02T24:00:00Z",
    "2026-01-02T03:04:60Z",
    "2026-13-02T03:04:05Z",
    "2026-00-02T03:04:05Z",
    "2026-01-00T03:04:05Z",
    "2026-01-32T03:04:05Z",
    "2026-01-02T03:04:05.Z",
    "2026-01-02T03:04:05.0123456789Z", // ten digits: Date.parse reads these its own way
    "2026-01-02T03:04:05,123Z",
    "2026-01-02T03:04:05.12a3Z",
    "2026-01-02T03:04Z",
    "+002026-01-02T03:04:05Z",
    "2026-01-02T03:04:05",
    "x026-01-02T03:04:05Z",
    "",
  ];
  for (const s of others) equal(parseUtcTimestamp(s), undefined, s);
});

Deno.test("property: for random well-formed and malformed strings, a result always equals Date.parse", () => {
  const random = seededRandom(3339);
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  let read = 0;
  for (let round = 0; round < 20_000; round++) {
    const field = (max: number) => Math.floor(random() * max);
    let s = `${pad(field(10_000), 4)}-${pad(field(14), 2)}-${pad(field(33), 2)}T${pad(field(25), 2)}:${
      pad(field(61), 2)
    }:${pad(field(61), 2)}`;
    const fraction = field(12);
    if (fraction > 0) s += "." + Array.from({ length: fraction }, () => field(10)).join("");
    s += "Z";
    if (random() < 0.1) {
      const at = field(s.length);
      s = s.slice(0, at) + "-:.T9aZ "[field(8)] + s.slice(at + 1);
    }
    const fast = parseUtcTimestamp(s);
    if (fast === undefined) continue;
    read++;
    equal(fast, Date.parse(s), s);
  }
  equal(read > 5_000, true, `only ${read} strings were read: the property tested too little`);
});
