import assert from "node:assert/strict";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { blockedStatus, StackDeployer } from "./stack_deployer.ts";

/** A CloudFormation client that answers from a script and records what it was sent. */
function fakeCloudFormation(stack: Record<string, unknown>) {
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  const cf = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, "");
      sent.push({ command: name, input: command.input });
      if (name === "DescribeStacks") return Promise.resolve({ Stacks: [stack] });
      return Promise.resolve({});
    },
  } as unknown as CloudFormationClient;
  return { cf, sent };
}

const REQUEST = { stackName: "mtl-prod-core", templateBody: "{}", parameters: {}, tags: {} };

Deno.test("--termination-protection turns protection on for an existing stack before updating it, never off", async () => {
  const { cf, sent } = fakeCloudFormation({ StackStatus: "UPDATE_COMPLETE", EnableTerminationProtection: false });
  const deployer = new StackDeployer(cf, { pollMs: 1, log: () => {}, sleep: () => Promise.resolve() });
  await deployer.deploy({ ...REQUEST, terminationProtection: true });
  const commands = sent.map((s) => s.command);
  assert.deepEqual(commands.slice(0, 3), ["DescribeStacks", "UpdateTerminationProtection", "UpdateStack"]);
  assert.deepEqual(sent[1]?.input, { StackName: "mtl-prod-core", EnableTerminationProtection: true });

  const without = fakeCloudFormation({ StackStatus: "UPDATE_COMPLETE", EnableTerminationProtection: true });
  await new StackDeployer(without.cf, { pollMs: 1, log: () => {}, sleep: () => Promise.resolve() }).deploy(REQUEST);
  assert.ok(!without.sent.some((s) => s.command === "UpdateTerminationProtection"), "without the flag nothing changes");
});

Deno.test("a stack left in REVIEW_IN_PROGRESS or ROLLBACK_COMPLETE is refused with what to do", async () => {
  const { cf } = fakeCloudFormation({ StackStatus: "REVIEW_IN_PROGRESS" });
  const deployer = new StackDeployer(cf, { pollMs: 1, log: () => {}, sleep: () => Promise.resolve() });
  await assert.rejects(deployer.deploy(REQUEST), /REVIEW_IN_PROGRESS: a change set created it and was never executed/);
  assert.match(blockedStatus("s", "ROLLBACK_COMPLETE")!, /delete it .* and deploy again/);
  assert.equal(blockedStatus("s", "UPDATE_COMPLETE"), undefined);
});
