import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { deferVisibilitySeconds, retryVisibilitySeconds } from "./visibility_backoff.ts";

/** SQS's longest visibility timeout: 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

const policy = { baseSeconds: 10, maxSeconds: 300 };

Deno.test("retry visibility doubles with the receive count up to the cap", () => {
  const top = () => 1; // the full ceiling
  deepStrictEqual([1, 2, 3, 4, 5, 6, 7].map((n) => retryVisibilitySeconds(n, policy, { random: top })), [
    10,
    20,
    40,
    80,
    160,
    300,
    300,
  ]);
});

Deno.test("retry visibility jitter stays between half and all of the ceiling", () => {
  deepStrictEqual(retryVisibilitySeconds(3, policy, { random: () => 0 }), 20);
  deepStrictEqual(retryVisibilitySeconds(3, policy, { random: () => 0.5 }), 30);
});

Deno.test("retry visibility treats a missing or odd receive count as the first receive", () => {
  for (const n of [0, -1, Number.NaN]) deepStrictEqual(retryVisibilitySeconds(n, policy, { random: () => 1 }), 10);
});

Deno.test("retry visibility of zero base makes the message visible at once", () => {
  deepStrictEqual(retryVisibilitySeconds(5, { baseSeconds: 0, maxSeconds: 0 }, { random: () => 1 }), 0);
});

Deno.test("retry visibility never exceeds what SQS accepts", () => {
  const huge = { baseSeconds: 40_000, maxSeconds: 10 ** 9 };
  deepStrictEqual(retryVisibilitySeconds(30, huge, { random: () => 1 }), MAX_VISIBILITY_SECONDS);
});

Deno.test("a deferral backs off like a retry, but from 1 s and up to at least a minute", () => {
  const top = () => 1;
  const fast = { baseSeconds: 0, maxSeconds: 1 };
  deepStrictEqual([1, 2, 3, 4, 7, 8, 20].map((n) => deferVisibilitySeconds(n, fast, { random: top })), [
    1,
    2,
    4,
    8,
    60,
    60,
    60,
  ]);
  strictEqual(deferVisibilitySeconds(1, fast, { random: () => 0 }), 1, "never 0, whatever the jitter");
  const prod = { baseSeconds: 5, maxSeconds: 900 };
  deepStrictEqual([1, 2, 9, 20].map((n) => deferVisibilitySeconds(n, prod, { random: top })), [5, 10, 900, 900]);
  deepStrictEqual(
    [1, 2, 9].map((n) => deferVisibilitySeconds(n, prod, { random: top })),
    [1, 2, 9].map((n) => retryVisibilitySeconds(n, prod, { random: top })),
  );
});
