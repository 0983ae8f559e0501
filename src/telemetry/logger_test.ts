import { deepStrictEqual as deepEqual, ok, strictEqual as equal } from "node:assert/strict";
import { createLogger } from "./logger.ts";

function capture(level: Parameters<typeof createLogger>[0] = "debug") {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, (line) => lines.push(JSON.parse(line)), { service: "log-processor" });
  return { logger, lines };
}

/** `value` as a log line carries it in a field. */
function sanitize(value: unknown): unknown {
  const { logger, lines } = capture();
  logger.info("x", { value });
  return lines[0]!.value;
}

Deno.test("each line is one JSON object with time, level, message, base and call fields", () => {
  const { logger, lines } = capture();
  logger.info("object delivered", { key: "a/b/c/d/f", events: 3 });
  equal(lines.length, 1);
  const [line] = lines;
  ok(!Number.isNaN(Date.parse(String(line!.time))));
  deepEqual({ ...line, time: undefined }, {
    time: undefined,
    level: "info",
    msg: "object delivered",
    service: "log-processor",
    key: "a/b/c/d/f",
    events: 3,
  });
});

Deno.test("lines below the level threshold are dropped", () => {
  const { logger, lines } = capture("warn");
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
  deepEqual(lines.map((l) => l.level), ["warn", "error"]);
  const all = capture("debug");
  for (const m of ["debug", "info", "warn", "error"] as const) all.logger[m](m);
  deepEqual(all.lines.map((l) => l.msg), ["debug", "info", "warn", "error"]);
});

Deno.test("secret-looking fields are redacted at any depth, in arrays too", () => {
  const { logger, lines } = capture();
  logger.info("assumed role", {
    credentials: { accessKeyId: "AKIA", secretAccessKey: "s" },
    nested: {
      deeper: { sessionToken: "tok", SecretAccessKey: "S", password: "p", external_id: "ext", externalId: "ext2" },
      list: [{ token: "t" }, { fine: "ok" }],
    },
    roleArn: "arn:aws:iam::1:role/r",
  });
  const text = JSON.stringify(lines[0]);
  for (const secret of ['"AKIA"', '"s"', '"tok"', '"S"', '"p"', '"ext"', '"ext2"', '"t"']) {
    equal(text.includes(secret), false, `${secret} leaked: ${text}`);
  }
  equal(lines[0]!.credentials, "[redacted]");
  deepEqual(lines[0]!.nested, {
    deeper: {
      sessionToken: "[redacted]",
      SecretAccessKey: "[redacted]",
      password: "[redacted]",
      external_id: "[redacted]",
      externalId: "[redacted]",
    },
    list: [{ token: "[redacted]" }, { fine: "ok" }],
  });
  equal(lines[0]!.roleArn, "arn:aws:iam::1:role/r");
});

Deno.test("child loggers add fields and keep redaction", () => {
  const { logger, lines } = capture();
  logger.child({ tenant: "acme", sessionToken: "tok" }).warn("retrying", { attempt: 2 });
  deepEqual({ ...lines[0], time: undefined }, {
    time: undefined,
    level: "warn",
    msg: "retrying",
    service: "log-processor",
    tenant: "acme",
    sessionToken: "[redacted]",
    attempt: 2,
  });
});

Deno.test("errors are serialized with name, message, code and cause (sanitized)", () => {
  const cause = Object.assign(new Error("socket hang up"), { code: "ECONNRESET", secretAccessKey: "s" });
  const err = Object.assign(new Error("PutLogEvents failed", { cause }), { name: "ProcessingError" });
  const { logger, lines } = capture();
  logger.error("fatal", { error: err });
  deepEqual(lines[0]!.error, {
    name: "ProcessingError",
    message: "PutLogEvents failed",
    cause: { name: "Error", message: "socket hang up", code: "ECONNRESET" },
  });
  deepEqual(sanitize({ cause: { token: "x" } }), { cause: { token: "[redacted]" } });
});

Deno.test("very deep values are cut instead of recursing forever", () => {
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic.self = cyclic;
  const out = JSON.stringify(sanitize(cyclic));
  ok(out.includes("[depth]"), out);
  let deep: Record<string, unknown> = { secretAccessKey: "hidden-deep" };
  for (let i = 0; i < 12; i++) deep = { level: deep };
  equal(JSON.stringify(sanitize(deep)).includes("hidden-deep"), false);
});

Deno.test("plain values pass through", () => {
  for (const v of [1, "x", null, undefined, true]) equal(sanitize(v), v);
});
