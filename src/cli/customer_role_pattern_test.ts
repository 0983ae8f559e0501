import { deepStrictEqual as deepEqual, ok, strictEqual as equal } from "node:assert/strict";
import type { IAMClient } from "@aws-sdk/client-iam";
import { RecordingClient } from "../../tests/support/recording_client.ts";
import { centralRolePatterns, rolePatternWarning } from "./customer_role_pattern.ts";

const PATTERN = "arn:aws:iam::*:role/CustomerLogDistribution*";
const CENTRAL = "arn:aws:iam::123456789012:role/central-log-distribution";

/** Whether `tenants add` stays quiet about `roleArn` given the one pattern `resource`. */
function matchesResource(roleArn: string, resource: string): boolean {
  return rolePatternWarning(roleArn, [resource], "test") === undefined;
}

/** The patterns read from a central role whose only inline policy is `document` (URL-encoded, as IAM returns it). */
async function assumableRoles(document: string): Promise<string[]> {
  const iam = new RecordingClient((command) =>
    command === "ListRolePoliciesCommand"
      ? { PolicyNames: ["assume-customer-roles"] }
      : { PolicyDocument: encodeURIComponent(document) }
  );
  const patterns = await centralRolePatterns(iam.as<IAMClient>(), CENTRAL);
  deepEqual(iam.sent, [
    { command: "ListRolePoliciesCommand", input: { RoleName: "central-log-distribution" } },
    {
      command: "GetRolePolicyCommand",
      input: { RoleName: "central-log-distribution", PolicyName: "assume-customer-roles" },
    },
  ]);
  return patterns;
}

Deno.test("role ARNs match IAM resource patterns as IAM does (* any run, ? one character)", () => {
  ok(matchesResource("arn:aws:iam::111111111111:role/CustomerLogDistributionRole", PATTERN));
  ok(matchesResource("arn:aws:iam::111111111111:role/CustomerLogDistribution", PATTERN));
  ok(!matchesResource("arn:aws:iam::111111111111:role/log-delivery", PATTERN));
  ok(
    !matchesResource("arn:aws:iam::111111111111:role/team/CustomerLogDistributionRole", PATTERN),
    "a path is part of it",
  );
  ok(matchesResource("arn:aws:iam::111111111111:role/team/x", "arn:aws:iam::*:role/team/?"));
  ok(!matchesResource("arn:aws:iam::111111111111:role/a.b", "arn:aws:iam::*:role/a+b"), "regex characters are literal");
});

Deno.test("the assumable roles of a policy: Allow sts:AssumeRole statements on role resources", async () => {
  const policy = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: PATTERN,
        Condition: { Null: { "sts:ExternalId": "false" } },
      },
      { Effect: "Deny", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/Nope*" },
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" },
    ],
  };
  deepEqual(await assumableRoles(JSON.stringify(policy)), [PATTERN]);
  deepEqual(await assumableRoles(JSON.stringify(policy).replace(/"/g, "'")), [PATTERN], "an emulator's dict quoting");
});

Deno.test("the warning names the role, the pattern and what to do; none when it matches", () => {
  equal(rolePatternWarning("arn:aws:iam::111111111111:role/CustomerLogDistributionRole", [PATTERN], "x"), undefined);
  const warning = rolePatternWarning("arn:aws:iam::111111111111:role/log-delivery", [PATTERN], "role central")!;
  ok(warning.includes("role arn:aws:iam::111111111111:role/log-delivery does not match"), warning);
  ok(warning.includes("(CustomerLogDistribution*, from role central)"), warning);
  ok(warning.includes("--customer-role-pattern"), warning);
});
