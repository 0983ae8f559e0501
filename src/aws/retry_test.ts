import { deepStrictEqual as deepEqual, ok, rejects, strictEqual as equal } from "node:assert/strict";
import { permanent, ProcessingError } from "../errors.ts";
import { awsError, recordingSleep, seededRandom } from "../../tests/support/fakes.ts";
import { backoffDelay, type RetryPolicy, withRetry } from "./retry.ts";

const POLICY: RetryPolicy = { retries: 3, baseDelayMs: 100, maxDelayMs: 250 };

/** A function failing with `errors` in turn, then returning "done"; records attempt numbers. */
function flaky(...errors: unknown[]) {
  const attempts: number[] = [];
  const fn = (attempt: number) => {
    attempts.push(attempt);
    return errors.length > 0 ? Promise.reject(errors.shift()) : Promise.resolve("done");
  };
  return { fn, attempts };
}

async function failure(promise: Promise<unknown>): Promise<ProcessingError> {
  let caught: unknown;
  await rejects(promise, (err) => (caught = err, true));
  ok(caught instanceof ProcessingError, String(caught));
  return caught;
}

Deno.test("backoffDelay is full jitter under min(max, base·2^(attempt-1))", () => {
  const ceilings = [100, 200, 250, 250];
  for (const [i, ceiling] of ceilings.entries()) {
    equal(backoffDelay(i + 1, POLICY, () => 0), 0);
    equal(backoffDelay(i + 1, POLICY, () => 0.999999), ceiling);
    equal(backoffDelay(i + 1, POLICY, () => 0.5), ceiling / 2);
  }
  const random = seededRandom(3);
  for (let attempt = 1; attempt <= 12; attempt++) {
    for (let k = 0; k < 50; k++) {
      const d = backoffDelay(attempt, { retries: 12, baseDelayMs: 200, maxDelayMs: 20_000 }, random);
      ok(d >= 0 && d <= Math.min(20_000, 200 * 2 ** (attempt - 1)) && Number.isInteger(d), `${attempt}: ${d}`);
    }
  }
});

Deno.test("success on the first attempt makes one call and no sleep", async () => {
  const { fn, attempts } = flaky();
  const { sleep, delays } = recordingSleep();
  equal(await withRetry(fn, POLICY, { sleep }), "done");
  deepEqual(attempts, [0]);
  deepEqual(delays, []);
});

Deno.test("retryable failures are retried with growing backoff until success", async () => {
  const { fn, attempts } = flaky(awsError("ThrottlingException", 400), awsError("InternalFailure", 500));
  const { sleep, delays } = recordingSleep();
  const seen: [number, number, string][] = [];
  const result = await withRetry(fn, POLICY, {
    sleep,
    random: () => 0.999999,
    onRetry: (attempt, delay, err) => seen.push([attempt, delay, (err as Error).name]),
  });
  equal(result, "done");
  deepEqual(attempts, [0, 1, 2]);
  deepEqual(delays, [100, 200]);
  deepEqual(seen, [[1, 100, "ThrottlingException"], [2, 200, "InternalFailure"]]);
});

Deno.test("retries exhausted: retries+1 attempts, retryable error with code and attempt count", async () => {
  const errors = Array.from({ length: 10 }, () => awsError("ThrottlingException", 400));
  const { fn, attempts } = flaky(...errors);
  const { sleep, delays } = recordingSleep();
  const err = await failure(withRetry(fn, POLICY, { sleep, random: () => 0.5, what: "PutLogEvents to g:s" }));
  deepEqual(attempts, [0, 1, 2, 3]);
  deepEqual(delays, [50, 100, 125]);
  equal(err.failureClass, "retryable");
  equal(err.code, "ThrottlingException");
  equal(
    err.message,
    "PutLogEvents to g:s failed with ThrottlingException after 4 attempts: ThrottlingException from fake",
  );
  equal((err.cause as Error).name, "ThrottlingException");
});

Deno.test("zero retries: one attempt only", async () => {
  const { fn, attempts } = flaky(awsError("ThrottlingException", 400), awsError("ThrottlingException", 400));
  const err = await failure(withRetry(fn, { ...POLICY, retries: 0 }, recordingSleep()));
  deepEqual(attempts, [0]);
  equal(err.failureClass, "retryable");
  equal(err.message.includes("after 1 attempts"), true, err.message);
});

Deno.test("a permanent failure is not retried and is reported without an attempt count", async () => {
  const { fn, attempts } = flaky(awsError("AccessDeniedException", 400));
  const { sleep, delays } = recordingSleep();
  const err = await failure(withRetry(fn, POLICY, { sleep }));
  deepEqual(attempts, [0]);
  deepEqual(delays, []);
  equal(err.failureClass, "permanent");
  equal(err.code, "AccessDeniedException");
  equal(err.message, "AWS call failed with AccessDeniedException: AccessDeniedException from fake");
});

Deno.test("a retryable then permanent failure stops at the permanent one", async () => {
  const { fn, attempts } = flaky(awsError("ThrottlingException", 400), awsError("ValidationException", 400));
  const err = await failure(withRetry(fn, POLICY, recordingSleep()));
  deepEqual(attempts, [0, 1]);
  equal(err.code, "ValidationException");
  equal(err.failureClass, "permanent");
});

Deno.test("a ProcessingError is rethrown as it is; its class decides retrying", async () => {
  const fatal = permanent("InvalidConfig", "bad config");
  const { fn, attempts } = flaky(fatal);
  await rejects(withRetry(fn, POLICY, recordingSleep()), (err) => err === fatal);
  deepEqual(attempts, [0]);

  const slow = new ProcessingError("retryable", "Throttling", "slow");
  const again = flaky(slow, slow, slow, slow, slow);
  await rejects(withRetry(again.fn, POLICY, recordingSleep()), (err) => err === slow);
  deepEqual(again.attempts, [0, 1, 2, 3]);
});

Deno.test("expired credentials are reported before the retry, so it starts from fresh ones", async () => {
  const { fn } = flaky(awsError("ExpiredTokenException", 400), awsError("ThrottlingException", 400));
  const { sleep } = recordingSleep();
  let expired = 0;
  equal(await withRetry(fn, POLICY, { sleep, onCredentialsExpired: () => expired++ }), "done");
  equal(expired, 1);
});
