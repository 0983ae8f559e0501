/**
 * Every CloudFormation template passes cfn-lint with no error or warning and
 * checkov with every suppression explained; the Containerfile passes
 * hadolint; and the templates keep the project's rules (least privilege,
 * constrained parameters, tags, outputs, the ExternalId guarantees).
 */
import assert from "node:assert/strict";
import { CFN_DIR, checkovPath, loadTemplate, ROOT, runTool, type Template, templatePaths } from "./support/tools.ts";

const templates = templatePaths();
const names = templates.map((p) => p.split("/").pop());
const loaded = new Map<string, Template>();
async function template(name: string): Promise<Template> {
  if (!loaded.has(name)) loaded.set(name, await loadTemplate(`${CFN_DIR}/${name}`));
  return loaded.get(name)!;
}

// deno-lint-ignore no-explicit-any
type Json = any;

/** Every policy statement in a template, with where it sits. */
function statements(t: Template): { where: string; statement: Json }[] {
  const out: { where: string; statement: Json }[] = [];
  const visit = (node: Json, where: string) => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}[${i}]`));
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node.Statement)) {
      for (const s of node.Statement) out.push({ where, statement: s });
    }
    for (const [k, v] of Object.entries(node)) visit(v, `${where}.${k}`);
  };
  for (const [id, r] of Object.entries(t.Resources as Record<string, Json>)) visit(r, `${id}(${r.Type})`);
  return out;
}

const list = (v: Json): Json[] => (Array.isArray(v) ? v : [v]);

Deno.test("the repository has the five templates: core, cluster writer, customer, Lambda, SQS", () => {
  assert.deepEqual(names, [
    "cluster-writer-role.yaml",
    "core.yaml",
    "customer-log-distribution-role.yaml",
    "lambda.yaml",
    "sqs.yaml",
  ]);
});

Deno.test("cfn-lint reports no error and no warning on any template", async () => {
  const run = await runTool("cfn-lint", ["--format", "parseable", "--", ...templates]);
  assert.deepEqual(run.stdout.trim(), "", `cfn-lint findings:\n${run.stdout}${run.stderr}`);
  assert.deepEqual(run.code, 0, run.stderr);
});

Deno.test("checkov passes every template and every suppression carries a reason", async () => {
  const run = await runTool(checkovPath(), [
    "--directory",
    CFN_DIR,
    "--framework",
    "cloudformation",
    "--skip-download",
    "--quiet",
    "--output",
    "json",
  ]);
  const report = JSON.parse(run.stdout);
  const summary = report.summary;
  const failed = (report.results?.failed_checks ?? []).map((c: Json) => `${c.check_id} ${c.resource} ${c.file_path}`);
  assert.deepEqual(failed, [], "checkov failed checks");
  assert.deepEqual(summary.failed, 0);
  assert.deepEqual(summary.parsing_errors, 0);
  assert.ok(summary.passed > 50, `checkov ran only ${summary.passed} checks`);
  for (const c of report.results?.skipped_checks ?? []) {
    const reason = String(c.check_result?.suppress_comment ?? "");
    assert.ok(reason.length > 40, `suppression of ${c.check_id} on ${c.resource} has no real reason: "${reason}"`);
  }
  assert.deepEqual(run.code, 0, run.stderr);
});

Deno.test("hadolint passes the Containerfile, its images from the registries we name only", async () => {
  const run = await runTool("hadolint", [
    "--trusted-registry",
    "docker.io",
    "--trusted-registry",
    "gcr.io",
    `${ROOT}Containerfile`,
  ]);
  assert.deepEqual(run.stdout.trim(), "", run.stdout);
  assert.deepEqual(run.code, 0, run.stderr);
});

/** The images of a Containerfile's FROM lines that are not earlier stages. */
function baseImages(containerfile: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const [, image, stage] of containerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    if (image && !stages.has(image)) images.push(image);
    if (stage) stages.add(stage);
  }
  return images;
}

/** Whether `image` names its registry host (podman refuses short names without a search list). */
function fullyQualified(image: string): boolean {
  const first = image.split("/")[0] ?? "";
  return image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
}

Deno.test("every base image of the Containerfile is fully qualified (registry/namespace/name)", async () => {
  assert.deepEqual(baseImages("FROM a/b:1 AS x\nFROM x AS y\nFROM --platform=linux/amd64 c AS z\n"), ["a/b:1", "c"]);
  assert.deepEqual(["denoland/deno:2", "deno:2", "docker.io/denoland/deno:2", "localhost/x"].map(fullyQualified), [
    false,
    false,
    true,
    true,
  ]);
  const images = baseImages(await Deno.readTextFile(`${ROOT}Containerfile`));
  assert.equal(images.length, 3, images.join(", "));
  assert.deepEqual(images.filter((i) => !fullyQualified(i)), []);
});

Deno.test("no Allow statement grants a wildcard action; '*' resources only in key policies", async () => {
  for (const name of names) {
    for (const { where, statement } of statements(await template(name!))) {
      if (statement.Effect !== "Allow") continue;
      for (const action of list(statement.Action)) {
        assert.ok(typeof action === "string" && !action.includes("*"), `${name} ${where}: action ${action}`);
      }
      for (const resource of list(statement.Resource ?? [])) {
        if (resource === "*") assert.ok(where.includes("AWS::KMS::Key"), `${name} ${where}: Resource "*"`);
      }
    }
  }
});

Deno.test("every parameter is constrained and every template has outputs", async () => {
  for (const name of names) {
    const t = await template(name!);
    assert.ok(Object.keys(t.Outputs ?? {}).length > 0, `${name} has no outputs`);
    for (const [key, p] of Object.entries(t.Parameters as Record<string, Json>)) {
      const constrained = ["AllowedPattern", "AllowedValues", "MinValue", "MaxValue", "MinLength"].some((c) => c in p);
      assert.ok(constrained, `${name} parameter ${key} has no constraint`);
      assert.ok(
        typeof p.Description === "string" && p.Description.length > 10,
        `${name} parameter ${key} is undocumented`,
      );
    }
  }
});

Deno.test("every tagged resource carries Project and Environment", async () => {
  let tagged = 0;
  for (const name of names) {
    const t = await template(name!);
    for (const [id, r] of Object.entries(t.Resources as Record<string, Json>)) {
      const tags = r.Properties?.Tags;
      if (!tags) continue;
      tagged++;
      const keys = tags.map((tag: Json) => tag.Key);
      assert.ok(
        keys.includes("Project") && keys.includes("Environment"),
        `${name} ${id} lacks Project/Environment tags`,
      );
    }
  }
  assert.ok(tagged >= 13, `only ${tagged} resources are tagged`);
});

Deno.test("the central role assumes only pattern-named roles and only with an ExternalId", async () => {
  const core = await template("core.yaml");
  const role = core.Resources.CentralLogDistributionRole.Properties;
  const policy = role.Policies[0].PolicyDocument.Statement;
  assert.deepEqual(policy.length, 1);
  assert.deepEqual(policy[0].Action, "sts:AssumeRole");
  assert.deepEqual(policy[0].Condition, { Null: { "sts:ExternalId": "false" } });
  assert.ok(JSON.stringify(policy[0].Resource).includes(":role/${CustomerRoleNamePattern}"));
});

Deno.test("the customer role trusts only the central role and only with the tenant's ExternalId", async () => {
  const customer = await template("customer-log-distribution-role.yaml");
  assert.deepEqual(customer.Parameters.ExternalId.NoEcho, true);
  assert.ok(!("Default" in customer.Parameters.ExternalId), "ExternalId must be required");
  assert.deepEqual(customer.Parameters.LogRetentionDays.Default, 90);
  const trust = customer.Resources.LogDistributionRole.Properties.AssumeRolePolicyDocument.Statement;
  assert.deepEqual(trust, [{
    Sid: "CentralRoleWithThisTenantsExternalId",
    Effect: "Allow",
    Principal: { AWS: { Ref: "CentralLogDistributionRoleArn" } },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } },
  }]);
  assert.deepEqual(customer.Outputs.RoleArn.Value, { "Fn::GetAtt": ["LogDistributionRole", "Arn"] });
});

Deno.test("the Lambda stack reports partial batch failures and the SQS stack redrives to a DLQ", async () => {
  const lambda = await template("lambda.yaml");
  const mapping = lambda.Resources.QueueEvents.Properties;
  assert.deepEqual(mapping.FunctionResponseTypes, ["ReportBatchItemFailures"]);
  assert.deepEqual(mapping.ScalingConfig, { MaximumConcurrency: { Ref: "MaximumConcurrency" } });
  assert.deepEqual(lambda.Resources.Function.Properties.Runtime, {
    "Fn::If": ["UseImage", { Ref: "AWS::NoValue" }, "provided.al2023"],
  });
  const sqs = await template("sqs.yaml");
  assert.deepEqual(sqs.Resources.Queue.Properties.RedrivePolicy.maxReceiveCount, { Ref: "MaxReceiveCount" });
  const sender = sqs.Resources.QueuePolicy.Properties.PolicyDocument.Statement[0];
  assert.deepEqual(sender.Condition, { ArnEquals: { "aws:SourceArn": { Ref: "TopicArn" } } });
  const alarms = Object.values(sqs.Resources as Record<string, Json>).filter((r) =>
    r.Type === "AWS::CloudWatch::Alarm"
  );
  assert.deepEqual(alarms.map((a) => a.Properties.MetricName).sort(), [
    "ApproximateAgeOfOldestMessage",
    "ApproximateNumberOfMessagesVisible",
  ]);
});

Deno.test("the topic admits only the central bucket, which notifies it of .gz objects", async () => {
  const core = await template("core.yaml");
  const statement = core.Resources.LogTopicPolicy.Properties.PolicyDocument.Statement;
  assert.deepEqual(statement.length, 1);
  assert.deepEqual(Object.keys(statement[0].Condition).sort(), ["ArnLike", "StringEquals"]);
  const bucket = core.Resources.LogBucket.Properties;
  assert.deepEqual(bucket.NotificationConfiguration.TopicConfigurations[0].Filter.S3Key.Rules, [
    { Name: "suffix", Value: ".gz" },
  ]);
  assert.deepEqual(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].BucketKeyEnabled, true);
  assert.deepEqual(core.Resources.TenantTable.Properties.KeySchema, [
    { AttributeName: "tenant_id", KeyType: "HASH" },
    { AttributeName: "delivery_id", KeyType: "RANGE" },
  ]);
  assert.deepEqual(core.Resources.DeliveryStateTable.Properties.TimeToLiveSpecification, {
    AttributeName: "ttl",
    Enabled: true,
  });
});

/** The policies of a cluster writer stack: [logical id, resource]. */
async function writerPolicies(): Promise<[string, Json][]> {
  const t = await template("cluster-writer-role.yaml");
  return Object.entries(t.Resources as Record<string, Json>).filter(([, r]) => r.Type === "AWS::IAM::Policy");
}

Deno.test("a cluster writer role may PutObject only <tenant>/<ClusterId>/* of the bucket, one policy per tenant", async () => {
  const t = await template("cluster-writer-role.yaml");
  const role = t.Resources.WriterRole.Properties;
  assert.deepEqual(role.Policies, undefined, "every permission is one of the stack's AWS::IAM::Policy resources");
  assert.deepEqual(role.ManagedPolicyArns, undefined);
  const puts = (await writerPolicies()).filter(([id]) => id.startsWith("PutTenant"));
  assert.deepEqual(puts.length, 20);
  const padded = {
    "Fn::Split": [",", { "Fn::Join": ["", [{ "Fn::Join": [",", { Ref: "Tenants" }] }, ",".repeat(19)]] }],
  };
  puts.forEach(([id, r], i) => {
    const n = String(i + 1).padStart(2, "0");
    assert.deepEqual(id, `PutTenant${n}`);
    assert.deepEqual(r.Condition, i === 0 ? undefined : `Tenant${n}`);
    assert.deepEqual(r.Properties.Roles, [{ Ref: "WriterRole" }]);
    assert.deepEqual(r.Properties.PolicyDocument.Statement, [{
      Sid: "PutOneTenantPrefixOfThisCluster",
      Effect: "Allow",
      Action: "s3:PutObject",
      Resource: {
        "Fn::Sub": [
          "arn:${AWS::Partition}:s3:::${BucketName}/${Tenant}/${ClusterId}/*",
          { Tenant: { "Fn::Select": [i, padded] } },
        ],
      },
    }]);
    if (i > 0) {
      assert.deepEqual(t.Conditions[`Tenant${n}`], {
        "Fn::Not": [{ "Fn::Equals": ["", { "Fn::Select": [i, padded] }] }],
      });
    }
  });
  // The segments cannot smuggle a wildcard or a slash into the resource.
  const segment = new RegExp(t.Parameters.Tenants.AllowedPattern);
  for (const bad of ["*", "a/b", "..", ".", "", "a*", "acme,globex"]) assert.ok(!segment.test(bad), bad);
  assert.deepEqual(t.Parameters.ClusterId.AllowedPattern, t.Parameters.Tenants.AllowedPattern);
  // Everything else: GenerateDataKey on the bucket's key through S3 only, and (IRSA/Pod Identity) re-assuming itself.
  const others = (await writerPolicies()).filter(([id]) => !id.startsWith("PutTenant"));
  assert.deepEqual(others.map(([id, r]) => [id, r.Condition]), [
    ["EncryptWithTheBucketKey", "HasKmsKey"],
    ["ReassumeThisRole", "TrustsWorkload"],
  ]);
  const [kms] = others[0]![1].Properties.PolicyDocument.Statement;
  assert.deepEqual([kms.Action, kms.Resource], ["kms:GenerateDataKey", { Ref: "KmsKeyArn" }]);
  assert.deepEqual(Object.keys(kms.Condition.StringEquals), ["kms:ViaService"]);
  assert.deepEqual(Object.keys(kms.Condition.StringLike), ["kms:EncryptionContext:aws:s3:arn"]);
  const [reassume] = others[1]![1].Properties.PolicyDocument.Statement;
  assert.deepEqual(reassume.Action, "sts:AssumeRole");
  assert.deepEqual(reassume.Resource, { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}" });
});

Deno.test("a cluster writer role trusts only that cluster's identity", async () => {
  const t = await template("cluster-writer-role.yaml");
  const trust = t.Resources.WriterRole.Properties.AssumeRolePolicyDocument["Fn::If"];
  assert.deepEqual(trust[0], "TrustsIrsa");
  const irsa = JSON.parse(trust[1]["Fn::Sub"][0].replace(/\$\{[^}]+\}/g, "X"));
  assert.deepEqual(irsa.Statement[0].Condition, { StringEquals: { "X:sub": "system:serviceaccount:X", "X:aud": "X" } });
  const [podCondition, pod, principal] = trust[2]["Fn::If"];
  assert.deepEqual(podCondition, "TrustsPodIdentity");
  assert.deepEqual(pod.Statement[0].Principal, { Service: "pods.eks.amazonaws.com" });
  assert.deepEqual(Object.keys(pod.Statement[0].Condition.StringEquals).sort(), [
    "aws:RequestTag/eks-cluster-arn",
    "aws:RequestTag/kubernetes-namespace",
    "aws:RequestTag/kubernetes-service-account",
  ]);
  // Re-assuming itself (Vector's assume_role) is limited to this very role.
  assert.ok(
    trust[1]["Fn::Sub"][0].includes(
      '"aws:PrincipalArn":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}"',
    ),
  );
  assert.deepEqual(pod.Statement[1].Condition.ArnEquals["aws:PrincipalArn"], {
    "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}",
  });
  for (const s of [irsa.Statement[1], pod.Statement[1]]) assert.deepEqual(s.Action, "sts:AssumeRole");
  assert.deepEqual(principal.Statement, [{
    Sid: "ClusterPrincipal",
    Effect: "Allow",
    Principal: { AWS: { Ref: "TrustedPrincipalArn" } },
    Action: "sts:AssumeRole",
  }]);
  const principalArn = new RegExp(t.Parameters.TrustedPrincipalArn.AllowedPattern);
  assert.ok(principalArn.test("arn:aws:iam::210987654321:role/vector-agent"));
  assert.ok(!principalArn.test("arn:aws:iam::210987654321:root"), "a whole account is never trusted");
  assert.deepEqual(Object.keys(t.Rules).length, 3, "each trust mode requires its parameter");
});

Deno.test("the core stack has no shared writer role and a cluster registry the processor may only read", async () => {
  const core = await template("core.yaml");
  const roles = Object.entries(core.Resources as Record<string, Json>).filter(([, r]) => r.Type === "AWS::IAM::Role");
  assert.deepEqual(roles.map(([id]) => id).sort(), ["CentralLogDistributionRole", "ProcessorRole"]);
  assert.ok(
    !/"s3:PutObject"|"s3:\*"/.test(JSON.stringify(core.Resources.ProcessorRole)),
    "the processor writes no object",
  );
  assert.ok(!JSON.stringify(core).includes('"s3:PutObject"'), "nothing in the core stack may write the bucket");
  assert.deepEqual(core.Resources.ClusterTable.Properties.KeySchema, [{
    AttributeName: "cluster_id",
    KeyType: "HASH",
  }]);
  const statements = core.Resources.ProcessorRole.Properties.Policies[0].PolicyDocument.Statement;
  const registry = statements.filter((s: Json) => JSON.stringify(s.Resource).includes("ClusterTable"));
  assert.deepEqual(registry, [{
    Sid: "ReadClusterRegistry",
    Effect: "Allow",
    Action: "dynamodb:GetItem",
    Resource: { "Fn::GetAtt": ["ClusterTable", "Arn"] },
  }]);
  assert.deepEqual(core.Outputs.ClusterTableName.Value, { Ref: "ClusterTable" });
  // The one write the processor makes in the central bucket: the progress tag, on objects only.
  const tagging = statements.filter((s: Json) => JSON.stringify(s.Action).includes("Tagging"));
  assert.deepEqual(tagging, [{
    Sid: "TagObjectsWithStoredProgress",
    Effect: "Allow",
    Action: ["s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"],
    Resource: { "Fn::Sub": "${LogBucket.Arn}/*" },
  }]);
});

/** Logical ids `node` refers to (Ref, Fn::GetAtt, ${Name} in Fn::Sub). */
function references(node: Json, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => references(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "Ref" && typeof v === "string") out.add(v);
      else if (k === "Fn::GetAtt") out.add(Array.isArray(v) ? v[0] : String(v).split(".")[0]);
      else if (k === "Fn::Sub") {
        const text = Array.isArray(v) ? v[0] : v;
        for (const [, name] of String(text).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) if (name) out.add(name);
      }
      references(v, out);
    }
  }
  return out;
}

/** Resource types that hold data a deleted stack must not take with it. */
const DATA_TYPES = ["AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::KMS::Key"];
/** Data resources deliberately deleted with their stack, and why. */
const NOT_RETAINED: Record<string, string> = {
  "core.yaml DeliveryStateTable": "retry bookkeeping with a TTL, useless once the queue's messages are gone",
};

Deno.test("deleting a stack keeps its data: bucket, tenant and cluster tables, queues, and the KMS key they need", async () => {
  const retained = (r: Json) => r.DeletionPolicy === "Retain" && r.UpdateReplacePolicy === "Retain";
  const keep: string[] = [];
  for (const name of names) {
    const t = await template(name!);
    const resources = t.Resources as Record<string, Json>;
    for (const [id, r] of Object.entries(resources)) {
      if (!DATA_TYPES.includes(r.Type)) continue;
      if (`${name} ${id}` in NOT_RETAINED) {
        assert.ok(!retained(r), `${name} ${id} is retained but listed as deleted on purpose`);
        continue;
      }
      assert.ok(retained(r), `${name} ${id} (${r.Type}) is not retained on stack deletion and replacement`);
      keep.push(`${name} ${id}`);
      // Whatever a retained resource needs to stay readable (its key, the key's alias) is retained too.
      for (const ref of references(r.Properties)) {
        const target = resources[ref];
        if (target?.Type === "AWS::KMS::Key") assert.ok(retained(target), `${name} ${id} needs ${ref}, not retained`);
      }
    }
  }
  assert.deepEqual(keep.sort(), [
    "core.yaml ClusterTable",
    "core.yaml LogBucket",
    "core.yaml LogKey",
    "core.yaml TenantTable",
    "sqs.yaml DeadLetterQueue",
    "sqs.yaml Queue",
  ]);
  // The queues' key comes from the core stack: its KmsKeyArn output is the retained key.
  const core = await template("core.yaml");
  assert.deepEqual([...references(core.Outputs.KmsKeyArn.Value)], ["LogKey"]);
  assert.ok(retained(core.Resources.LogKeyAlias), "the retained key keeps its alias");
});
