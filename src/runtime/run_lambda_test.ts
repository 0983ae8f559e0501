import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { RuntimeApiServer } from "../../tests/support/runtime_api_server.ts";
import { ConfigError } from "../errors.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { initErrorRuntimeApi } from "../config.ts";
import { reportInitError } from "./run_lambda.ts";

const err = new ConfigError("MAX_BATCH_SIZE", 'must be a whole number, got "x"');

Deno.test("init errors reach the Runtime API when the mode is, defaults to, or cannot be told from lambda", async () => {
  const server = await RuntimeApiServer.start();
  try {
    const api = { AWS_LAMBDA_RUNTIME_API: server.host };
    strictEqual(
      await reportInitError(err, { runtimeApi: initErrorRuntimeApi(undefined, api), logger: silentLogger }),
      true,
    );
    strictEqual(
      await reportInitError(err, { runtimeApi: initErrorRuntimeApi("lambda", api), logger: silentLogger }),
      true,
    );
    strictEqual(
      await reportInitError(err, {
        runtimeApi: initErrorRuntimeApi(undefined, { ...api, EXECUTION_MODE: "bogus" }),
        logger: silentLogger,
      }),
      true,
    );
    strictEqual(
      await reportInitError(err, { runtimeApi: initErrorRuntimeApi("sqs", api), logger: silentLogger }),
      false,
    );
    strictEqual(
      await reportInitError(err, {
        runtimeApi: initErrorRuntimeApi(undefined, { ...api, EXECUTION_MODE: "manual" }),
        logger: silentLogger,
      }),
      false,
    );
    strictEqual(
      await reportInitError(err, { runtimeApi: initErrorRuntimeApi("lambda", {}), logger: silentLogger }),
      false,
    );
    strictEqual(server.initErrors.length, 3);
    deepStrictEqual(server.initErrors[0], {
      errorType: "Runtime.ConfigError",
      body: { errorType: "Runtime.ConfigError", errorMessage: err.message },
    });
  } finally {
    await server.close();
  }
});
