import assert from "node:assert/strict";
import { LAMBDA_NUMBER_BOUNDS, parseDeployArgs } from "./deploy_args.ts";
import { formatPlan, formatSummary } from "./deploy_summary.ts";
import { planStacks, resolveParameters } from "./stack_plan.ts";
import { loadTemplate, ROOT } from "../../tests/support/tools.ts";

function plan(...args: string[]) {
  const parsed = parseDeployArgs(args, { AWS_REGION: "eu-west-1" });
  assert.ok(!parsed.help);
  return { options: parsed.options, stacks: planStacks(parsed.options) };
}

const ALL = ["--include-lambda", "--lambda-package", "s3://code-bkt/lp.zip", "--lambda-timeout", "120"];

Deno.test("stacks deploy in order core, sqs, lambda with Project/Environment tags", () => {
  assert.deepEqual(plan().stacks.map((s) => s.stackName), ["mtl-dev-core"]);
  assert.deepEqual(plan("--include-sqs").stacks.map((s) => s.kind), ["core", "sqs"]);
  const { stacks } = plan(...ALL, "--stack-name", "logs");
  assert.deepEqual(stacks.map((s) => s.stackName), ["logs-core", "logs-sqs", "logs-lambda"]);
  for (const s of stacks) {
    assert.deepEqual(s.tags, { Project: "mtl", Environment: "dev", ManagedBy: "log-processor-deploy" });
  }
});

Deno.test("the queue's visibility timeout is six times the function timeout", () => {
  const { stacks } = plan(...ALL);
  assert.deepEqual(stacks[1]!.parameters.VisibilityTimeoutSeconds, { value: "720" });
  assert.deepEqual(stacks[2]!.parameters.TimeoutSeconds, { value: "120" });
  assert.equal(plan("--include-sqs").stacks[1]!.parameters.VisibilityTimeoutSeconds, undefined);
});

Deno.test("outputs are wired into the next stacks; a missing output is a clear error", () => {
  const { stacks } = plan(...ALL);
  const outputs = {
    core: {
      TopicArn: "arn:topic",
      KmsKeyArn: "arn:key",
      ProcessorRoleName: "proc",
      ProcessorRoleArn: "arn:proc",
      TenantTableName: "tenants",
      ClusterTableName: "clusters",
      DeliveryStateTableName: "state",
      CentralLogDistributionRoleArn: "arn:central",
      BucketName: "central-bucket",
    },
    sqs: { QueueArn: "arn:queue" },
  };
  const sqs = resolveParameters(stacks[1]!, outputs);
  assert.deepEqual([sqs.TopicArn, sqs.KmsKeyArn, sqs.ProcessorRoleName], ["arn:topic", "arn:key", "proc"]);
  const lambda = resolveParameters(stacks[2]!, outputs);
  assert.equal(lambda.QueueArn, "arn:queue");
  assert.equal(lambda.ClusterTableName, "clusters");
  assert.equal(lambda.CodeS3Bucket, "code-bkt");
  assert.equal(lambda.ImageUri, "");
  assert.throws(() => resolveParameters(stacks[2]!, { core: outputs.core }), /needs output QueueArn of the sqs stack/);
});

Deno.test("every planned parameter exists in its template and every required one is given", async () => {
  const { stacks } = plan(
    ...ALL,
    "--processor-service-account",
    "logging:log-processor",
    "--alarm-topic-arn",
    "arn:aws:sns:eu-west-1:123456789012:ops",
  );
  for (const s of stacks) {
    const t = await loadTemplate(`${ROOT}${s.template}`);
    for (const key of Object.keys(s.parameters)) assert.ok(key in t.Parameters, `${s.template} has no ${key}`);
    for (const [key, p] of Object.entries(t.Parameters as Record<string, { Default?: unknown }>)) {
      if (!("Default" in p)) assert.ok(key in s.parameters, `${s.template}: required ${key} is not planned`);
    }
  }
});

Deno.test("the dry-run plan and the summary show what the operator needs", () => {
  const { options, stacks } = plan(...ALL);
  const text = formatPlan(options, stacks);
  assert.match(text, /^Plan for region eu-west-1 \(dry run: nothing is changed\)/);
  assert.match(text, /3\. mtl-dev-lambda {2}\(cloudformation\/lambda\.yaml\)/);
  assert.match(text, /QueueArn = <sqs stack output QueueArn>/);
  const summary = formatSummary(options, {
    core: { BucketName: "b", TenantTableName: "t", CentralLogDistributionRoleArn: "arn:c" },
    sqs: { QueueUrl: "https://q" },
  });
  assert.match(summary, /CENTRAL_BUCKET=b/);
  assert.match(summary, /TENANT_CONFIG_TABLE=t/);
  assert.match(summary, /SQS_QUEUE_URL=https:\/\/q/);
  assert.match(summary, /run the SQS worker/);
});

Deno.test("the deploy script checks the event source mapping's numbers with lambda.yaml's own bounds", async () => {
  const t = await loadTemplate(`${ROOT}cloudformation/lambda.yaml`);
  for (const [key, [flag, min, max]] of Object.entries(LAMBDA_NUMBER_BOUNDS)) {
    const p = t.Parameters[key] as { MinValue?: number; MaxValue?: number };
    assert.deepEqual([p.MinValue, p.MaxValue], [min, max], `--${flag} vs lambda.yaml ${key}`);
  }
  const { stacks } = plan(...ALL, "--max-concurrency", "40", "--batching-window", "20");
  assert.deepEqual(stacks[2]!.parameters.MaximumConcurrency, { value: "40" });
  assert.deepEqual(stacks[2]!.parameters.MaximumBatchingWindowInSeconds, { value: "20" });
});
