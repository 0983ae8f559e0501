import { deepStrictEqual as deepEqual, ok, strictEqual as equal } from "node:assert/strict";
import { assumableRoles, matchesResource, rolePatternWarning } from "./customer_role_pattern.ts";

const PATTERN = "arn:aws:iam::*:role/CustomerLogDistribution*";

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

Deno.test("the assumable roles of a policy: Allow sts:AssumeRole statements on role resources", () => {
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
  deepEqual(assumableRoles(JSON.stringify(policy)), [PATTERN]);
  deepEqual(assumableRoles(JSON.stringify(policy).replace(/"/g, "'")), [PATTERN], "an emulator's dict quoting");
});

Deno.test("the warning names the role, the pattern and what to do; none when it matches", () => {
  equal(rolePatternWarning("arn:aws:iam::111111111111:role/CustomerLogDistributionRole", [PATTERN], "x"), undefined);
  const warning = rolePatternWarning("arn:aws:iam::111111111111:role/log-delivery", [PATTERN], "role central")!;
  ok(warning.includes("role arn:aws:iam::111111111111:role/log-delivery does not match"), warning);
  ok(warning.includes("(CustomerLogDistribution*, from role central)"), warning);
  ok(warning.includes("--customer-role-pattern"), warning);
});
