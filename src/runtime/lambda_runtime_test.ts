import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { RuntimeApiServer } from "../../tests/support/runtime_api_server.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { HttpRuntimeApi, runRuntimeLoop } from "./lambda_runtime.ts";

Deno.test("runtime loop: next → response, a throwing handler → error, across invocations", async () => {
  const server = await RuntimeApiServer.start();
  const stop = new AbortController();
  const seen: { deadlineMs: number; event: unknown }[] = [];
  const loop = runRuntimeLoop(new HttpRuntimeApi(server.host), (inv) => {
    seen.push({ deadlineMs: inv.deadlineMs, event: inv.event });
    if ((inv.event as { fail?: boolean }).fail) return Promise.reject(new TypeError("bad event"));
    if ((inv.event as { plain?: boolean }).plain) return Promise.reject(new Error("x"));
    return Promise.resolve({ echo: inv.event });
  }, { logger: silentLogger, signal: stop.signal });
  try {
    deepStrictEqual(await server.invoke({ n: 1 }), {
      kind: "response",
      body: { echo: { n: 1 } },
      errorType: undefined,
    });
    deepStrictEqual(await server.invoke({ fail: true }), {
      kind: "error",
      body: { errorType: "TypeError", errorMessage: "bad event" },
      errorType: "TypeError",
    });
    deepStrictEqual(await server.invoke({ plain: true }), {
      kind: "error",
      body: { errorType: "Runtime.HandlerError", errorMessage: "x" },
      errorType: "Runtime.HandlerError",
    }, "a plain Error is reported with Lambda's own handler error type");
    deepStrictEqual((await server.invoke({ n: 3 })).body, { echo: { n: 3 } });
    strictEqual(seen.length, 4);
    strictEqual(seen.every((s) => s.deadlineMs > Date.now() - 60_000), true);
  } finally {
    stop.abort();
    await loop;
    await server.close();
  }
});

Deno.test("runtime API: init errors are posted with their type", async () => {
  const server = await RuntimeApiServer.start();
  try {
    await new HttpRuntimeApi(server.host).initError({ errorType: "Runtime.ConfigError", errorMessage: "X: bad" });
    deepStrictEqual(server.initErrors, [{
      errorType: "Runtime.ConfigError",
      body: { errorType: "Runtime.ConfigError", errorMessage: "X: bad" },
    }]);
  } finally {
    await server.close();
  }
});

Deno.test("runtime loop throws when the Runtime API is gone", async () => {
  const server = await RuntimeApiServer.start();
  const host = server.host;
  await server.close();
  await rejects(runRuntimeLoop(new HttpRuntimeApi(host), () => Promise.resolve(null), { logger: silentLogger }));
});
