import { ok, strictEqual as equal } from "node:assert/strict";
import { seededRandom } from "../../../tests/support/fakes.ts";
import { MAX_EVENT_AGE_MS, MAX_EVENT_FUTURE_MS, MAX_EVENT_MESSAGE_BYTES, TIME_LIMIT_MARGIN_MS } from "./limits.ts";
import { type LogEvent, truncationMarker } from "../../ingest/parse_record.ts";
import { admitEvent, admitUnsized, utf8Length } from "./prepare_event.ts";

const encoder = new TextEncoder();
const bytesOf = (s: string) => encoder.encode(s).length;
/** The message admitEvent sends for `message` whose line had `originalBytes`, cut to `maxBytes`. */
const truncateMessage = (message: string, originalBytes: number, maxBytes?: number) => {
  const now = Date.now();
  const admitted = admitEvent({ timestamp: now, message, originalBytes }, now, maxBytes);
  if (admitted.rejection) throw new Error(admitted.rejection);
  equal(admitted.truncated, true);
  return admitted.event.message;
};
/** Why admitEvent refuses `event` at `now`, or undefined when it admits it. */
const rejectionOf = (event: LogEvent, now: number) => admitEvent(event, now).rejection;

Deno.test("utf8Length matches TextEncoder on fixed cases, incl. surrogate pairs and lone surrogates", () => {
  const cases = [
    "",
    "ascii",
    "é",
    "日本語",
    "📜",
    "a📜b",
    "\ud83d", // lone high surrogate at the end
    "\ud83dx", // lone high surrogate before a non-surrogate
    "\udc00", // lone low surrogate
    "\udc00\ud83d", // reversed pair: two lone surrogates
    "\ud83d\ud83d\udcdc", // lone high, then a pair
    "\u007f\u0080\u07ff\u0800\uffff",
  ];
  for (const s of cases) equal(utf8Length(s), bytesOf(s), JSON.stringify(s));
});

Deno.test("property: utf8Length equals TextEncoder's length on random UTF-16 strings", () => {
  const random = seededRandom(42);
  const unit = () => {
    const r = random();
    if (r < 0.3) return Math.floor(random() * 0x80);
    if (r < 0.45) return 0x80 + Math.floor(random() * 0x780);
    if (r < 0.6) return 0x800 + Math.floor(random() * (0xd800 - 0x800));
    if (r < 0.85) return 0xd800 + Math.floor(random() * 0x800); // any surrogate, paired or not
    return 0xe000 + Math.floor(random() * 0x2000);
  };
  for (let round = 0; round < 2000; round++) {
    const units = Array.from({ length: Math.floor(random() * 20) }, unit);
    const s = String.fromCharCode(...units);
    equal(utf8Length(s), bytesOf(s), JSON.stringify(s));
  }
});

Deno.test("admitEvent's cut stays within the limit, ends with the visible marker and keeps a valid prefix", () => {
  const random = seededRandom(9);
  const alphabet = ["a", "é", "日", "📜", "\ud83d"];
  for (let round = 0; round < 300; round++) {
    const max = 60 + Math.floor(random() * 200);
    let message = "";
    while (bytesOf(message) <= max) message += alphabet[Math.floor(random() * alphabet.length)]!.repeat(1 + round % 7);
    const original = utf8Length(message);
    const cut = truncateMessage(message, original, max);
    const marker = truncationMarker(original);
    ok(bytesOf(cut) <= max, `${bytesOf(cut)} > ${max}`);
    ok(cut.endsWith(marker), cut);
    const kept = cut.slice(0, -marker.length);
    ok(!kept.includes("\ufffd") || message.includes("\ud83d"), "no character was cut in half");
    // The kept part is a prefix of the message as UTF-8 would encode it.
    ok(new TextDecoder().decode(encoder.encode(message)).startsWith(kept), "kept part is a prefix");
    // And it is the longest such prefix: one more character would not have fit.
    const next = [...new TextDecoder().decode(encoder.encode(message)).slice(kept.length)][0];
    ok(bytesOf(kept) + bytesOf(next ?? "") + bytesOf(marker) > max, "cut no earlier than needed");
  }
});

Deno.test("admitEvent's cut at the real per-event limit: a 2 MB multibyte message", () => {
  const message = "日".repeat(700_000); // 2 100 000 bytes
  const cut = truncateMessage(message, utf8Length(message));
  const size = bytesOf(cut);
  ok(size <= MAX_EVENT_MESSAGE_BYTES && size > MAX_EVENT_MESSAGE_BYTES - 3 - 60, String(size));
  ok(cut.endsWith(" …[truncated by log-processor: 2100000 bytes]"), cut.slice(-60));
  equal(cut.includes("\ufffd"), false);
});

Deno.test("admitEvent refuses: empty message, too old and too new with a one-minute safety margin", () => {
  const now = Date.UTC(2026, 5, 1);
  const oldest = now - MAX_EVENT_AGE_MS + TIME_LIMIT_MARGIN_MS;
  const newest = now + MAX_EVENT_FUTURE_MS - TIME_LIMIT_MARGIN_MS;
  equal(rejectionOf({ timestamp: now, message: "" }, now), "empty_message");
  equal(rejectionOf({ timestamp: now, message: "ok" }, now), undefined);
  equal(rejectionOf({ timestamp: oldest, message: "ok" }, now), undefined);
  equal(rejectionOf({ timestamp: oldest - 1, message: "ok" }, now), "too_old");
  equal(rejectionOf({ timestamp: 0, message: "ok" }, now), "too_old");
  equal(rejectionOf({ timestamp: newest, message: "ok" }, now), undefined);
  equal(rejectionOf({ timestamp: newest + 1, message: "ok" }, now), "too_new");
  equal(rejectionOf({ timestamp: now - 13 * 86_400_000, message: "ok" }, now), undefined);
  equal(rejectionOf({ timestamp: now + 90 * 60_000, message: "ok" }, now), undefined);
  equal(rejectionOf({ timestamp: now - 15 * 86_400_000, message: "ok" }, now), "too_old");
  equal(rejectionOf({ timestamp: now + 3 * 3_600_000, message: "ok" }, now), "too_new");
});

Deno.test("admitUnsized admits, refuses and cuts as admitEvent does, returning the event itself when it fits", () => {
  const now = Date.UTC(2026, 5, 1);
  const fits = { timestamp: now, message: "日".repeat(100) };
  equal(admitUnsized(fits, now, 300), fits);
  equal(admitUnsized({ timestamp: now, message: "" }, now), "empty_message");
  equal(admitUnsized({ timestamp: 0, message: "ok" }, now), "too_old");
  const random = seededRandom(5);
  for (let round = 0; round < 200; round++) {
    const max = 30 + Math.floor(random() * 100);
    const message = ["a", "é", "日", "📜"][round % 4]!.repeat(Math.floor(random() * 80) + 1);
    const event = round % 5 === 0 ? { timestamp: now, message, originalBytes: 9_000 } : { timestamp: now, message };
    const expected = admitEvent(event, now, max);
    const got = admitUnsized(event, now, max);
    equal(typeof got === "string" ? got : got.message, expected.rejection ?? expected.event!.message);
  }
});
