/**
 * `scripts/vector_local.sh` (issue 15, item 11): Vector gets, in its
 * environment only, the credentials the AWS SDK resolves from the profile,
 * the registered cluster's writer role, the core stack's bucket, and the
 * profile's region; nothing
 * is written to a file. Vector itself is a stand-in script here (no Vector
 * binary can be installed) that prints what it was given.
 */
import assert from "node:assert/strict";
import { deploySh, environment } from "./support/deploy_sh.ts";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { awsTest, randomRoleId, REGION } from "./support/fixtures.ts";
import { ROOT } from "./support/tools.ts";

const WRAPPER = `${ROOT}scripts/vector_local.sh`;

/** Deno's cache, kept when HOME moves to an empty directory. */
const denoDir = () => Deno.env.get("DENO_DIR") || `${Deno.env.get("HOME")}/.cache/deno`;

/** Files under `dir`, relative, sorted. */
async function files(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) out.push(...await files(`${dir}/${e.name}`, `${prefix}${e.name}/`));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

async function runWrapper(args: string[], env: Record<string, string>, stdin: string) {
  const child = new Deno.Command("bash", {
    args: [WRAPPER, ...args],
    env: { PATH: Deno.env.get("PATH") ?? "", ...env },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

awsTest(
  "vector_local.sh hands Vector the profile's credentials, the cluster's role, the stack's bucket, and writes no file",
  async (aws) => {
    const env = environment();
    const deployed = await deploySh(aws, ["--environment", env, "--poll-seconds", "1", "--json"]);
    assert.equal(deployed.code, 0, deployed.stderr);
    const core = JSON.parse(deployed.stdout).core;
    // The cluster this laptop stands in for, registered with its own writer role (as clusters add would).
    const writerRoleArn = "arn:aws:iam::123456789012:role/log-writer-local-1";
    await aws.dynamo.send(
      new PutItemCommand({
        TableName: core.ClusterTableName,
        Item: marshall({
          cluster_id: "local-1",
          tenants: new Set(["acme"]),
          writer_role_arn: writerRoleArn,
          writer_role_id: randomRoleId(),
        }),
      }),
    );
    const home = await Deno.makeTempDir();
    const tools = await Deno.makeTempDir();
    try {
      await Deno.mkdir(`${home}/.aws`);
      await Deno.writeTextFile(
        `${home}/.aws/credentials`,
        "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s3cr3t\n",
      );
      await Deno.writeTextFile(`${home}/.aws/config`, `[profile dev]\nregion = ${REGION}\n`);
      const fakeVector = `${tools}/vector`;
      await Deno.writeTextFile(
        fakeVector,
        '#!/bin/sh\necho "ARGS $*"\necho "CWD $(pwd)"\n' +
          "env | grep -E '^(AWS_|S3_WRITER_ROLE_ARN|CENTRAL_BUCKET|CLUSTER_ID)' | sort\necho \"STDIN $(cat)\"\n",
      );
      await Deno.chmod(fakeVector, 0o755);
      const before = await files(home);
      const base = {
        HOME: home,
        DENO_DIR: denoDir(),
        AWS_PROFILE: "dev",
        AWS_ENDPOINT_URL: aws.proxy.url,
        AWS_EC2_METADATA_DISABLED: "true",
      };
      const run = await runWrapper(
        ["--environment", env, "--vector-bin", fakeVector, "--", "--quiet"],
        base,
        "a record",
      );
      assert.equal(run.code, 0, run.stderr);
      const seen = Object.fromEntries(
        run.stdout.trim().split("\n").filter((l) => /^[A-Z_0-9]+=/.test(l)).map((l) => l.split(/=(.*)/s).slice(0, 2)),
      );
      assert.deepEqual(seen, {
        AWS_ACCESS_KEY_ID: "AKIDPROFILE",
        AWS_SECRET_ACCESS_KEY: "s3cr3t",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL: aws.proxy.url,
        AWS_REGION: REGION,
        S3_WRITER_ROLE_ARN: writerRoleArn,
        CENTRAL_BUCKET: core.BucketName,
        CLUSTER_ID: "local-1",
      });
      assert.match(
        run.stdout,
        new RegExp(
          `^ARGS --config ${ROOT}vector-local-test\\.yaml --dangerously-allow-env-var-interpolation --quiet$`,
          "m",
        ),
      );
      assert.match(run.stdout, new RegExp(`^CWD ${ROOT.replace(/\/$/, "")}$`, "m"), "run from the repository root");
      assert.match(run.stdout, /^STDIN a record$/m);
      assert.deepEqual(await files(home), before, "nothing written under HOME");
      assert.doesNotMatch(await Deno.readTextFile(WRAPPER), /--allow-write|-A\b|--allow-all/, "Deno may not write");

      const printed = await runWrapper(["--environment", env, "--print-env"], base, "");
      assert.equal(printed.code, 0, printed.stderr);
      assert.match(printed.stdout, /^AWS_SECRET_ACCESS_KEY=\*\*\*$/m);
      assert.doesNotMatch(printed.stdout, /s3cr3t/);

      const unregistered = await runWrapper(["--environment", env, "--cluster-id", "nowhere-1"], base, "");
      assert.equal(unregistered.code, 1);
      assert.match(
        unregistered.stderr,
        /cluster nowhere-1 is unregistered in .*: register it \(log-processor clusters add\)/,
      );

      const missing = await runWrapper(["--environment", "nope", "--vector-bin", fakeVector], base, "");
      assert.equal(missing.code, 1);
      assert.match(
        missing.stderr,
        /^vector_local: stack mtl-nope-core does not exist in us-east-1: give --role-arn and --bucket/,
      );
    } finally {
      await Deno.remove(home, { recursive: true });
      await Deno.remove(tools, { recursive: true });
    }
  },
);
