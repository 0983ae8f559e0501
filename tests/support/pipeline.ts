/**
 * The production pipeline built in-process against the proxy, for
 * integration tests that need many objects or fault injection without
 * paying a subprocess start each time.
 *
 * @module
 */
import { loadConfig } from "../../src/config.ts";
import { createPipeline, type Pipeline } from "../../src/pipeline/create_pipeline.ts";
import type { ObjectResult } from "../../src/results.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { type LocalAws, processorEnv } from "./fixtures.ts";

/** A pipeline wired to `aws` plus the log lines it wrote. */
export interface TestPipeline {
  readonly pipeline: Pipeline;
  readonly logs: Record<string, unknown>[];
  /** Processes one body and returns its object results. */
  run(body: string): Promise<readonly ObjectResult[]>;
}

/** Builds the real pipeline with `processorEnv(aws, extra)`; logs are captured, not printed. */
export function testPipeline(aws: LocalAws, extra: Record<string, string> = {}): TestPipeline {
  const env = processorEnv(aws, extra);
  // The SDK's default credential chain reads the process environment.
  Deno.env.set("AWS_ACCESS_KEY_ID", env.AWS_ACCESS_KEY_ID!);
  Deno.env.set("AWS_SECRET_ACCESS_KEY", env.AWS_SECRET_ACCESS_KEY!);
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger("debug", (line) => logs.push(JSON.parse(line)));
  const pipeline = createPipeline(loadConfig(env, "manual"), logger);
  return {
    pipeline,
    logs,
    run: async (body) => (await pipeline.processBody(body)).objects,
  };
}
