/**
 * Smoke test of `cloudformation/deploy.sh` against moto (through the proxy,
 * via AWS_ENDPOINT_URL), and of onboarding: `tenants add` → the customer
 * stack deployed in the customer's account → `tenants verify`.
 *
 * What moto cannot show, so this test does not claim it: moto's
 * CloudFormation skips AWS::S3::BucketPolicy, AWS::SNS::TopicPolicy,
 * AWS::SNS::Subscription, AWS::SQS::QueuePolicy and AWS::CloudWatch::Alarm;
 * of the bucket it applies the encryption but not NotificationConfiguration,
 * BucketKeyEnabled, versioning, lifecycle rules or the public access block;
 * of the tables not point-in-time recovery, SSE or the TTL attribute; resource Tags on a KMS key
 * break it (the key is tagged through stack tags). A queue with a Lambda
 * event source mapping would try to invoke the function in Docker, so no
 * message is sent here.
 * Those resources are checked statically in cloudformation_lint_test.ts
 * (and by cfn-lint/checkov); everything moto does model is asserted below.
 */
import assert from "node:assert/strict";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetFunctionConfigurationCommand, LambdaClient, ListEventSourceMappingsCommand } from "@aws-sdk/client-lambda";
import { CreateBucketCommand, GetBucketEncryptionCommand } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { StackDeployer } from "../src/aws/stack_deployer.ts";
import { lambdaZip } from "../scripts/package_lambda.ts";
import {
  accountClientConfig,
  type LocalAws,
  newCustomer,
  processorEnv,
  REGION,
  runProcessor,
  startLocalAws,
} from "./support/fixtures.ts";
import { ROOT } from "./support/tools.ts";

const FAKE = { accessKeyId: "testing", secretAccessKey: "testing" };

function deployEnv(aws: LocalAws): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: aws.proxy.url,
  };
}

async function deploySh(aws: LocalAws, args: string[]) {
  const out = await new Deno.Command("bash", {
    args: [`${ROOT}cloudformation/deploy.sh`, ...args],
    env: deployEnv(aws),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A fresh environment name (stack and resource names derive from it). */
function environment(): string {
  return `t${crypto.randomUUID().replace(/-/g, "").slice(0, 8)}`;
}

Deno.test({
  name: "deploy.sh deploys core, SQS and Lambda stacks in order into moto and wires their outputs",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const aws = await startLocalAws();
    const dir = await Deno.makeTempDir();
    const direct = { endpoint: aws.moto, region: REGION, credentials: FAKE, forcePathStyle: true };
    const iam = new IAMClient(direct);
    const sqs = new SQSClient(direct);
    const lambda = new LambdaClient(direct);
    try {
      const artifacts = `artifacts-${environment()}`;
      await aws.s3.send(new CreateBucketCommand({ Bucket: artifacts }));
      const zip = `${dir}/log-processor-lambda.zip`;
      await Deno.writeFile(zip, lambdaZip(new TextEncoder().encode("#!/bin/sh\n")));
      const env = environment();
      const args = [
        "--include-lambda",
        "--lambda-package",
        zip,
        "--artifact-bucket",
        artifacts,
        "--environment",
        env,
        "--lambda-timeout",
        "60",
        "--max-receive-count",
        "4",
        "--poll-seconds",
        "1",
      ];

      const dry = await deploySh(aws, [...args, "--dry-run"]);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /3\. mtl-.*-lambda/);
      assert.equal(aws.proxy.calls.length, 0, "a dry run calls nothing");

      const valid = await deploySh(aws, [...args, "--validate-only"]);
      assert.equal(valid.code, 0, valid.stderr);
      assert.deepEqual(valid.stdout.trim().split("\n"), [
        "valid: cloudformation/core.yaml",
        "valid: cloudformation/sqs.yaml",
        "valid: cloudformation/lambda.yaml",
      ]);
      assert.equal(aws.proxy.count("ValidateTemplate"), 3);
      assert.equal(aws.proxy.count("CreateStack"), 0);

      const run = await deploySh(aws, [...args, "--json"]);
      assert.equal(run.code, 0, run.stderr);
      const out = JSON.parse(run.stdout);
      assert.deepEqual(Object.keys(out), ["core", "sqs", "lambda"]);
      assert.equal(aws.proxy.count("CreateStack"), 3);
      assert.equal(aws.proxy.count("PutObject"), 1);
      const creates = aws.proxy.calls.filter((c) => c.operation === "CreateStack").map((c) =>
        c.params?.get("StackName")
      );
      assert.deepEqual(creates, [`mtl-${env}-core`, `mtl-${env}-sqs`, `mtl-${env}-lambda`]);
      assert.match(run.stderr, new RegExp(`deploy: mtl-${env}-lambda: CREATE_COMPLETE`));

      // Central bucket: SSE-KMS with the stack's key.
      const bucket = out.core.BucketName;
      assert.equal(bucket, `mtl-${env}-logs-123456789012-us-east-1`);
      const enc = await aws.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
      const rule = enc.ServerSideEncryptionConfiguration!.Rules![0];
      assert.equal(rule!.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, "aws:kms");
      assert.equal(rule!.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID, out.core.KmsKeyArn);

      // Tables: DESIGN 1.3 key schema on demand; delivery state keyed by pk.
      const table = await aws.dynamo.send(new DescribeTableCommand({ TableName: out.core.TenantTableName }));
      assert.deepEqual(table.Table?.KeySchema, [
        { AttributeName: "tenant_id", KeyType: "HASH" },
        { AttributeName: "delivery_id", KeyType: "RANGE" },
      ]);
      assert.equal(table.Table?.BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
      const state = await aws.dynamo.send(new DescribeTableCommand({ TableName: out.core.DeliveryStateTableName }));
      assert.deepEqual(state.Table?.KeySchema, [{ AttributeName: "pk", KeyType: "HASH" }]);

      // Roles: the central role may assume only pattern-named roles and only with an ExternalId.
      const centralName = out.core.CentralLogDistributionRoleArn.split("/").pop();
      const policy = await iam.send(
        new GetRolePolicyCommand({ RoleName: centralName, PolicyName: "assume-customer-roles" }),
      );
      // moto keeps a template's inline policy as a Python dict repr: single quotes instead of double.
      const statement = JSON.parse(decodeURIComponent(policy.PolicyDocument!).replace(/'/g, '"')).Statement[0];
      assert.deepEqual(statement.Condition, { Null: { "sts:ExternalId": "false" } });
      assert.equal(statement.Resource, "arn:aws:iam::*:role/CustomerLogDistribution*");
      const centralRole = await iam.send(new GetRoleCommand({ RoleName: centralName }));
      const trust = JSON.parse(decodeURIComponent(centralRole.Role!.AssumeRolePolicyDocument!));
      assert.equal(trust.Statement[0].Principal.AWS, out.core.ProcessorRoleArn);

      // Queue: visibility 6 x the function timeout, redrive to the DLQ after MaxReceiveCount.
      const attrs = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: `${aws.moto}/123456789012/${out.sqs.QueueName}`,
          AttributeNames: ["All"],
        }),
      );
      assert.equal(attrs.Attributes?.VisibilityTimeout, "360");
      assert.deepEqual(JSON.parse(attrs.Attributes!.RedrivePolicy!), {
        deadLetterTargetArn: out.sqs.DeadLetterQueueArn,
        maxReceiveCount: 4,
      });

      // Function: custom runtime from the uploaded zip, configured from the core stack, fed with partial batches.
      const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: out.lambda.FunctionName }));
      assert.equal(fn.Runtime, "provided.al2023");
      assert.equal(fn.Handler, "bootstrap");
      assert.equal(fn.Timeout, 60);
      assert.equal(fn.Role, out.core.ProcessorRoleArn);
      assert.deepEqual(
        {
          mode: fn.Environment?.Variables?.EXECUTION_MODE,
          table: fn.Environment?.Variables?.TENANT_CONFIG_TABLE,
          central: fn.Environment?.Variables?.CENTRAL_LOG_DISTRIBUTION_ROLE_ARN,
          state: fn.Environment?.Variables?.DELIVERY_STATE_TABLE,
        },
        {
          mode: "lambda",
          table: out.core.TenantTableName,
          central: out.core.CentralLogDistributionRoleArn,
          state: out.core.DeliveryStateTableName,
        },
      );
      const mappings = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: out.lambda.FunctionName }));
      assert.equal(mappings.EventSourceMappings?.length, 1);
      const mapping = mappings.EventSourceMappings![0];
      assert.equal(mapping!.EventSourceArn, out.sqs.QueueArn);
      assert.deepEqual(mapping!.FunctionResponseTypes, ["ReportBatchItemFailures"]);
      assert.equal(mapping!.BatchSize, 10);

      // Running it again updates the same stacks in place.
      const again = await deploySh(aws, args);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(aws.proxy.count("UpdateStack"), 3);
      assert.match(again.stdout, new RegExp(`TENANT_CONFIG_TABLE=${out.core.TenantTableName}`));
      assert.match(again.stdout, /SQS_QUEUE_URL=/);
    } finally {
      iam.destroy();
      sqs.destroy();
      lambda.destroy();
      await Deno.remove(dir, { recursive: true });
      await aws.close();
    }
  },
});

Deno.test({
  name: "onboarding: tenants add → customer stack in the customer account → tenants verify",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const aws = await startLocalAws();
    const customer = newCustomer(aws);
    const roleArn = `arn:aws:iam::${customer.account}:role/CustomerLogDistributionRole`;
    const config = await accountClientConfig(aws, customer.account);
    const cf = new CloudFormationClient(config);
    const iam = new IAMClient(config);
    try {
      const add = await runProcessor(
        [
          "tenants",
          "add",
          "--tenant",
          customer.tenantId,
          "--type",
          "cloudwatch",
          "--role-arn",
          roleArn,
          "--log-group",
          customer.logGroup,
          "--json",
        ],
        processorEnv(aws),
      );
      assert.equal(add.code, 0, add.stderr);
      const { item, customer_stack: stack } = add.results[0] as {
        item: { external_id: string };
        customer_stack: { stackName: string; account: string; parameters: Record<string, string> };
      };
      assert.equal(stack.account, customer.account);
      aws.proxy.requireExternalId(roleArn, item.external_id);

      // The customer runs the printed command; here the same template and parameters go in through the API.
      const deployer = new StackDeployer(cf, { pollMs: 200, log: () => {} });
      const result = await deployer.deploy({
        stackName: stack.stackName,
        templateBody: await Deno.readTextFile(`${ROOT}cloudformation/customer-log-distribution-role.yaml`),
        parameters: stack.parameters,
        tags: { Project: "log-distribution", Environment: "test" },
      });
      assert.equal(result.action, "created");
      assert.equal(result.outputs.RoleArn, roleArn);
      assert.equal(result.outputs.LogGroupName, customer.logGroup);
      const role = await iam.send(new GetRoleCommand({ RoleName: "CustomerLogDistributionRole" }));
      const trust = JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).Statement[0];
      assert.deepEqual(trust.Condition, { StringEquals: { "sts:ExternalId": item.external_id } });
      assert.equal(trust.Principal.AWS, processorEnv(aws).CENTRAL_LOG_DISTRIBUTION_ROLE_ARN);

      const verify = await runProcessor(["tenants", "verify", "--tenant", customer.tenantId], processorEnv(aws));
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      assert.match(verify.stdout, new RegExp(`destination reachable: log group ${customer.logGroup} exists`));
    } finally {
      cf.destroy();
      iam.destroy();
      await aws.close();
    }
  },
});
