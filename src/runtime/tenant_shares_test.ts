import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { NO_TENANT } from "./message_tenants.ts";
import { TenantShares } from "./tenant_shares.ts";

// The documented values (docs/run-modes.md, per-tenant fairness).
const ACTIVE_TENANT_WINDOW_MS = 10_000;
const MAX_TENANT_STREAK = 4;
const TENANT_HOLD_BASE_MS = 500;

const shares = (adaptive = true) => new TenantShares({ cap: 4, buffer: 10, adaptive });

Deno.test("a tenant's cap halves per retryable outcome in a row, at least 1; a delivery restores it", () => {
  const s = shares();
  const caps = [s.capOf("a")];
  for (let i = 0; i < MAX_TENANT_STREAK + 1; i++) {
    s.outcome(["a"], true, 1_000);
    caps.push(s.capOf("a"));
  }
  deepStrictEqual(caps, [4, 2, 1, 1, 1, 1]);
  strictEqual(s.streak(["a", "b"]), MAX_TENANT_STREAK, "the streak stops growing");
  s.outcome(["a"], false, 2_000);
  deepStrictEqual([s.capOf("a"), s.streak(["a"])], [4, 0]);
});

Deno.test("after retryable outcomes a tenant is held back, longer each time; its share shrinks with its cap", () => {
  const s = shares();
  strictEqual(s.heldUntil(["a"]), Number.NEGATIVE_INFINITY);
  s.outcome(["a"], true, 1_000);
  strictEqual(s.heldUntil(["a"]), 1_000 + TENANT_HOLD_BASE_MS);
  s.outcome(["a"], true, 1_000);
  strictEqual(s.heldUntil(["a", "b"]), 1_000 + 2 * TENANT_HOLD_BASE_MS, "a message of several is held by any");
  strictEqual(s.underCap(["a"], 1_000 + 2 * TENANT_HOLD_BASE_MS - 1), false);
  strictEqual(s.underCap(["a"], 1_000 + 2 * TENANT_HOLD_BASE_MS), true);
  deepStrictEqual([s.shareOf("a"), s.shareOf("b")], [2, 8]);
});

Deno.test("without fairness (adaptive off) and for messages naming no tenant, outcomes change nothing", () => {
  const off = shares(false);
  off.outcome(["a"], true, 1);
  deepStrictEqual([off.capOf("a"), off.streak(["a"])], [4, 0]);
  const on = shares();
  on.outcome([NO_TENANT], true, 1);
  strictEqual(on.capOf(NO_TENANT), 4);
});

Deno.test("split: waiting messages within their tenants' share count, the rest are parked", () => {
  const s = new TenantShares({ cap: 1, buffer: 1, adaptive: true });
  s.count(["a"], "processing", 1);
  deepStrictEqual(s.split([["a"], ["a"], ["b"], ["a", "b"], ["b"]]), { inShare: 3, parked: 2 });
});

Deno.test("other tenants are about while they have messages here or were received lately; no-tenant messages never", () => {
  const s = shares();
  s.received(["b"], 0);
  strictEqual(s.othersActive(["a"], ACTIVE_TENANT_WINDOW_MS), true);
  strictEqual(s.othersActive(["a"], ACTIVE_TENANT_WINDOW_MS + 1), false);
  strictEqual(s.othersActive(["b"], 0), false, "b itself does not count");
  s.count([NO_TENANT], "waiting", 1);
  strictEqual(s.othersActive(["a"], ACTIVE_TENANT_WINDOW_MS + 1), false);
  s.count(["c"], "processing", 1);
  strictEqual(s.othersActive(["a"], ACTIVE_TENANT_WINDOW_MS + 1), true);
  s.count(["c"], "processing", -1);
  s.prune(ACTIVE_TENANT_WINDOW_MS + 1);
  deepStrictEqual(s.load("b"), { processing: 0, waiting: 0 });
  strictEqual(s.othersActive(["a"], ACTIVE_TENANT_WINDOW_MS + 1), false);
});
