/**
 * `tenants add` warns when the customer role's name does not match the
 * central role's CustomerRoleNamePattern (issue 15, item 10): the chain
 * would only fail at delivery time. And every `tenants` command given
 * `--json` answers in JSON, errors included (item 9).
 */
import assert from "node:assert/strict";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { awsTest, type LocalAws, newCustomer, processorEnv, REGION, runProcessor, uniq } from "./support/fixtures.ts";
import { motoClientConfig } from "../scripts/local_aws/account_clients.ts";

/** A central role in moto whose inline policy allows assuming `pattern`-named roles; returns its ARN. */
async function centralRole(aws: LocalAws, pattern: string): Promise<string> {
  const iam = new IAMClient(motoClientConfig(aws.moto, REGION));
  try {
    const name = uniq("central-log-distribution");
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::123456789012:root" },
            Action: "sts:AssumeRole",
          }],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: "assume-customer-roles",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Resource: `arn:aws:iam::*:role/${pattern}`,
            Condition: { Null: { "sts:ExternalId": "false" } },
          }],
        }),
      }),
    );
    return role.Role!.Arn!;
  } finally {
    iam.destroy();
  }
}

function add(env: Record<string, string>, tenant: string, roleArn: string, ...extra: string[]) {
  const args = ["tenants", "add", "--tenant", tenant, "--type", "cloudwatch", "--role-arn", roleArn];
  return runProcessor([...args, "--log-group", `/customer/${tenant}/k8s`, ...extra], env);
}

awsTest("tenants add warns when the role does not match the central role's CustomerRoleNamePattern", async (aws) => {
  const central = await centralRole(aws, "CustomerLogDistribution*");
  const env = processorEnv(aws, { CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: central });
  const c = newCustomer(aws);
  const mismatch = await add(env, c.tenantId, c.roleArn, "--json");
  assert.equal(mismatch.code, 0, mismatch.stderr);
  const { warnings } = mismatch.results[0] as { warnings: string[] };
  const [warning = ""] = warnings;
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(warning, new RegExp(`^role ${c.roleArn.replaceAll("/", "\\/")} does not match the central role's`));
  assert.match(warning, /CustomerRoleNamePattern \(CustomerLogDistribution\*, from the policies of /);

  const text = await add(env, uniq("tenant"), c.roleArn);
  assert.match(text.stdout, /^Warning: role .* does not match the central role's CustomerRoleNamePattern/m);

  const matching = await add(
    env,
    uniq("tenant"),
    `arn:aws:iam::${c.account}:role/CustomerLogDistributionRole`,
    "--json",
  );
  assert.equal(matching.code, 0, matching.stderr);
  assert.deepEqual(matching.results[0]?.warnings, []);

  // An operator without IAM read access names the pattern; a central role that cannot be read is said so.
  const given = await add({ ...env, CUSTOMER_ROLE_NAME_PATTERN: "log-*" }, uniq("tenant"), c.roleArn, "--json");
  assert.deepEqual(given.results[0]?.warnings, []);
  const unreadable = await add(
    processorEnv(aws, { CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/not-there" }),
    uniq("tenant"),
    c.roleArn,
    "--json",
  );
  assert.match(
    String((unreadable.results[0]?.warnings as string[] | undefined)?.[0]),
    /could not read the central role's CustomerRoleNamePattern/,
  );
});

awsTest("every tenants command with --json answers in JSON, errors one JSON line on stderr as dlq's", async (aws) => {
  const env = processorEnv(aws);
  const cases: [string[], number, string, RegExp][] = [
    [
      ["remove", "--tenant", "nobody", "--delivery", "cloudwatch", "--json"],
      1,
      "NotFound",
      /no delivery "cloudwatch" of tenant "nobody"/,
    ],
    [["get", "--tenant", "nobody", "--json"], 1, "NotFound", /no deliveries for tenant "nobody"/],
    [["add", "--tenant", "acme", "--json"], 2, "UsageError", /invalid delivery/],
    [["remove", "--tenant", "acme", "--json"], 2, "UsageError", /give --delivery ID, or --all/],
    [["frobnicate", "--json"], 2, "UsageError", /unknown command "frobnicate"/],
    [["list", "--bogus", "--json"], 2, "UsageError", /Unknown option '--bogus'/],
  ];
  for (const [args, status, code, message] of cases) {
    const run = await runProcessor(["tenants", ...args], env);
    const what = `${args.join(" ")}: ${run.stdout}${run.stderr}`;
    assert.equal(run.code, status, what);
    assert.equal(run.stdout, "", what);
    const lines = run.stderr.trim().split("\n").map((l) => JSON.parse(l));
    const error = lines.find((l) => message.test(String(l.error)));
    assert.ok(error, what);
    assert.equal(error.code, code, what);
    assert.equal(error.command, `tenants ${args[0]}`);
  }
  const none = await runProcessor(["tenants", "list", "--json"], { ...env, TENANT_CONFIG_TABLE: "" });
  assert.equal(none.code, 2);
  assert.deepEqual(JSON.parse(none.stderr), {
    error: "invalid configuration: TENANT_CONFIG_TABLE: is required but not set",
    code: "ConfigError",
    command: "tenants list",
  });
});
