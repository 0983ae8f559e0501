import assert from "node:assert/strict";
import { formatVerifyReport, verifyDelivery, type VerifyProbes } from "./verify_delivery.ts";

const item = {
  tenant_id: "acme",
  delivery_id: "cloudwatch",
  type: "cloudwatch",
  role_arn: "arn:aws:iam::210987654321:role/CustomerLogDistributionRole",
  external_id: "ext-id-1",
  log_group_name: "/customer/acme",
};

function probes(fail?: "central" | "customer" | "destination"): VerifyProbes & { calls: string[] } {
  const calls: string[] = [];
  const step = (name: string) => {
    calls.push(name);
    if (fail === name) throw new Error(`${name} denied`);
  };
  return {
    calls,
    centralRoleArn: "arn:aws:iam::123456789012:role/central",
    assumeCentral: () => Promise.resolve().then(() => step("central")),
    assumeCustomer: () => Promise.resolve().then(() => step("customer")),
    probeDestination: () => Promise.resolve().then(() => (step("destination"), "log group /customer/acme exists")),
  };
}

Deno.test("a working chain reports every step ok", async () => {
  const p = probes();
  const report = await verifyDelivery(item, p);
  assert.equal(report.ok, true);
  assert.deepEqual(p.calls, ["central", "customer", "destination"]);
  assert.deepEqual(report.steps.map((s) => [s.step, s.status]), [
    ["item is valid", "ok"],
    ["assume central role", "ok"],
    ["assume customer role with ExternalId", "ok"],
    ["destination reachable", "ok"],
  ]);
  assert.equal(report.steps[2]!.detail, item.role_arn);
  assert.match(
    formatVerifyReport(report),
    /^tenant acme, delivery cloudwatch → cloudwatch:\/customer\/acme\n {2}ok {2}/,
  );
});

Deno.test("a failed step names the failure and skips the rest", async () => {
  const p = probes("customer");
  const report = await verifyDelivery(item, p);
  assert.equal(report.ok, false);
  assert.deepEqual(p.calls, ["central", "customer"]);
  assert.deepEqual(report.steps.map((s) => s.status), ["ok", "ok", "fail", "skip"]);
  assert.equal(report.steps[2]!.detail, "customer denied");
  assert.match(formatVerifyReport(report), /FAIL {2}assume customer role with ExternalId: customer denied/);
});

Deno.test("an invalid item is reported and nothing is called", async () => {
  const p = probes();
  const report = await verifyDelivery({ ...item, role_arn: "nope" }, p);
  assert.equal(report.ok, false);
  assert.deepEqual(p.calls, []);
  assert.deepEqual(report.steps.map((s) => s.status), ["fail", "skip", "skip", "skip"]);
  assert.match(report.steps[0]!.detail, /role_arn "nope" is not an IAM role ARN/);
});
