/**
 * What the deploy prints: the dry-run plan, and after a deploy the values an
 * operator needs next. Pure: returns text.
 *
 * @module
 */
import type { DeployOptions } from "./deploy_args.ts";
import { describeParameter, type StackOutputs, type StackSpec } from "./stack_plan.ts";

/** The plan of a dry run. */
export function formatPlan(options: DeployOptions, stacks: readonly StackSpec[]): string {
  const lines = [`Plan for region ${options.region} (dry run: nothing is changed)`];
  const code = options.lambdaCode;
  if (code?.kind === "s3" && code.upload) {
    lines.push(`  upload ${code.upload.path} (sha256 ${code.upload.sha256}) to s3://${code.bucket}/${code.key}`);
  }
  stacks.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.stackName}  (${s.template})`);
    for (const [key, p] of Object.entries(s.parameters)) lines.push(`       ${key} = ${describeParameter(p)}`);
    lines.push(`       tags: ${Object.entries(s.tags).map(([k, x]) => `${k}=${x}`).join(" ")}`);
  });
  return lines.join("\n");
}

const ROWS: readonly (readonly [keyof StackOutputs, string, string, string?])[] = [
  ["core", "BucketName", "Central bucket", "CENTRAL_BUCKET"],
  ["core", "TenantTableName", "Tenant table", "TENANT_CONFIG_TABLE"],
  ["core", "ClusterTableName", "Cluster registry", "CLUSTER_TABLE"],
  ["core", "DeliveryStateTableName", "Delivery-state table", "DELIVERY_STATE_TABLE"],
  ["core", "CentralLogDistributionRoleArn", "Central role", "CENTRAL_LOG_DISTRIBUTION_ROLE_ARN"],
  ["core", "ProcessorRoleArn", "Processor role"],
  ["core", "TopicArn", "Notification topic"],
  ["core", "KmsKeyArn", "KMS key"],
  ["sqs", "QueueUrl", "Queue", "SQS_QUEUE_URL"],
  ["sqs", "DeadLetterQueueUrl", "Dead-letter queue"],
  ["lambda", "FunctionName", "Function"],
  ["lambda", "LogGroupName", "Function log group"],
];

/** The operator's next values after a successful deploy. */
export function formatSummary(options: DeployOptions, outputs: StackOutputs): string {
  const lines = [`Deployed to ${options.region}:`];
  for (const [stack, key, label, env] of ROWS) {
    const value = outputs[stack]?.[key];
    if (value === undefined) continue;
    lines.push(`  ${label.padEnd(22)} ${env ? `${env}=${value}` : value}`);
  }
  const core = outputs.core ?? {};
  lines.push(
    "",
    "Next:",
    "  - register each cluster (it gets its own writer role; its agents write nothing else):",
    `      CLUSTER_TABLE=${core.ClusterTableName ?? "…"} … log-processor clusters add --cluster <cluster_id> \\`,
    "      --tenants <customer_id,…> --principal-arn <the agents' base role> --deploy",
    `  - onboard a tenant: TENANT_CONFIG_TABLE=${core.TenantTableName ?? "…"} ` +
      `CENTRAL_LOG_DISTRIBUTION_ROLE_ARN=${core.CentralLogDistributionRoleArn ?? "…"} AWS_REGION=${options.region} \\`,
    "      log-processor tenants add --tenant <customer_id> --type cloudwatch --role-arn <customer role ARN> \\",
    "      --log-group <group>",
  );
  if (!outputs.sqs) {
    lines.push("  - deploy again with --include-sqs (SQS worker) or --include-lambda to process objects");
  } else if (!outputs.lambda) lines.push("  - run the SQS worker: EXECUTION_MODE=sqs with SQS_QUEUE_URL above");
  return lines.join("\n");
}
