/**
 * The IAM half of the tenant boundary, enforced: a moto of its own that
 * checks every request against IAM once the setup is done (moto's
 * INITIAL_NO_AUTH_ACTION_COUNT, see tests/support/moto.ts). Two clusters'
 * writer stacks are deployed exactly as `clusters add` renders them; then,
 * with real STS credentials of each writer role, cluster A may write
 * `acme/A/…` and is denied `acme/B/…` and `globex/A/…` (globex is not one
 * of A's tenants), may not read, list or delete, and neither agent can
 * assume the other cluster's role.
 */
import assert from "node:assert/strict";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { type AccountCredentials, motoClientConfig } from "../scripts/local_aws/account_clients.ts";
import { StackDeployer } from "../src/aws/stack_deployer.ts";
import { WRITER_TEMPLATE, writerStack } from "../src/cli/writer_stack.ts";
import { CENTRAL_ACCOUNT, REGION } from "./support/fixtures.ts";
import { startIamEnforcingMoto } from "./support/moto.ts";
import { ROOT } from "./support/tools.ts";

const BUCKET = "central-logs-iam";

/** An IAM user standing in for a cluster's agent identity, allowed to assume writer roles. */
async function agentUser(iam: IAMClient, name: string): Promise<{ arn: string; credentials: AccountCredentials }> {
  const user = await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: name,
      PolicyName: "assume-writer-roles",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: `arn:aws:iam::${CENTRAL_ACCOUNT}:role/log-writer-*`,
        }],
      }),
    }),
  );
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return {
    arn: user.User!.Arn!,
    credentials: { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! },
  };
}

/** Resolves to "allowed", or to the error name the call failed with. */
async function attempt(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "allowed";
  } catch (err) {
    return err instanceof Error ? err.name : String(err);
  }
}

Deno.test({
  name: "writer roles under IAM enforcement: each cluster writes only its tenants' prefixes of its own cluster_id",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const moto = await startIamEnforcingMoto();
    const admin = motoClientConfig(moto.url, REGION);
    const iam = new IAMClient(admin);
    const s3 = new S3Client(admin);
    const cf = new CloudFormationClient(admin);
    const clients: { destroy(): void }[] = [iam, s3, cf];
    try {
      // Setup, before enforcement: the bucket, two agents and each cluster's writer stack as `clusters add` renders it.
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      const agentA = await agentUser(iam, "agent-a");
      const agentB = await agentUser(iam, "agent-b");
      const auditor = await agentUser(iam, "auditor");
      await iam.send(
        new PutUserPolicyCommand({
          UserName: "auditor",
          PolicyName: "read-bucket",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${BUCKET}` }],
          }),
        }),
      );
      const deployer = new StackDeployer(cf, { pollMs: 100, log: () => {} });
      const template = await Deno.readTextFile(`${ROOT}${WRITER_TEMPLATE}`);
      const stacks = {
        A: writerStack({
          clusterId: "A",
          tenants: ["acme"],
          bucket: BUCKET,
          trust: { kind: "principal", principalArn: agentA.arn },
          account: CENTRAL_ACCOUNT,
          partition: "aws",
          region: REGION,
        }),
        B: writerStack({
          clusterId: "B",
          tenants: ["acme", "globex"],
          bucket: BUCKET,
          trust: { kind: "principal", principalArn: agentB.arn },
          account: CENTRAL_ACCOUNT,
          partition: "aws",
          region: REGION,
        }),
      };
      for (const s of Object.values(stacks)) {
        const result = await deployer.deploy({
          stackName: s.stackName,
          templateBody: template,
          parameters: s.parameters,
          tags: { Project: "mtl", Environment: "test" },
        });
        assert.deepEqual(result.outputs.RoleArn, s.roleArn);
      }

      await moto.enforce();

      // Every request is now checked: the account's root test keys are refused.
      assert.deepEqual(
        await attempt(s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))),
        "InvalidAccessKeyId",
        "enforcement is on",
      );

      // Each agent may assume its own cluster's writer role only.
      const sts = (c: AccountCredentials) => {
        const client = new STSClient(motoClientConfig(moto.url, REGION, c));
        clients.push(client);
        return client;
      };
      const assume = async (c: AccountCredentials, roleArn: string): Promise<AccountCredentials> => {
        const out = await sts(c).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "vector-agent" }));
        const k = out.Credentials!;
        return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey!, sessionToken: k.SessionToken! };
      };
      assert.deepEqual(
        await attempt(
          sts(agentA.credentials).send(
            new AssumeRoleCommand({ RoleArn: stacks.B.roleArn, RoleSessionName: "vector-agent" }),
          ),
        ),
        "AccessDenied",
        "agent A cannot assume cluster B's writer role",
      );
      assert.deepEqual(
        await attempt(
          sts(agentB.credentials).send(
            new AssumeRoleCommand({ RoleArn: stacks.A.roleArn, RoleSessionName: "vector-agent" }),
          ),
        ),
        "AccessDenied",
        "agent B cannot assume cluster A's writer role",
      );
      const writerA = new S3Client(
        motoClientConfig(moto.url, REGION, await assume(agentA.credentials, stacks.A.roleArn)),
      );
      const writerB = new S3Client(
        motoClientConfig(moto.url, REGION, await assume(agentB.credentials, stacks.B.roleArn)),
      );
      clients.push(writerA, writerB);
      const put = (client: S3Client, key: string) =>
        attempt(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: "{}\n" })));
      const file = "api/api-7f9/20260101-120000-0000.json.gz";

      assert.deepEqual(
        {
          "acme/A": await put(writerA, `acme/A/${file}`),
          "acme/B": await put(writerA, `acme/B/${file}`),
          "globex/A": await put(writerA, `globex/A/${file}`),
          "globex/B": await put(writerA, `globex/B/${file}`),
          "acme/A2 (a cluster id that starts with A)": await put(writerA, `acme/A2/${file}`),
          "root of the bucket": await put(writerA, "x.json.gz"),
        },
        {
          "acme/A": "allowed",
          "acme/B": "AccessDenied",
          "globex/A": "AccessDenied",
          "globex/B": "AccessDenied",
          "acme/A2 (a cluster id that starts with A)": "AccessDenied",
          "root of the bucket": "AccessDenied",
        },
        "cluster A's writer role",
      );
      assert.deepEqual(
        {
          "acme/B": await put(writerB, `acme/B/${file}`),
          "globex/B": await put(writerB, `globex/B/${file}`),
          "acme/A": await put(writerB, `acme/A/${file}`),
          "initech/B": await put(writerB, `initech/B/${file}`),
        },
        { "acme/B": "allowed", "globex/B": "allowed", "acme/A": "AccessDenied", "initech/B": "AccessDenied" },
        "cluster B's writer role",
      );
      // PutObject only: a writer can neither read nor list nor delete what is there.
      assert.deepEqual(
        await attempt(writerA.send(new GetObjectCommand({ Bucket: BUCKET, Key: `acme/A/${file}` }))),
        "AccessDenied",
      );
      assert.deepEqual(await attempt(writerA.send(new ListObjectsV2Command({ Bucket: BUCKET }))), "AccessDenied");
      assert.deepEqual(
        await attempt(writerA.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `acme/A/${file}` }))),
        "AccessDenied",
      );

      // What the bucket holds is exactly the allowed writes.
      const reader = new S3Client(motoClientConfig(moto.url, REGION, auditor.credentials));
      clients.push(reader);
      const listed = await reader.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      assert.deepEqual((listed.Contents ?? []).map((o) => o.Key).sort(), [
        `acme/A/${file}`,
        `acme/B/${file}`,
        `globex/B/${file}`,
      ]);
    } finally {
      for (const c of clients) c.destroy();
      await moto.stop();
    }
  },
});
