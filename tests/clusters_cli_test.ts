/**
 * `log-processor clusters …` against moto, as an operator runs it: the
 * writer stack deployed through CloudFormation, the role's id resolved
 * through IAM, the registry item the processor reads, and `verify` catching
 * a role, a policy or a registry item that drifted apart.
 */
import assert from "node:assert/strict";
import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { PutBucketEncryptionCommand } from "@aws-sdk/client-s3";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { motoClientConfig } from "../scripts/local_aws/account_clients.ts";
import {
  awsTest,
  CENTRAL_ACCOUNT,
  cloudWatchItem,
  type LocalAws,
  newCustomer,
  processorEnv,
  putTenantItem,
  REGION,
  runProcessor,
  uniq,
} from "./support/fixtures.ts";

const AGENT = "arn:aws:iam::210987654321:role/vector-agent";

function clusters(aws: LocalAws, ...args: string[]) {
  return runProcessor(["clusters", ...args], processorEnv(aws, { CENTRAL_BUCKET: aws.bucket }));
}

async function storedCluster(aws: LocalAws, clusterId: string) {
  const out = await aws.dynamo.send(
    new GetItemCommand({ TableName: aws.clusterTable, Key: marshall({ cluster_id: clusterId }) }),
  );
  return out.Item ? unmarshall(out.Item) : undefined;
}

/** The checks of a `verify --json` line that failed, as "check: detail". */
const failedChecks = (line: Record<string, unknown>) =>
  (line.checks as { check: string; ok: boolean; detail: string }[]).filter((c) => !c.ok).map((c) =>
    `${c.check}: ${c.detail}`
  );

awsTest(
  "clusters add deploys the writer stack, registers the role's id and prints the overlay; verify agrees",
  async (aws) => {
    const iam = new IAMClient(motoClientConfig(aws.moto, REGION));
    try {
      // The central bucket is SSE-KMS, as core.yaml makes it: the writer stack gets the key from it.
      const keyArn = `arn:aws:kms:${REGION}:${CENTRAL_ACCOUNT}:key/${crypto.randomUUID()}`;
      await aws.s3.send(
        new PutBucketEncryptionCommand({
          Bucket: aws.bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyArn } }],
          },
        }),
      );
      const acme = newCustomer(aws);
      await putTenantItem(aws, cloudWatchItem(acme));
      const globex = uniq("globex");
      const id = uniq("prod");
      const tenants = [acme.tenantId, globex].join(",");
      const add = (...extra: string[]) =>
        clusters(aws, "add", "--cluster", id, "--tenants", tenants, "--principal-arn", AGENT, ...extra);

      // Without --deploy the role does not exist yet: nothing is registered, the stack to deploy is printed.
      const first = await add();
      assert.equal(first.code, 1, first.stderr);
      assert.match(first.stderr, new RegExp(`Cluster "${id}" is not registered: IAM has no role log-writer-${id}`));
      assert.ok(first.stderr.includes(`aws cloudformation deploy \\\n  --stack-name log-writer-${id} \\`));
      assert.ok(first.stderr.includes(`    KmsKeyArn=${keyArn} \\\n`), first.stderr);
      assert.equal(await storedCluster(aws, id), undefined);

      const deployed = await add("--deploy");
      assert.equal(deployed.code, 0, deployed.stderr);
      const role = (await iam.send(new GetRoleCommand({ RoleName: `log-writer-${id}` }))).Role!;
      const item = await storedCluster(aws, id);
      assert.deepEqual({ ...item, updated_at: "t" }, {
        cluster_id: id,
        tenants: new Set([acme.tenantId, globex]),
        writer_role_arn: `arn:aws:iam::${CENTRAL_ACCOUNT}:role/log-writer-${id}`,
        writer_role_id: role.RoleId,
        enabled: true,
        updated_at: "t",
      });
      assert.match(deployed.stdout, new RegExp(`Registered cluster "${id}" in table ${aws.clusterTable}:`));
      assert.match(deployed.stdout, new RegExp(`Writer stack log-writer-${id}: created\\.`));
      for (
        const line of [
          `  - cluster_id=${id}`,
          `  - allowed_customer_ids=${[acme.tenantId, globex].sort().join(",")}`,
          `  - bucket=${aws.bucket}`,
          `  - region=${REGION}`,
          `  - writer_role_arn=${role.Arn}`,
        ]
      ) assert.ok(deployed.stdout.includes(`${line}\n`), `${line} in:\n${deployed.stdout}`);
      assert.match(deployed.stdout, new RegExp(`Warning: tenant "${globex}" has no delivery in ${aws.table} yet`));
      assert.ok(!deployed.stdout.includes(`tenant "${acme.tenantId}" has no delivery`));

      const again = await add("--deploy");
      assert.equal(again.code, 1);
      assert.match(again.stderr, new RegExp(`cluster "${id}" is registered already; add --replace to change it`));

      const verify = await clusters(aws, "verify", "--cluster", id, "--json");
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      assert.deepEqual(failedChecks(verify.results[0]!), []);
      const human = await clusters(aws, "verify", "--cluster", id);
      assert.match(human.stdout, new RegExp(`^cluster ${id}: ok$`, "m"));
      assert.match(human.stdout, new RegExp(`ok {3}trust: assumed by AWS ${AGENT}`));

      // A grant added by hand beside the stack is caught; so is a registry that lists a tenant the policy lacks.
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: role.RoleName!,
          PolicyName: "hand-made",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${aws.bucket}/*` }],
          }),
        }),
      );
      const widened = await clusters(aws, "verify", "--cluster", id, "--json");
      assert.equal(widened.code, 1);
      assert.deepEqual(failedChecks(widened.results[0]!), [
        `other grants: grants more than a writer needs: hand-made: s3:getobject on arn:aws:s3:::${aws.bucket}/*`,
      ]);
      await iam.send(new DeleteRolePolicyCommand({ RoleName: role.RoleName!, PolicyName: "hand-made" }));
      const initech = uniq("initech");
      const registryOnly = await clusters(
        aws,
        "add",
        "--cluster",
        id,
        "--tenants",
        `${tenants},${initech}`,
        "--role-arn",
        role.Arn!,
        "--replace",
      );
      assert.equal(registryOnly.code, 0, registryOnly.stderr);
      const drifted = await clusters(aws, "verify", "--cluster", id, "--json");
      assert.equal(drifted.code, 1);
      assert.deepEqual(failedChecks(drifted.results[0]!).map((f) => f.split(":")[0]), ["object grants", "stack"]);
      assert.match(
        failedChecks(drifted.results[0]!)[0]!,
        new RegExp(
          `lacks registered prefixes \\(their writes are denied\\): arn:aws:s3:::${aws.bucket}/${initech}/${id}/\\*`,
        ),
      );
      // Redeploying with the new tenant list brings stack, role and registry back together.
      const updated = await clusters(
        aws,
        "add",
        "--cluster",
        id,
        "--tenants",
        `${tenants},${initech}`,
        "--principal-arn",
        AGENT,
        "--replace",
        "--deploy",
        "--json",
      );
      assert.equal(updated.code, 0, updated.stderr);
      assert.deepEqual(updated.results[0]!.deployed, { stack_name: `log-writer-${id}`, action: "updated" });
      const fixed = await clusters(aws, "verify", "--cluster", id, "--json");
      assert.deepEqual(failedChecks(fixed.results[0]!), []);
      assert.equal(fixed.code, 0);
    } finally {
      iam.destroy();
    }
  },
);

awsTest("a role recreated under the same name, or made without the stack, fails verify", async (aws) => {
  const iam = new IAMClient(motoClientConfig(aws.moto, REGION));
  try {
    const id = uniq("edge");
    const roleName = `hand-made-${id}`;
    const made = await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    const add = await clusters(aws, "add", "--cluster", id, "--tenants", "acme", "--role-arn", made.Role!.Arn!);
    assert.equal(add.code, 0, add.stderr);
    assert.ok(!add.stdout.includes("aws cloudformation deploy"), "no stack for a role made elsewhere");
    const verify = await clusters(aws, "verify", "--cluster", id, "--json");
    assert.equal(verify.code, 1);
    assert.deepEqual(failedChecks(verify.results[0]!), [
      'trust: the trust policy is too wide: AWS "*" may assume it',
      `object grants: lacks registered prefixes (their writes are denied): arn:aws:s3:::${aws.bucket}/acme/${id}/*`,
    ]);
    assert.match(
      (verify.results[0]!.checks as { check: string; detail: string }[]).at(-1)!.detail,
      /no writer stack found/,
    );
    // The registry holds an id IAM no longer has for that name: the processor would refuse every object.
    const stale = await clusters(aws, "add", "--cluster", id, "--tenants", "acme", "--role-arn", made.Role!.Arn!);
    assert.equal(stale.code, 1, "registered already");
    const item = (await storedCluster(aws, id))!;
    await putRaw(aws, { ...item, writer_role_id: "AROAEXAMPLEGONE000001" });
    const recreated = await clusters(aws, "verify", "--cluster", id, "--json");
    assert.match(
      failedChecks(recreated.results[0]!)[0]!,
      /^role: IAM says .* has id AROA\w+; the registry says .*re-register/,
    );
  } finally {
    iam.destroy();
  }
});

async function putRaw(aws: LocalAws, item: Record<string, unknown>): Promise<void> {
  await aws.dynamo.send(new PutItemCommand({ TableName: aws.clusterTable, Item: marshall(item) }));
}

awsTest("clusters get, list, disable, enable and remove; tenants list shows each tenant's clusters", async (aws) => {
  const iam = new IAMClient(motoClientConfig(aws.moto, REGION));
  try {
    const c = newCustomer(aws);
    await putTenantItem(aws, cloudWatchItem(c));
    const ids = [uniq("a"), uniq("b")];
    for (const id of ids) {
      const role = await iam.send(
        new CreateRoleCommand({ RoleName: `w-${id}`, AssumeRolePolicyDocument: JSON.stringify({ Statement: [] }) }),
      );
      const add = await clusters(aws, "add", "--cluster", id, "--tenants", c.tenantId, "--role-arn", role.Role!.Arn!);
      assert.equal(add.code, 0, add.stderr);
    }
    await putRaw(aws, { cluster_id: "broken", tenants: new Set(["x"]), writer_role_arn: "nope" });

    const get = await clusters(aws, "get", "--cluster", ids[0]!, "--json");
    assert.equal(get.code, 0, get.stderr);
    assert.deepEqual(get.results[0]!.tenants, [c.tenantId]);
    assert.equal(get.results[0]!.valid, true);
    const broken = await clusters(aws, "get", "--cluster", "broken", "--json");
    assert.deepEqual(broken.results[0]!.problems, [
      'writer_role_arn "nope" is not an IAM role ARN',
      "writer_role_id is required",
    ]);

    const list = await clusters(aws, "list");
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trim().split("\n");
    assert.match(lines[0]!, /^CLUSTER +ENABLED +TENANTS +WRITER ROLE +STATUS$/);
    assert.match(lines.find((l) => l.startsWith("broken"))!, /invalid: writer_role_arn "nope" is not an IAM role ARN/);
    assert.match(
      lines.find((l) => l.startsWith(ids[0]!))!,
      new RegExp(`true +${c.tenantId} +arn:.*w-${ids[0]} +valid$`),
    );
    const forTenant = await clusters(aws, "list", "--tenant", c.tenantId, "--json");
    assert.deepEqual(forTenant.results.map((r) => r.cluster_id), ids);

    const tenantsList = await runProcessor(["tenants", "list", "--tenant", c.tenantId], processorEnv(aws));
    assert.equal(tenantsList.code, 0, tenantsList.stderr);
    assert.match(tenantsList.stdout.split("\n")[0]!, / CLUSTERS$/);
    assert.match(tenantsList.stdout.split("\n")[1]!, new RegExp(` ${ids.join(",")}$`));
    const tenantsJson = await runProcessor(["tenants", "list", "--tenant", c.tenantId, "--json"], processorEnv(aws));
    assert.deepEqual(tenantsJson.results[0]!.clusters, ids);

    const disabled = await clusters(aws, "disable", "--cluster", ids[1]!);
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.match(disabled.stdout, /is disabled: processors refuse its objects within CLUSTER_CACHE_TTL_SECONDS/);
    assert.equal((await storedCluster(aws, ids[1]!))?.enabled, false);
    await clusters(aws, "enable", "--cluster", ids[1]!);
    assert.equal((await storedCluster(aws, ids[1]!))?.enabled, true);

    const removed = await clusters(aws, "remove", "--cluster", ids[1]!);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, new RegExp(`aws cloudformation delete-stack --stack-name log-writer-${ids[1]}`));
    assert.equal(await storedCluster(aws, ids[1]!), undefined);
    const twice = await clusters(aws, "remove", "--cluster", ids[1]!);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /is not registered/);
  } finally {
    iam.destroy();
  }
});

awsTest("clusters refuses bad input with exit 2 and registers nothing", async (aws) => {
  const id = uniq("bad");
  const cases: [string[], RegExp][] = [
    [["add", "--cluster", id], /--tenants is required/],
    [["add", "--cluster", "a/b", "--tenants", "acme", "--principal-arn", AGENT], /cluster_id "a\/b" is not a valid/],
    [["add", "--cluster", id, "--tenants", "acme"], /who are the cluster's agents\?/],
    [
      ["add", "--cluster", id, "--tenants", "acme", "--principal-arn", AGENT, "--eks-cluster-arn", "arn:x"],
      /give one of --principal-arn, --oidc-provider-arn and --eks-cluster-arn/,
    ],
    [
      [
        "add",
        "--cluster",
        id,
        "--tenants",
        Array.from({ length: 21 }, (_, i) => `t${i}`).join(","),
        "--principal-arn",
        AGENT,
      ],
      /has 21 tenants; a writer stack grants at most 20/,
    ],
    [["verify", "--stack-name", "x"], /--stack-name needs --cluster/],
    [["frobnicate"], /unknown command "frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const run = await clusters(aws, ...args);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
  assert.equal(await storedCluster(aws, id), undefined);
  const noTable = await runProcessor(["clusters", "list"], { ...processorEnv(aws), CLUSTER_TABLE: "" });
  assert.equal(noTable.code, 2);
  assert.match(noTable.stderr, /CLUSTER_TABLE: is required but not set/);
});
