import assert from "node:assert/strict";
import { inWindow, replayWindow } from "./replay_window.ts";

const NOW = Date.parse("2026-02-01T00:00:00Z");

/** The window's prefix for `--prefix raw`. */
const normalizePrefix = (raw: string) => replayWindow({ prefix: raw }, NOW).prefix;
/** The window's bound for `--since raw` or `--until raw`. */
function parseTime(flag: "--since" | "--until", raw: string, now: number): number | undefined {
  const window = replayWindow({ prefix: "a", [flag.slice(2)]: raw }, now);
  return flag === "--since" ? window.since : window.until;
}

Deno.test("a bare customer_id never matches another tenant sharing its start", () => {
  assert.equal(normalizePrefix("acme"), "acme/");
  assert.equal(normalizePrefix("/acme/prod-1/"), "acme/prod-1/");
  assert.equal(normalizePrefix("acme/prod-1/ap"), "acme/prod-1/ap");
  const w = replayWindow({ prefix: "acme" }, NOW);
  assert.ok(inWindow(w, "acme/c/a/p/f.json.gz", undefined));
  assert.ok(!inWindow(w, "acme2/c/a/p/f.json.gz", undefined));
});

Deno.test("bad prefixes are refused with the segment named", () => {
  assert.throws(() => normalizePrefix("/"), /needs at least a customer_id/);
  assert.throws(() => normalizePrefix("ac me/x"), /customer_id "ac me"/);
  assert.throws(() => normalizePrefix("acme/../x"), /cluster_id "\.\."/);
  assert.throws(() => normalizePrefix("a/b/c/d/e/f"), /more segments/);
  assert.throws(() => replayWindow({}, NOW), /--prefix is required/);
});

Deno.test("times: RFC 3339, dates and durations ago; since inclusive, until exclusive", () => {
  assert.equal(parseTime("--since", "2026-01-31T12:00:00Z", NOW), Date.parse("2026-01-31T12:00:00Z"));
  assert.equal(parseTime("--since", "2026-01-31", NOW), Date.parse("2026-01-31"));
  assert.equal(parseTime("--since", "6h", NOW), NOW - 6 * 3_600_000);
  assert.equal(parseTime("--since", "7d", NOW), NOW - 7 * 86_400_000);
  assert.throws(() => parseTime("--until", "yesterday", NOW), /--until: "yesterday" is neither/);
  assert.throws(() => replayWindow({ prefix: "a", since: "1h", until: "2h" }, NOW), /must be before --until/);
  const w = replayWindow({ prefix: "a", since: "2026-01-31T00:00:00Z", until: "2026-01-31T01:00:00Z" }, NOW);
  const key = "a/c/a/p/f.json.gz";
  assert.ok(inWindow(w, key, Date.parse("2026-01-31T00:00:00Z")));
  assert.ok(!inWindow(w, key, Date.parse("2026-01-31T01:00:00Z")));
  assert.ok(!inWindow(w, key, Date.parse("2026-01-30T23:59:59Z")));
  assert.ok(!inWindow(w, key, undefined));
});

Deno.test("only .gz keys by default, every key with an empty suffix", () => {
  const gz = replayWindow({ prefix: "a" }, NOW);
  assert.ok(!inWindow(gz, "a/c/a/p/notes.txt", undefined));
  const all = replayWindow({ prefix: "a", suffix: "" }, NOW);
  assert.ok(inWindow(all, "a/c/a/p/notes.txt", undefined));
});
