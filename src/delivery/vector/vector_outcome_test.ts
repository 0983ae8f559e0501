import assert from "node:assert/strict";
import { credentialsExpired, scrub, vectorFailure, type VectorRunResult } from "./vector_outcome.ts";

const ok = { code: 0, timedOut: false };
const run = (over: Partial<VectorRunResult>): VectorRunResult => ({
  exit: ok,
  fed: 10,
  sent: 0,
  discarded: 0,
  errorLines: [],
  awsErrors: [],
  ...over,
});

Deno.test("vectorFailure: delivered only when the sink confirmed every event fed", () => {
  assert.equal(vectorFailure(run({ sent: 10 })), undefined);
  // Even a non-zero exit after everything was confirmed: the events are in CloudWatch.
  assert.equal(vectorFailure(run({ sent: 10, exit: { code: null, signal: "SIGKILL", timedOut: false } })), undefined);
  // Exit 0, nothing said: not delivered (silence proves nothing).
  const silent = vectorFailure(run({}));
  assert.equal(silent?.failureClass, "retryable");
  assert.equal(silent?.code, "VectorUnconfirmed");
  assert.match(silent?.message ?? "", /confirmed 0 of 10 events sent/);
  const partial = vectorFailure(run({ sent: 9 }));
  assert.equal(partial?.code, "VectorUnconfirmed");
  assert.match(partial?.message ?? "", /confirmed 9 of 10/);
});

Deno.test("vectorFailure: AWS codes in the error lines classify as the native engine would", () => {
  const cases: [VectorRunResult["awsErrors"], string, string][] = [
    [[{ code: "AccessDeniedException", status: 400 }], "permanent", "AccessDeniedException"],
    [[{ code: "ThrottlingException", status: 400 }], "retryable", "ThrottlingException"],
    [[{ code: "ServiceUnavailableException", status: 503 }], "retryable", "ServiceUnavailableException"],
    [[{ code: "ExpiredTokenException" }], "retryable", "ExpiredTokenException"],
    [[{ status: 500 }], "retryable", "HTTP500"],
    [[{ code: "InvalidParameterException", status: 400 }], "permanent", "InvalidParameterException"],
    // One permanent error among retryable ones decides: a retry will meet it again.
    [
      [{ code: "ThrottlingException", status: 400 }, { code: "AccessDeniedException", status: 400 }],
      "permanent",
      "AccessDeniedException",
    ],
  ];
  for (const [awsErrors, failureClass, code] of cases) {
    const err = vectorFailure(run({ awsErrors, discarded: 10, errorLines: ["Events dropped"] }));
    assert.equal(err?.failureClass, failureClass, code);
    assert.equal(err?.code, code);
    assert.match(
      err?.message ?? "",
      /^vector could not deliver \(confirmed 0 of 10 events sent, 10 dropped\): Events dropped/,
    );
  }
});

Deno.test("vectorFailure: start failures, config errors, timeouts, crashes and errors without a code", () => {
  const cases: [Partial<VectorRunResult>, string, string][] = [
    [{ exit: { code: null, timedOut: false, spawnError: "No such file" }, sent: 10 }, "permanent", "VectorNotFound"],
    [{ exit: { code: 78, timedOut: false }, errorLines: ["Configuration error."] }, "permanent", "VectorConfigError"],
    [
      { exit: { code: null, signal: "SIGKILL", timedOut: true }, lastWarning: "Retrying after error." },
      "retryable",
      "VectorTimeout",
    ],
    [{ exit: { code: 1, timedOut: false } }, "retryable", "VectorFailed"],
    [{ exit: { code: null, signal: "SIGSEGV", timedOut: false } }, "retryable", "VectorFailed"],
    [{ discarded: 10, errorLines: ["Events dropped: Retries exhausted"] }, "retryable", "VectorDeliveryFailed"],
    [{ errorLines: ["Event too large: message size exceeds the limit"] }, "permanent", "VectorDeliveryFailed"],
  ];
  for (const [over, failureClass, code] of cases) {
    const err = vectorFailure(run(over));
    assert.equal(err?.failureClass, failureClass, code);
    assert.equal(err?.code, code);
  }
  assert.match(vectorFailure(run(cases[2]![0]))?.message ?? "", /killed \(confirmed 0 of 10 events sent\): Retrying/);
});

Deno.test("credentialsExpired: only expired or stale credentials", () => {
  assert.equal(credentialsExpired({ awsErrors: [{ code: "ExpiredTokenException" }] }), true);
  assert.equal(credentialsExpired({ awsErrors: [{ code: "RequestExpired", status: 400 }] }), true);
  assert.equal(credentialsExpired({ awsErrors: [{ code: "AccessDeniedException" }, { status: 503 }] }), false);
});

Deno.test("scrub: removes every secret value", () => {
  assert.equal(
    scrub("key AKIA123 secret s3cr3t token tok-en", ["AKIA123", "s3cr3t", "tok-en", ""]),
    "key [redacted] secret [redacted] token [redacted]",
  );
});
