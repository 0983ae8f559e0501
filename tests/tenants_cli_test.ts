/**
 * `log-processor tenants …` against moto through the proxy (which enforces
 * each customer's ExternalId, as real STS does and moto does not).
 */
import assert from "node:assert/strict";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { CreateLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import {
  asAccount,
  awsTest,
  CENTRAL_ROLE_ARN,
  cloudWatchItem,
  type LocalAws,
  newCustomer,
  processorEnv,
  putTenantItem,
  registerCluster,
  runProcessor,
  uniq,
} from "./support/fixtures.ts";

async function storedItem(aws: LocalAws, tenant: string, delivery: string) {
  const out = await aws.dynamo.send(
    new GetItemCommand({ TableName: aws.table, Key: marshall({ tenant_id: tenant, delivery_id: delivery }) }),
  );
  return out.Item ? unmarshall(out.Item) : undefined;
}

function tenants(aws: LocalAws, ...args: string[]) {
  return runProcessor(["tenants", ...args], processorEnv(aws));
}

awsTest(
  "tenants add writes a validated item with a generated ExternalId and prints the customer stack command",
  async (aws) => {
    const c = newCustomer(aws);
    const role = c.roleArn;
    const addDelivery = (type: string, ...extra: string[]) =>
      tenants(aws, "add", "--tenant", c.tenantId, "--type", type, "--role-arn", role, ...extra);
    const addCloudWatch = (...extra: string[]) => addDelivery("cloudwatch", ...extra);
    const add = await addCloudWatch("--log-group", c.logGroup, "--retention-days", "30");
    assert.equal(add.code, 0, add.stderr);
    const item = await storedItem(aws, c.tenantId, "cloudwatch");
    assert.ok(item);
    assert.match(item.external_id, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      { ...item, external_id: "x" },
      {
        tenant_id: c.tenantId,
        delivery_id: "cloudwatch",
        type: "cloudwatch",
        enabled: true,
        role_arn: role,
        external_id: "x",
        log_group_name: c.logGroup,
        retention_days: 30,
      },
    );
    assert.match(add.stdout, /\(generated; share it only with this customer\)/);
    assert.ok(add.stdout.includes(`aws cloudformation deploy \\\n  --stack-name log-distribution-${c.tenantId} \\`));
    assert.ok(add.stdout.includes(`    CentralLogDistributionRoleArn=${CENTRAL_ROLE_ARN} \\\n`));
    assert.ok(add.stdout.includes(`    ExternalId=${item.external_id} \\\n`));
    assert.ok(add.stdout.includes(`    RoleName=log-delivery \\\n`));
    assert.ok(add.stdout.includes(`    LogRetentionDays=30\n`));
    assert.match(add.stdout, new RegExp(`in account ${c.account}, region us-east-1`));
    // No cluster serves the tenant yet: its objects would be refused, and add says so.
    assert.match(add.stdout, new RegExp(`Warning: no cluster is registered for tenant "${c.tenantId}" yet`));

    // The same delivery again: refused; with --replace it keeps the ExternalId the customer already has.
    const again = await addCloudWatch("--log-group", c.logGroup);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /delivery "cloudwatch" of tenant "[^"]+" exists already; add --replace/);
    const replaced = await addCloudWatch("--log-group", `${c.logGroup}-v2`, "--replace");
    assert.equal(replaced.code, 0, replaced.stderr);
    const after = await storedItem(aws, c.tenantId, "cloudwatch");
    assert.equal(after?.external_id, item.external_id);
    assert.equal(after?.log_group_name, `${c.logGroup}-v2`);

    // A second delivery on the same role shares its ExternalId and the stack covers both.
    const registered = await registerCluster(aws, [c], { clusterId: uniq("c") });
    const s3 = await addDelivery(
      "s3",
      "--delivery",
      "archive",
      "--bucket",
      `${c.tenantId}-archive`,
      "--bucket-prefix",
      "k8s/",
      "--json",
    );
    assert.equal(s3.code, 0, s3.stderr);
    const out = s3.results[0] as {
      item: Record<string, unknown>;
      customer_stack: { parameters: Record<string, string> };
    };
    assert.equal(out.item.external_id, item.external_id);
    assert.deepEqual((s3.results[0] as { clusters: string[] }).clusters, [registered.clusterId]);
    assert.equal(out.customer_stack.parameters.BucketName, `${c.tenantId}-archive`);
    assert.equal(out.customer_stack.parameters.LogGroupPrefix, `${c.logGroup}-v2`);
    const differs = await addDelivery(
      "s3",
      "--delivery",
      "other",
      "--bucket",
      "other-bucket",
      "--external-id",
      "another-id",
    );
    assert.equal(differs.code, 2);
    assert.match(differs.stderr, /--external-id differs from delivery/);
  },
);

awsTest("tenants add refuses bad input with clear errors and writes nothing", async (aws) => {
  const tenant = uniq("bad");
  const run = await tenants(
    aws,
    "add",
    "--tenant",
    tenant,
    "--type",
    "cloudwatch",
    "--role-arn",
    "arn:aws:iam::123:role/x",
    "--region",
    "moon-1",
    "--log-group",
    "bad group",
  );
  assert.equal(run.code, 2);
  assert.match(run.stderr, /role_arn "arn:aws:iam::123:role\/x" is not an IAM role ARN \(--role-arn\)/);
  assert.match(run.stderr, /region "moon-1" is not a region name \(--region\)/);
  assert.match(run.stderr, /log_group_name "bad group" must be 1-512 characters .* \(--log-group\)/);
  const bucket = await tenants(
    aws,
    "add",
    "--tenant",
    tenant,
    "--type",
    "s3",
    "--role-arn",
    "arn:aws:iam::123456789012:role/x",
    "--bucket",
    "Not_A_Bucket",
  );
  assert.equal(bucket.code, 2);
  assert.match(bucket.stderr, /bucket_name "Not_A_Bucket" must be 3-63 characters .* \(--bucket\)/);
  assert.equal(await storedItem(aws, tenant, "cloudwatch"), undefined);
  const noTable = await runProcessor(["tenants", "list"], { ...processorEnv(aws), TENANT_CONFIG_TABLE: "" });
  assert.equal(noTable.code, 2);
  assert.match(noTable.stderr, /TENANT_CONFIG_TABLE: is required but not set/);
  const unknown = await tenants(aws, "frobnicate");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});

awsTest("tenants get, list and remove show and delete what the table holds", async (aws) => {
  const c = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(c));
  await putTenantItem(aws, { ...cloudWatchItem(c), delivery_id: "broken", role_arn: "not-an-arn" });
  const get = await tenants(aws, "get", "--tenant", c.tenantId, "--json");
  assert.equal(get.code, 0, get.stderr);
  assert.deepEqual(get.results.map((r) => [r.delivery_id, r.valid]), [["broken", false], ["cloudwatch", true]]);
  assert.match(String((get.results[0]!.problems as string[])[0]), /role_arn "not-an-arn" is not an IAM role ARN/);

  const list = await tenants(aws, "list", "--tenant", c.tenantId);
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.trim().split("\n");
  assert.match(lines[0]!, /^TENANT +DELIVERY +TYPE +ENABLED +ACCOUNT +DESTINATION +STATUS +CLUSTERS$/);
  assert.match(lines[1]!, new RegExp(`^${c.tenantId} +broken +cloudwatch .*invalid: role_arn`));
  assert.match(
    lines[2]!,
    new RegExp(
      `^${c.tenantId} +cloudwatch +cloudwatch +true +${c.account} +cloudwatch:${c.logGroup} +valid +\\(none registered\\)$`,
    ),
  );
  const all = await tenants(aws, "list", "--json");
  assert.ok(all.results.some((r) => r.tenant_id === c.tenantId && r.delivery_id === "cloudwatch"));

  const removed = await tenants(aws, "remove", "--tenant", c.tenantId, "--delivery", "broken");
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(await storedItem(aws, c.tenantId, "broken"), undefined);
  const twice = await tenants(aws, "remove", "--tenant", c.tenantId, "--delivery", "broken");
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /no delivery "broken"/);
  const needsWhich = await tenants(aws, "remove", "--tenant", c.tenantId);
  assert.equal(needsWhich.code, 2);
  const everything = await tenants(aws, "remove", "--tenant", c.tenantId, "--all");
  assert.equal(everything.code, 0, everything.stderr);
  const none = await tenants(aws, "get", "--tenant", c.tenantId);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no deliveries for tenant/);
});

awsTest("tenants verify walks the role chain with the ExternalId and reaches the destination", async (aws) => {
  const c = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(c));
  const before = await tenants(aws, "verify", "--tenant", c.tenantId, "--json");
  assert.equal(before.code, 0, before.stdout + before.stderr);
  const steps = before.results[0]!.steps as { step: string; status: string; detail: string }[];
  assert.deepEqual(steps.map((s) => s.status), ["ok", "ok", "ok", "ok"]);
  assert.match(steps[3]!.detail, /does not exist yet; the processor creates it/);
  const assumed = aws.proxy.calls.filter((call) => call.operation === "AssumeRole").map((call) => [
    call.params?.get("RoleArn"),
    call.params?.get("ExternalId"),
  ]);
  assert.deepEqual(assumed, [[CENTRAL_ROLE_ARN, null], [c.roleArn, c.externalId]]);

  const { logs } = await asAccount(aws, c.account);
  await logs.send(new CreateLogGroupCommand({ logGroupName: c.logGroup }));
  logs.destroy();
  const human = await tenants(aws, "verify", "--tenant", c.tenantId, "--delivery", "cloudwatch");
  assert.equal(human.code, 0);
  assert.match(human.stdout, new RegExp(`ok +destination reachable: log group ${c.logGroup} exists`));

  // A wrong ExternalId fails at the customer role (the proxy denies it as STS would).
  await putTenantItem(aws, cloudWatchItem(c, { delivery_id: "wrong-id", external_id: "not-the-customers-id" }));
  const wrong = await tenants(aws, "verify", "--tenant", c.tenantId, "--delivery", "wrong-id");
  assert.equal(wrong.code, 1);
  assert.match(wrong.stdout, /FAIL {2}assume customer role with ExternalId: .*AccessDenied/);
  assert.match(wrong.stdout, /skip {2}destination reachable: an earlier step failed/);

  // An S3 delivery whose bucket does not exist fails at the destination; once it exists it passes.
  const bucket = uniq("customer-bucket");
  await putTenantItem(aws, {
    ...cloudWatchItem(c),
    delivery_id: "archive",
    type: "s3",
    log_group_name: undefined,
    bucket_name: bucket,
    bucket_prefix: "logs/",
  });
  const missing = await tenants(aws, "verify", "--tenant", c.tenantId, "--delivery", "archive");
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, new RegExp(`FAIL {2}destination reachable: bucket ${bucket} does not exist`));
  const { s3 } = await asAccount(aws, c.account);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  const present = await tenants(aws, "verify", "--tenant", c.tenantId, "--delivery", "archive");
  assert.equal(present.code, 0, present.stdout);
  assert.match(present.stdout, new RegExp(`bucket ${bucket} is reachable under prefix "logs/"`));

  // The central role refused: the first chain step fails and names it.
  aws.proxy.inject({
    operation: "AssumeRole",
    status: 403,
    code: "AccessDenied",
    match: (call) => call.params?.get("RoleArn") === CENTRAL_ROLE_ARN,
  });
  const denied = await tenants(aws, "verify", "--tenant", c.tenantId, "--delivery", "cloudwatch");
  assert.equal(denied.code, 1);
  assert.match(
    denied.stdout,
    /FAIL {2}assume central role: Cannot assume role .*central-log-distribution: AccessDenied/,
  );
  assert.match(denied.stdout, /skip {2}assume customer role with ExternalId/);
});
