/**
 * Every command a user meets answers `--help` (exit 0), reports a mistake in
 * one line naming it (exit 2 for usage errors), and never prints a stack
 * trace (issue 15, item 8) — also when AWS refuses: the log generator
 * without credentials or with a missing bucket.
 */
import assert from "node:assert/strict";
import { runDeno } from "../scripts/local_aws/processor_process.ts";
import { awsTest, processorEnv, uniq } from "./support/fixtures.ts";
import { ROOT } from "./support/tools.ts";

/** A command as users run it: a Deno entry (`deno task …` runs the same file) with leading arguments. */
interface Command {
  readonly name: string;
  readonly entry: string;
  readonly args: readonly string[];
}

const COMMANDS: Command[] = [
  { name: "log-processor", entry: "src/main.ts", args: [] },
  { name: "log-processor tenants add", entry: "src/main.ts", args: ["tenants", "add"] },
  { name: "log-processor replay", entry: "src/main.ts", args: ["replay"] },
  { name: "cloudformation/deploy.sh", entry: "scripts/deploy.ts", args: [] },
  { name: "scripts/generate_logs.ts", entry: "scripts/generate_logs.ts", args: [] },
  { name: "deno task compile", entry: "scripts/compile.ts", args: [] },
  { name: "deno task package:lambda", entry: "scripts/package_lambda.ts", args: [] },
  { name: "deno task demo", entry: "scripts/demo.ts", args: [] },
  { name: "deno task bench", entry: "bench/run.ts", args: [] },
  { name: "bench/worker_bench.ts", entry: "bench/worker_bench.ts", args: [] },
  { name: "bench/process_bench.ts", entry: "bench/process_bench.ts", args: [] },
  { name: "bench/progress_bench.ts", entry: "bench/progress_bench.ts", args: [] },
  { name: "deno task dashboards", entry: "scripts/render_dashboards.ts", args: [] },
  { name: "scripts/vector_local.sh", entry: "scripts/vector_local.ts", args: [] },
];

const STACK_FRAME = /^\s+at .*(:\d+:\d+\)?|\(native\))$/m;

function run(c: Command, args: string[], env: Record<string, string> = {}) {
  return runDeno(`${ROOT}${c.entry}`, [...c.args, ...args], { env: { AWS_EC2_METADATA_DISABLED: "true", ...env } });
}

for (const c of COMMANDS) {
  Deno.test(`${c.name} --help prints its usage and exits 0`, async () => {
    const help = await run(c, ["--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage:/m);
  });

  Deno.test(`${c.name} with an unknown flag: one line naming it, exit 2, no stack trace`, async () => {
    const bad = await run(c, ["--no-such-flag"]);
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    const lines = bad.stderr.trim().split("\n");
    assert.equal(lines.length, 1, bad.stderr);
    assert.match(lines[0] ?? "", /--no-such-flag/);
    assert.doesNotMatch(bad.stderr, STACK_FRAME);
  });
}

for (const c of COMMANDS.filter((c) => c.entry === "bench/run.ts" || c.entry === "bench/worker_bench.ts")) {
  Deno.test(`${c.name} --sqs with an unknown emulator: one line naming the choices, exit 2`, async () => {
    const bad = await run(c, ["--sqs", "localstack"]);
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.equal(bad.stderr.trim(), `${c.name}: --sqs must be one of elasticmq, moto (got "localstack")`);
  });

  Deno.test(`${c.name} --sqs elasticmq without ElasticMQ installed: says how to install it before running anything, exit 2`, async () => {
    const home = await Deno.makeTempDir();
    try {
      const bad = await run(c, ["--sqs", "elasticmq"], { ELASTICMQ_HOME: home });
      assert.equal(bad.code, 2, bad.stdout + bad.stderr);
      assert.equal(bad.stdout, "");
      assert.equal(
        bad.stderr.trim(),
        `${c.name}: ElasticMQ is not installed in ${home}: run ` +
          "bash scripts/local_aws/install_elasticmq.sh (Java 17+ and Maven), or pass --sqs moto",
      );
    } finally {
      await Deno.remove(home);
    }
  });
}

Deno.test("deno task test --help prints its usage without starting anything", async () => {
  const help = await runDeno(`${ROOT}scripts/run_tests.ts`, ["--help"], { env: {} });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: deno task test/);
});

awsTest(
  "the log generator without credentials or with a missing bucket: one line, exit 1, no stack trace",
  async (aws) => {
    const home = await Deno.makeTempDir();
    try {
      const s3 = ["--s3", "--bucket", aws.bucket, "--objects", "2", "--events-per-object", "5", "--tenants", "1"];
      const base = {
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL: aws.proxy.url,
        HOME: home,
        // Deno's own cache stays where it was.
        DENO_DIR: Deno.env.get("DENO_DIR") || `${Deno.env.get("HOME")}/.cache/deno`,
        AWS_EC2_METADATA_DISABLED: "true",
      };
      const noCredentials = await runDeno(`${ROOT}scripts/generate_logs.ts`, s3, { env: base });
      assert.equal(noCredentials.code, 1, noCredentials.stdout);
      assert.match(
        noCredentials.stderr,
        new RegExp(`generate_logs: cannot write to s3://${aws.bucket}: no AWS credentials \\(.*\\); set AWS_PROFILE`),
      );
      assert.doesNotMatch(noCredentials.stderr, STACK_FRAME);
      assert.equal(noCredentials.stderr.trim().split("\n").filter((l) => l.startsWith("generate_logs:")).length, 1);

      const missing = uniq("no-such-bucket");
      const withKeys = { ...base, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" };
      const noBucket = await runDeno(`${ROOT}scripts/generate_logs.ts`, [...s3, "--bucket", missing], {
        env: withKeys,
      });
      assert.equal(noBucket.code, 1);
      assert.match(noBucket.stderr, new RegExp(`generate_logs: cannot write to s3://${missing}: NoSuchBucket: `));
      assert.doesNotMatch(noBucket.stderr, STACK_FRAME);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
);

awsTest("the processor reports an unreachable AWS in one line, never a stack trace", async (aws) => {
  const env = processorEnv(aws, { AWS_ENDPOINT_URL: "http://127.0.0.1:1" });
  const run = await runDeno(`${ROOT}src/main.ts`, ["tenants", "list"], { env });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^tenants list: /);
  assert.doesNotMatch(run.stderr, STACK_FRAME);
});
