import assert from "node:assert/strict";
import { agentEnvValues, parseEnvText, processorEnvValues, updateEnvText } from "./env_files.ts";

const CORE = {
  BucketName: "mtl-prod-logs-123456789012-eu-west-1",
  TenantTableName: "mtl-prod-tenants",
  DeliveryStateTableName: "mtl-prod-delivery-state",
  CentralLogDistributionRoleArn: "arn:aws:iam::123456789012:role/mtl-prod-central-log-distribution",
  ClusterTableName: "mtl-prod-clusters",
  ProcessorRoleArn: "arn:aws:iam::123456789012:role/mtl-prod-log-processor",
};

Deno.test("updating an env file replaces known keys in place and keeps comments and the other settings", () => {
  const text = "# header\nEXECUTION_MODE=sqs\nAWS_REGION=eu-west-1\n# tuning\nCONCURRENCY=8\n";
  const out = updateEnvText(text, { AWS_REGION: "us-east-2", TENANT_CONFIG_TABLE: "t" });
  assert.equal(
    out,
    "# header\nEXECUTION_MODE=sqs\nAWS_REGION=us-east-2\n# tuning\nCONCURRENCY=8\nTENANT_CONFIG_TABLE=t\n",
  );
  assert.deepEqual(parseEnvText(out), {
    EXECUTION_MODE: "sqs",
    AWS_REGION: "us-east-2",
    CONCURRENCY: "8",
    TENANT_CONFIG_TABLE: "t",
  });
  assert.equal(updateEnvText("", { a: "1" }), "a=1\n");
});

Deno.test("the processor's values come from the core and SQS outputs; the queue and service only with the SQS stack", () => {
  const sqs = {
    QueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/mtl-prod-log-objects",
    ServiceName: "mtl-prod-log-processor",
  };
  assert.deepEqual(processorEnvValues("eu-west-1", { core: CORE, sqs }), {
    AWS_REGION: "eu-west-1",
    TENANT_CONFIG_TABLE: "mtl-prod-tenants",
    CLUSTER_TABLE: "mtl-prod-clusters",
    CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: CORE.CentralLogDistributionRoleArn,
    CENTRAL_BUCKET: CORE.BucketName,
    DELIVERY_STATE_TABLE: "mtl-prod-delivery-state",
    SQS_QUEUE_URL: sqs.QueueUrl,
    POWERTOOLS_SERVICE_NAME: "mtl-prod-log-processor",
  });
  assert.equal(processorEnvValues("eu-west-1", { core: CORE }).SQS_QUEUE_URL, undefined);
  assert.equal(processorEnvValues("eu-west-1", { core: CORE }).POWERTOOLS_SERVICE_NAME, undefined);
  assert.throws(() => processorEnvValues("eu-west-1", {}), /lack what TENANT_CONFIG_TABLE/);
  assert.deepEqual(agentEnvValues("eu-west-1", { core: CORE }), {
    bucket: CORE.BucketName,
    region: "eu-west-1",
  });
});
