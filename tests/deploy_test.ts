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
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
} from "@aws-sdk/client-lambda";
import { CreateBucketCommand, GetBucketEncryptionCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { parseEnvText } from "../scripts/deploy/env_files.ts";
import { StackDeployer } from "../src/aws/stack_deployer.ts";
import { freePort } from "../scripts/local_aws/free_port.ts";
import { loadConfig } from "../src/config.ts";
import { kustomizeBuild, parseManifests, pick } from "./support/kustomize.ts";
import { lambdaZip } from "../scripts/package_lambda.ts";
import {
  accountClientConfig,
  awsTest,
  type LocalAws,
  newCustomer,
  processorEnv,
  REGION,
  runProcessor,
  startLocalAws,
} from "./support/fixtures.ts";
import { deploySh, environment } from "./support/deploy_sh.ts";
import { ROOT } from "./support/tools.ts";
import { motoClientConfig } from "../scripts/local_aws/account_clients.ts";

/** Calls that would change something in AWS (a dry run makes none but its own change sets, deleted again). */
function mutations(aws: LocalAws): string[] {
  const changing =
    /^(Create(Stack|Bucket)|UpdateStack|DeleteStack|ExecuteChangeSet|Put\w+|UpdateTerminationProtection)$/;
  return aws.proxy.calls.map((c) => c.operation).filter((op) => changing.test(op));
}

Deno.test({
  name: "deploy.sh deploys core, SQS and Lambda stacks in order into moto and wires their outputs",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const aws = await startLocalAws();
    const dir = await Deno.makeTempDir();
    const direct = motoClientConfig(aws.moto, REGION);
    const iam = new IAMClient(direct);
    const sqs = new SQSClient(direct);
    const lambda = new LambdaClient(direct);
    const cf = new CloudFormationClient(direct);
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
      assert.match(dry.stdout, new RegExp(`mtl-${env}-core: does not exist; would be created with 12 resources`));
      assert.match(dry.stdout, /Add {5}LogKey \(AWS::KMS::Key\)/);
      assert.match(dry.stdout, /would be uploaded/);
      assert.deepEqual(mutations(aws), [], "a dry run changes nothing");

      const valid = await deploySh(aws, [...args, "--validate-only"]);
      assert.equal(valid.code, 0, valid.stderr);
      assert.deepEqual(valid.stdout.trim().split("\n"), [
        "valid: cloudformation/core.yaml",
        "valid: cloudformation/sqs.yaml",
        "valid: cloudformation/lambda.yaml",
      ]);
      assert.equal(aws.proxy.count("ValidateTemplate"), 3);
      assert.equal(aws.proxy.count("CreateStack"), 0);

      const run = await deploySh(aws, [...args, "--json", "--termination-protection"]);
      assert.equal(run.code, 0, run.stderr);
      const out = JSON.parse(run.stdout);
      assert.deepEqual(Object.keys(out), ["core", "sqs", "lambda"]);
      assert.equal(aws.proxy.count("CreateStack"), 3);
      assert.equal(aws.proxy.count("PutObject"), 1);
      for (const kind of ["core", "sqs", "lambda"]) {
        const stack = await cf.send(new DescribeStacksCommand({ StackName: `mtl-${env}-${kind}` }));
        assert.equal(stack.Stacks?.[0]?.EnableTerminationProtection, true, `${kind} is protected`);
      }
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

      // Running it again updates the same stacks in place; the same build is not uploaded again.
      const again = await deploySh(aws, args);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(aws.proxy.count("UpdateStack"), 3);
      assert.equal(aws.proxy.count("PutObject"), 1);
      assert.match(again.stderr, /holds this build already/);
      assert.match(again.stdout, new RegExp(`TENANT_CONFIG_TABLE=${out.core.TenantTableName}`));
      assert.match(again.stdout, /SQS_QUEUE_URL=/);
    } finally {
      iam.destroy();
      sqs.destroy();
      lambda.destroy();
      cf.destroy();
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

/** A Lambda zip whose bootstrap says `text` (distinct text, distinct build). */
async function zipFile(dir: string, name: string, text: string): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeFile(path, lambdaZip(new TextEncoder().encode(`#!/bin/sh\n# ${text}\n`)));
  return path;
}

async function base64Sha256(path: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(path)));
  return btoa(String.fromCharCode(...digest));
}

awsTest(
  "a new Lambda build redeploys (content-addressed key, CodeSha256 changes); --dry-run previews with change sets",
  async (aws) => {
    const dir = await Deno.makeTempDir();
    const direct = motoClientConfig(aws.moto, REGION);
    const lambda = new LambdaClient(direct);
    const cf = new CloudFormationClient(direct);
    try {
      const env = environment();
      const artifacts = `artifacts-${env}`;
      const first = await zipFile(dir, "log-processor-lambda.zip", "build 1");
      const args = (zip: string, ...more: string[]) => [
        "--include-lambda",
        "--lambda-package",
        zip,
        "--artifact-bucket",
        artifacts,
        "--environment",
        env,
        "--poll-seconds",
        "1",
        ...more,
      ];

      // The artifact bucket must exist; the error names it and the flag that creates it.
      const missing = await deploySh(aws, args(first));
      assert.equal(missing.code, 1);
      assert.match(
        missing.stderr,
        new RegExp(
          `deploy failed: bucket "${artifacts}" does not exist in ${REGION}: create it, or add --create-artifact-bucket`,
        ),
      );
      assert.equal(aws.proxy.count("CreateStack"), 0, "nothing is deployed without the code");

      const created = await deploySh(aws, args(first, "--create-artifact-bucket", "--json"));
      assert.equal(created.code, 0, created.stderr);
      assert.equal(aws.proxy.count("CreateBucket"), 1);
      assert.equal(aws.proxy.count("PutPublicAccessBlock"), 1);
      const out = JSON.parse(created.stdout);
      const fn = () => lambda.send(new GetFunctionCommand({ FunctionName: out.lambda.FunctionName }));
      const before = await fn();
      assert.equal(before.Configuration?.CodeSha256, await base64Sha256(first));
      const firstKey = aws.proxy.calls.find((c) => c.operation === "PutObject")!.path;
      assert.match(firstKey, new RegExp(`^/${artifacts}/mtl/${env}/log-processor-lambda-[0-9a-f]{16}\\.zip$`));

      // A dry run of the next build after the SQS stack's template changed (here: it gained the age alarm).
      // moto diffs templates, not parameters, so the new key shows in the change set's input only.
      const deployer = new StackDeployer(cf, { pollMs: 200, log: () => {} });
      const sqsBody = await Deno.readTextFile(`${ROOT}cloudformation/sqs.yaml`);
      const older = sqsBody.slice(0, sqsBody.indexOf("  OldestMessageAgeAlarm:")) +
        sqsBody.slice(sqsBody.indexOf("Outputs:"));
      const sqsStack = (await cf.send(new DescribeStacksCommand({ StackName: `mtl-${env}-sqs` }))).Stacks![0];
      await deployer.deploy({
        stackName: `mtl-${env}-sqs`,
        templateBody: older,
        parameters: Object.fromEntries(sqsStack!.Parameters!.map((p) => [p.ParameterKey!, p.ParameterValue!])),
        tags: {},
      });
      const second = await zipFile(dir, "log-processor-lambda.zip", "build 2");
      aws.proxy.reset();
      const dry = await deploySh(aws, [...args(second), "--dry-run", "--json"]);
      assert.equal(dry.code, 0, dry.stderr);
      const report = JSON.parse(dry.stdout);
      assert.equal(report.dry_run, true);
      assert.deepEqual(report.package, {
        bucket: artifacts,
        key: report.package.key,
        upload: second,
        bucketExists: true,
        objectExists: false,
      });
      assert.notEqual(`/${artifacts}/${report.package.key}`, firstKey);
      const changes = Object.fromEntries(
        report.stacks.map((s: { stack: string; action: string; changes: { logical_id: string; action: string }[] }) => [
          s.stack.split("-").pop(),
          [s.action, ...s.changes.map((c) => `${c.action} ${c.logical_id}`)],
        ]),
      );
      assert.deepEqual(changes, { core: ["update"], sqs: ["update", "Add OldestMessageAgeAlarm"], lambda: ["update"] });
      const lambdaChangeSet = aws.proxy.calls.find((c) =>
        c.operation === "CreateChangeSet" && c.params?.get("StackName") === `mtl-${env}-lambda`
      )!;
      assert.ok([...lambdaChangeSet.params!.values()].includes(report.package.key), "the preview uses the new key");
      assert.equal(aws.proxy.count("CreateChangeSet"), 3);
      assert.equal(aws.proxy.count("DeleteChangeSet"), 3, "every preview change set is deleted");
      assert.deepEqual(mutations(aws), []);
      const text = await deploySh(aws, [...args(second), "--dry-run"]);
      assert.match(
        text.stdout,
        new RegExp(`mtl-${env}-sqs \\(UPDATE_COMPLETE\\): 1 change\\(s\\)\\n\\s+Add\\s+OldestMessageAgeAlarm`),
      );
      assert.match(text.stdout, new RegExp(`mtl-${env}-core \\(\\w+\\): no changes`));

      // The deploy itself: a new key, and the function runs the new build.
      const redeploy = await deploySh(aws, args(second));
      assert.equal(redeploy.code, 0, redeploy.stderr);
      const secondKey = aws.proxy.calls.filter((c) => c.operation === "PutObject").at(-1)!.path;
      assert.notEqual(secondKey, firstKey);
      const after = await fn();
      assert.equal(after.Configuration?.CodeSha256, await base64Sha256(second));
      assert.notEqual(after.Configuration?.CodeSha256, before.Configuration?.CodeSha256);
    } finally {
      lambda.destroy();
      cf.destroy();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

/** A copy of the repository's k8s/ in `dir` (so overlays still find their base). */
async function copyK8s(dir: string): Promise<string> {
  const run = await new Deno.Command("cp", { args: ["-r", `${ROOT}k8s`, `${dir}/k8s`] }).output();
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
  return `${dir}/k8s`;
}

awsTest(
  "--write-env writes the processor's env, its IRSA role and the agents' values of what was deployed",
  async (aws) => {
    const dir = await Deno.makeTempDir();
    const direct = motoClientConfig(aws.moto, REGION);
    const iam = new IAMClient(direct);
    const sqs = new SQSClient(direct);
    try {
      const k8s = await copyK8s(dir);
      const env = environment();
      const run = await deploySh(aws, [
        "--include-sqs",
        "--environment",
        env,
        "--poll-seconds",
        "1",
        "--write-env",
        "--processor-dir",
        `${k8s}/processor`,
        "--overlay",
        `${k8s}/overlays/example-cluster`,
      ]);
      assert.equal(run.code, 0, run.stderr);
      for (
        const f of ["processor/processor.env", "processor/aws-identity.env", "overlays/example-cluster/central.env"]
      ) {
        assert.match(run.stderr, new RegExp(`deploy: wrote ${k8s}/${f}`));
      }

      // processor.env: a valid sqs configuration whose every AWS name exists in the deployment.
      const text = await Deno.readTextFile(`${k8s}/processor/processor.env`);
      assert.match(text, /^# Shutdown: SHUTDOWN_GRACE_SECONDS/m, "its comments stay");
      const values = parseEnvText(text);
      assert.equal(values.SHUTDOWN_GRACE_SECONDS, "60", "its other settings stay");
      const config = loadConfig(values, "sqs");
      assert.equal(config.region, REGION);
      for (const table of [config.tenantTable, config.clusterTable, config.deliveryStateTable!]) {
        const t = await aws.dynamo.send(new DescribeTableCommand({ TableName: table }));
        assert.equal(t.Table?.TableStatus, "ACTIVE", table);
      }
      await aws.s3.send(new HeadBucketCommand({ Bucket: config.centralBucket! }));
      const queueName = config.queueUrl!.split("/").pop()!;
      assert.equal(queueName, `mtl-${env}-log-objects`);
      // The service the SQS stack's dashboard shows is the one the worker's EMF names.
      assert.equal(config.serviceName, `mtl-${env}-log-processor`);
      assert.equal(config.emfIntervalMs, 60_000, "processor.env turns the EMF output on");
      const attrs = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: `${aws.moto}/123456789012/${queueName}`,
          AttributeNames: ["QueueArn"],
        }),
      );
      assert.ok(attrs.Attributes?.QueueArn);
      const roleArn = async (arn: string) =>
        (await iam.send(new GetRoleCommand({ RoleName: arn.split("/").pop()! }))).Role!.Arn;
      assert.equal(await roleArn(config.centralRoleArn), config.centralRoleArn);

      // The processor runs with it: the tenant table it names is the deployed one.
      const list = await runProcessor(["tenants", "list", "--json"], {
        ...values,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_ENDPOINT_URL: aws.proxy.url,
      });
      assert.equal(list.code, 0, list.stderr);

      // The kustomizations render with those values: the processor's IRSA role, the agents' bucket and region.
      const processor = parseManifests(await kustomizeBuild(`${k8s}/processor`));
      const sa = pick(processor, "ServiceAccount", "log-processor") as unknown as {
        metadata: { annotations: Record<string, string> };
      };
      const processorRole = sa.metadata.annotations["eks.amazonaws.com/role-arn"];
      assert.equal(processorRole, `arn:aws:iam::123456789012:role/mtl-${env}-log-processor`);
      assert.equal(await roleArn(processorRole), processorRole);
      assert.equal(processor.filter((m) => m.kind === "ConfigMap").length, 1, "the identity map is build-time only");
      const agent = parseManifests(await kustomizeBuild(`${k8s}/overlays/example-cluster`));
      const params = pick(agent, "ConfigMap", "vector-params") as unknown as { data: Record<string, string> };
      assert.deepEqual(
        [params.data.bucket, params.data.region, params.data.cluster_id],
        [config.centralBucket, REGION, "prod-eu-1"],
      );
      assert.equal(
        params.data.writer_role_arn,
        "arn:aws:iam::123456789012:role/log-writer-prod-eu-1",
        "the cluster's own",
      );
    } finally {
      iam.destroy();
      sqs.destroy();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

awsTest(
  "deploy.sh: an unknown --parameter is named before any call; --json errors are JSON; usage errors exit 2",
  async (aws) => {
    const nope = await deploySh(aws, ["--parameter", "core.Nope=1"]);
    assert.equal(nope.code, 2);
    assert.match(
      nope.stderr,
      /^deploy: --parameter core\.Nope: cloudformation\/core\.yaml has no parameter "Nope" \(it has Project, /,
    );
    assert.doesNotMatch(nope.stderr, /\n\s+at /, "no stack trace");
    assert.equal(aws.proxy.calls.length, 0);

    const json = await deploySh(aws, ["--parameter", "sqs.Nope=1", "--include-sqs", "--json"]);
    assert.equal(json.code, 2);
    assert.equal(json.stdout, "", "stdout carries results only");
    const error = JSON.parse(json.stderr);
    assert.deepEqual([error.code, error.command], ["UsageError", "deploy"]);
    assert.match(error.error, /sqs\.Nope: cloudformation\/sqs\.yaml has no parameter "Nope"/);

    const bogus = await deploySh(aws, ["--bogus", "--json"]);
    assert.equal(bogus.code, 2);
    assert.match(JSON.parse(bogus.stderr).error, /Unknown option '--bogus'/);

    const both = await deploySh(aws, ["--write-env", "--dry-run"]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--write-env writes what a deploy made/);
  },
);

awsTest(
  "deploy.sh takes the AWS_PROFILE's region and AWS_ENDPOINT_URL_CLOUDFORMATION over AWS_ENDPOINT_URL",
  async (aws) => {
    const config = await Deno.makeTempFile();
    try {
      await Deno.writeTextFile(
        config,
        "[profile ops]\nregion = eu-west-3\naws_access_key_id = testing\naws_secret_access_key = testing\n",
      );
      const run = await deploySh(aws, ["--validate-only", "--json"], {
        AWS_REGION: undefined,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_PROFILE: "ops",
        AWS_CONFIG_FILE: config,
        AWS_ENDPOINT_URL: `http://127.0.0.1:${freePort()}`,
        AWS_ENDPOINT_URL_CLOUDFORMATION: aws.proxy.url,
      });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), { valid: ["cloudformation/core.yaml"] });
      assert.equal(aws.proxy.count("ValidateTemplate"), 1);
      assert.equal(aws.proxy.calls[0]?.region, "eu-west-3", "signed for the profile's region");
    } finally {
      await Deno.remove(config);
    }
  },
);
