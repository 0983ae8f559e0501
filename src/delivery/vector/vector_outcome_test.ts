import assert from "node:assert/strict";
import { scrub, vectorErrorLines, vectorFailure } from "./vector_outcome.ts";

const ok = { code: 0, timedOut: false };

Deno.test("vectorFailure: a clean exit without ERROR lines is success", () => {
  assert.equal(vectorFailure(ok, []), undefined);
});

Deno.test("vectorFailure: maps start failures, timeouts, exit codes and error lines to classes", () => {
  const cases: [Parameters<typeof vectorFailure>, string, string][] = [
    [[{ code: null, timedOut: false, spawnError: "No such file" }, []], "permanent", "VectorNotFound"],
    [[{ code: null, signal: "SIGKILL", timedOut: true }, []], "retryable", "VectorTimeout"],
    [[{ code: 78, timedOut: false }, ["Configuration error."]], "permanent", "VectorConfigError"],
    [[{ code: 1, timedOut: false }, []], "retryable", "VectorFailed"],
    [[{ code: null, signal: "SIGSEGV", timedOut: false }, []], "retryable", "VectorFailed"],
    [[ok, ["Service call failed: AccessDeniedException: not authorized"]], "permanent", "AccessDeniedException"],
    [
      [ok, ["Events dropped", "Service call failed: ThrottlingException: Rate exceeded"]],
      "retryable",
      "VectorDeliveryFailed",
    ],
  ];
  for (const [args, failureClass, code] of cases) {
    const err = vectorFailure(...args);
    assert.ok(err, JSON.stringify(args));
    assert.equal(err.failureClass, failureClass, JSON.stringify(args));
    assert.equal(err.code, code, JSON.stringify(args));
  }
});

Deno.test("vectorErrorLines: reads Vector's JSON and text log lines, ERROR level only", () => {
  const stderr = [
    JSON.stringify({ level: "WARN", fields: { message: "Retrying after error." } }),
    JSON.stringify({
      timestamp: "2026-01-01T00:00:00Z",
      level: "ERROR",
      fields: { message: "Service call failed. No retries or retries exhausted.", error: "AccessDeniedException" },
      target: "vector::sinks::util::retries",
    }),
    JSON.stringify({ level: "ERROR", message: "Events dropped", reason: "Service call failed." }),
    "2026-01-01T00:00:00.000Z ERROR vector::topology: Configuration error. error=x",
    "2026-01-01T00:00:00.000Z  INFO vector: Vector has stopped.",
    "{not json ERROR",
  ].join("\n");
  assert.deepEqual(vectorErrorLines(stderr), [
    "Service call failed. No retries or retries exhausted.: AccessDeniedException",
    "Events dropped: Service call failed.",
    "2026-01-01T00:00:00.000Z ERROR vector::topology: Configuration error. error=x",
    "{not json ERROR",
  ]);
});

Deno.test("scrub: removes every secret value", () => {
  assert.equal(
    scrub("key AKIA123 secret s3cr3t token tok-en", ["AKIA123", "s3cr3t", "tok-en", ""]),
    "key [redacted] secret [redacted] token [redacted]",
  );
});
