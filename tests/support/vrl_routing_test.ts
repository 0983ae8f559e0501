import assert from "node:assert/strict";
import { routingViolations, vrlAssignments, vrlStatements } from "./vrl_routing.ts";

const FIELDS = ["customer_id", "cluster_id"];
const ROUTING = `
.customer_id = customer_id
.cluster_id = cluster_id
`;
const SAFE = `
customer_id = string(.kubernetes.pod_annotations."customer-id") ?? ""
if customer_id == "" { abort }
cluster_id = get_env_var("CLUSTER_ID") ?? "x"
`;

Deno.test("vrlStatements keeps blocks, continuations and strings together", () => {
  const src =
    `a = 1 # comment with = sign\nif a == 1 {\n  b = "x\\"; y = 2"\n} \nelse {\n  b = 3\n}\nc = a ||\n  b; d = 4`;
  assert.deepEqual(vrlStatements(src).map((s) => s.text.trim()), [
    "a = 1 # comment with = sign",
    'if a == 1 {\n  b = "x\\"; y = 2"\n} \nelse {\n  b = 3\n}',
    "c = a ||\n  b",
    "d = 4",
  ]);
});

Deno.test("vrlAssignments finds nested, multi-target and root assignments but not comparisons", () => {
  const src = `parsed, err = parse_json(.message)\nif err == null { . = merge(., parsed) }\n.a."b-c" |= x\nok = y != z`;
  assert.deepEqual(vrlAssignments(src).map((a) => a.targets), [["parsed", "err"], ["."], ['.a."b-c"'], ["ok"]]);
});

Deno.test("routingViolations accepts routing from pod metadata assigned last", () => {
  assert.deepEqual(routingViolations(SAFE + ROUTING, FIELDS), []);
});

Deno.test("routingViolations accepts a log line parsed into a nested field", () => {
  const src = `.parsed = parse_json(string(.message) ?? "") ?? {}\n${SAFE}${ROUTING}`;
  assert.deepEqual(routingViolations(src, FIELDS), []);
});

Deno.test("routingViolations rejects merging the parsed line into the event root", () => {
  for (const merge of [". = merge(., parsed)", ". |= parsed"]) {
    const before = `parsed = parse_json!(.message)\n${merge}\n${SAFE}${ROUTING}`;
    const problems = routingViolations(before, FIELDS);
    assert.match(problems.join("\n"), /replaces the whole event/);
    assert.match(problems.join("\n"), /\.customer_id comes from "customer_id", which may derive from the log line/);
    const after = `${SAFE}${ROUTING}parsed = parse_json!(.message)\n${merge}\n`;
    assert.match(routingViolations(after, FIELDS).join("\n"), /must end with the routing assignments/);
  }
});

Deno.test("routingViolations rejects metadata overwritten from the line before routing reads it", () => {
  const src =
    `p = parse_json(.message) ?? {}\n.kubernetes = merge(object(.kubernetes) ?? {}, object(p) ?? {})\n${SAFE}${ROUTING}`;
  assert.deepEqual(routingViolations(src, FIELDS), [
    '.customer_id comes from "customer_id", which may derive from the log line',
  ]);
});

Deno.test("routingViolations rejects routing values taken from the line or assigned twice or early", () => {
  assert.match(
    routingViolations(`customer_id = string(.message) ?? ""\ncluster_id = "c"\n${ROUTING}`, FIELDS).join(),
    /customer_id comes from/,
  );
  assert.match(routingViolations(`${SAFE}${ROUTING}.customer_id = "x"\n`, FIELDS).join(), /assigned 2 times/);
  assert.match(
    routingViolations(`${SAFE}.customer_id = customer_id\nx = 1\n.cluster_id = cluster_id\n`, FIELDS).join(),
    /assigned before the end/,
  );
  assert.match(
    routingViolations(`${SAFE}.customer_id = downcase(customer_id)\n.cluster_id = cluster_id\n`, FIELDS).join(),
    /must be assigned a local variable/,
  );
  assert.match(routingViolations(SAFE, FIELDS).join(), /\.cluster_id is assigned 0 times/);
});
