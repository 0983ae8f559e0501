import { deepStrictEqual as deepEqual, ok, strictEqual as equal } from "node:assert/strict";
import { permanent, ProcessingError, retryable } from "../errors.ts";
import { awsError } from "../../tests/support/fakes.ts";
import { classifyAwsError, isExpiredCredentials, wrapAwsError } from "./classify_error.ts";

const classOf = (err: unknown) => classifyAwsError(err).failureClass;

Deno.test("throttling, 5xx, timeouts and expired credentials are retryable, by name", () => {
  for (
    const name of [
      "ThrottlingException",
      "Throttling",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "RequestLimitExceeded",
      "SlowDown",
      "ServiceUnavailableException",
      "InternalFailure",
      "InternalServerError",
      "RequestTimeout",
      "TimeoutError",
      "ExpiredToken",
      "ExpiredTokenException",
      "RequestExpired",
    ]
  ) {
    deepEqual(classifyAwsError(awsError(name, 400)), { failureClass: "retryable", code: name }, name);
  }
});

Deno.test("client errors are permanent and keep their name as code", () => {
  for (
    const name of [
      "AccessDeniedException",
      "AccessDenied",
      "ValidationException",
      "InvalidParameterException",
      "ResourceNotFoundException",
      "NoSuchKey",
      "NoSuchBucket",
      "UnrecognizedClientException",
    ]
  ) {
    deepEqual(classifyAwsError(awsError(name, 400)), { failureClass: "permanent", code: name }, name);
  }
  equal(classOf(awsError("AccessDenied", 403)), "permanent");
  equal(classOf(awsError("NoSuchKey", 404)), "permanent");
});

Deno.test("the HTTP status decides for unknown names: 429 and 5xx retryable, other 4xx permanent", () => {
  deepEqual(classifyAwsError(awsError("SomethingNew", 429)), { failureClass: "retryable", code: "SomethingNew" });
  for (const status of [500, 502, 503, 504]) equal(classOf(awsError("SomethingNew", status)), "retryable", `${status}`);
  for (const status of [400, 401, 403, 404, 409, 413]) equal(classOf(awsError("SomethingNew", status)), "permanent");
});

Deno.test("a known retryable name wins over a 4xx status", () => {
  equal(classOf(awsError("ThrottlingException", 400)), "retryable");
  equal(classOf(awsError("ExpiredTokenException", 403)), "retryable");
});

Deno.test("$retryable marks an error retryable without a 5xx", () => {
  equal(classOf(awsError("CustomThing", undefined, { $retryable: { throttling: true } })), "retryable");
  equal(classOf(awsError("CustomThing", undefined, { $retryable: {} })), "retryable");
});

Deno.test("an AWS Code property (XML services) is the code", () => {
  const err = Object.assign(new Error("x"), { Code: "SlowDown", $metadata: { httpStatusCode: 503 } });
  deepEqual(classifyAwsError(err), { failureClass: "retryable", code: "SlowDown" });
});

Deno.test("network errors without a response are retryable, by system code or message", () => {
  for (const code of ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_SOCKET"]) {
    deepEqual(classifyAwsError(Object.assign(new Error("boom"), { code })), { failureClass: "retryable", code }, code);
  }
  for (const message of ["socket hang up", "Connection reset by peer", "connection refused", "request timed out"]) {
    deepEqual(classifyAwsError(new Error(message)), { failureClass: "retryable", code: "NetworkError" }, message);
  }
  const wrapped = new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code: "ECONNRESET" }) });
  deepEqual(classifyAwsError(wrapped), { failureClass: "retryable", code: "ECONNRESET" });
});

Deno.test("a plain error is permanent; its name is the code unless it is just 'Error'", () => {
  deepEqual(classifyAwsError(new Error("bad")), { failureClass: "permanent", code: "UnknownError" });
  deepEqual(classifyAwsError(new TypeError("bad")), { failureClass: "permanent", code: "TypeError" });
  deepEqual(classifyAwsError("a string"), { failureClass: "permanent", code: "UnknownError" });
  deepEqual(classifyAwsError(undefined), { failureClass: "permanent", code: "UnknownError" });
  deepEqual(classifyAwsError(null), { failureClass: "permanent", code: "UnknownError" });
});

Deno.test("a message mentioning the network does not override an HTTP response", () => {
  equal(classOf(awsError("ValidationException", 400, { message: "network configuration invalid" })), "permanent");
});

Deno.test("ProcessingError passes through with its own class and code", () => {
  deepEqual(classifyAwsError(permanent("InvalidKey", "bad key")), { failureClass: "permanent", code: "InvalidKey" });
  deepEqual(classifyAwsError(retryable("ThrottlingException", "slow")), {
    failureClass: "retryable",
    code: "ThrottlingException",
  });
  // Even when its cause alone would classify differently.
  const err = new ProcessingError("permanent", "AccessDenied", "no", { cause: awsError("ThrottlingException", 400) });
  equal(classOf(err), "permanent");
});

Deno.test("a cycle of causes does not loop", () => {
  const a = new Error("a") as Error & { cause?: unknown };
  const b = new Error("b", { cause: a });
  a.cause = b;
  equal(classOf(a), "permanent");
});

Deno.test("wrapAwsError keeps the class, code and cause, and lets the caller write the message", () => {
  const cause = awsError("ThrottlingException", 400);
  const wrapped = wrapAwsError(
    cause,
    ({ failureClass, code, message }) => `Cannot read x: ${failureClass} ${code} ${message}`,
  );
  ok(wrapped instanceof ProcessingError);
  deepEqual([wrapped.failureClass, wrapped.code, wrapped.message, wrapped.cause], [
    "retryable",
    "ThrottlingException",
    "Cannot read x: retryable ThrottlingException ThrottlingException from fake",
    cause,
  ]);
  equal(wrapAwsError("not an error", ({ code, message }) => `${code}[${message}]`).message, "UnknownError[]");
});

Deno.test("wrapAwsError returns a ProcessingError as it is", () => {
  const already = permanent("InvalidKey", "bad key");
  equal(wrapAwsError(already, () => "never used"), already);
});

Deno.test("isExpiredCredentials: by the error's code, or in a line of tool output", () => {
  for (const name of ["ExpiredToken", "ExpiredTokenException", "RequestExpired"]) {
    equal(isExpiredCredentials(awsError(name, 400)), true, name);
  }
  equal(isExpiredCredentials(awsError("AccessDenied", 403)), false);
  equal(isExpiredCredentials(retryable("ExpiredToken", "x")), true);
  equal(
    isExpiredCredentials('ERROR sink: ExpiredTokenException: "The security token included in the request is expired"'),
    true,
  );
  equal(isExpiredCredentials("ERROR sink: ThrottlingException"), false);
});
