import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parseOptions } from "../loggen/options.ts";
import {
  clustersAddArgs,
  customerRoleArn,
  DEMO_CLUSTERS,
  DEMO_TENANTS,
  GENERATOR_RUNS,
  generatorArgs,
  OLD_OBJECTS_DAYS_AGO,
  REFUSED_WRITE,
  tenantsAddArgs,
} from "./demo_plan.ts";

Deno.test("the generator runs parse with the generator's own options into what the plan says", () => {
  const now = Date.parse("2026-03-01T12:00:00Z");
  for (const run of GENERATOR_RUNS) {
    const options = parseOptions(generatorArgs(run, "central", now), {});
    if (options === "help" || options.mode !== "s3") throw new Error("not S3 mode");
    deepStrictEqual(
      [options.bucket, options.tenantIds, options.appNames, options.objects, options.eventsPerObject, options.seed],
      ["central", run.tenantIds, run.appNames, run.objects, run.eventsPerObject, run.seed],
    );
    strictEqual(options.time, now - run.daysAgo * 86_400_000);
    // Round-robin over the pods: every tenant gets the same number of objects.
    deepStrictEqual(options.clusterIds, run.clusterIds);
    const pods = run.tenantIds.length * run.clusterIds.length * run.appNames.length * run.pods;
    strictEqual(run.objects % pods, 0, run.purpose);
  }
  ok(OLD_OBJECTS_DAYS_AGO > 14, "CloudWatch refuses events older than 14 days");
});

Deno.test("tenants add arguments: role in the tenant's account, allow-lists, the disabled flag", () => {
  const [acme, globex, initech] = DEMO_TENANTS;
  deepStrictEqual(tenantsAddArgs(acme!, acme!.deliveries[0]!), [
    "tenants",
    "add",
    "--tenant",
    "acme",
    "--type",
    "cloudwatch",
    "--delivery",
    "cloudwatch",
    "--role-arn",
    "arn:aws:iam::111111111111:role/CustomerLogDistributionRole",
    "--log-group",
    "/customer/acme/k8s",
  ]);
  const archive = tenantsAddArgs(globex!, globex!.deliveries[1]!);
  deepStrictEqual(archive.slice(archive.indexOf("--bucket")), [
    "--bucket",
    "globex-log-archive",
    "--bucket-prefix",
    "k8s/",
    "--applications",
    "api,web",
  ]);
  strictEqual(tenantsAddArgs(initech!, initech!.deliveries[0]!).at(-1), "--disabled");
  // One account per tenant, none of them the central one.
  const accounts = DEMO_TENANTS.map((t) => customerRoleArn(t).split(":")[4]);
  strictEqual(new Set([...accounts, "123456789012"]).size, DEMO_TENANTS.length + 1);
});

Deno.test("clusters: every generated cluster is registered, and the refused write is the only unregistered pair", () => {
  const registered = new Set(DEMO_CLUSTERS.flatMap((c) => c.tenants.map((t) => `${t}/${c.id}`)));
  const written = GENERATOR_RUNS.flatMap((r) => r.tenantIds.flatMap((t) => r.clusterIds.map((c) => `${t}/${c}`)));
  deepStrictEqual([...new Set(written.filter((w) => !registered.has(w)))], [
    `${REFUSED_WRITE.tenant}/${REFUSED_WRITE.cluster}`,
  ]);
  ok(DEMO_TENANTS.some((t) => t.id === REFUSED_WRITE.tenant), "the victim is a real tenant with deliveries");
  deepStrictEqual(clustersAddArgs(DEMO_CLUSTERS[2]!), [
    "clusters",
    "add",
    "--cluster",
    "edge-1",
    "--tenants",
    "acme",
    "--principal-arn",
    "arn:aws:iam::123456789012:role/vector-agent-edge-1",
    "--deploy",
  ]);
});
