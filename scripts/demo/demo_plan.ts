/**
 * What `deno task demo` sets up, as data: the central stacks' name, three
 * tenants in their own accounts (one CloudWatch; one CloudWatch + S3 with an
 * application allow-list; one disabled), the clusters that ship their logs
 * (each with its own writer role), and the log generator runs that feed them,
 * one of them a write a cluster has no right to. Pure: the other demo modules
 * and the demo's test read it.
 *
 * @module
 */
import type { S3Options } from "../loggen/options.ts";

export const DEMO_REGION = "us-east-1";
/** moto's default account: the central resources live here. */
export const CENTRAL_ACCOUNT = "123456789012";
/** `cloudformation/deploy.sh --environment`: stacks `mtl-demo-core`, `mtl-demo-sqs`. */
export const DEMO_ENVIRONMENT = "demo";
/** The customer role's name (the core stack's CustomerRoleNamePattern is `CustomerLogDistribution*`). */
export const CUSTOMER_ROLE_NAME = "CustomerLogDistributionRole";

/** One delivery of a demo tenant, as `tenants add` flags. */
export type DemoDelivery =
  | {
    readonly type: "cloudwatch";
    readonly deliveryId: string;
    readonly logGroup: string;
    readonly applications?: readonly string[];
    readonly disabled?: boolean;
  }
  | {
    readonly type: "s3";
    readonly deliveryId: string;
    readonly bucket: string;
    readonly bucketPrefix: string;
    readonly applications?: readonly string[];
  };

/** A tenant of the demo, in its own AWS account. */
export interface DemoTenant {
  readonly id: string;
  readonly account: string;
  /** One line on what this tenant shows. */
  readonly story: string;
  readonly deliveries: readonly DemoDelivery[];
}

/** A cluster of the demo: the tenants it is registered for, and the base identity its agents run as. */
export interface DemoCluster {
  readonly id: string;
  readonly tenants: readonly string[];
  /** `clusters add --principal-arn`: the only principal its writer role trusts. */
  readonly agentRoleArn: string;
}

export const DEMO_CLUSTERS: readonly DemoCluster[] = [
  { id: "prod-1", tenants: ["acme", "globex", "initech"] },
  { id: "staging-1", tenants: ["acme", "globex", "initech"] },
  { id: "edge-1", tenants: ["acme"] },
].map((c) => ({ ...c, agentRoleArn: `arn:aws:iam::${CENTRAL_ACCOUNT}:role/vector-agent-${c.id}` }));

/** The write the demo shows refused: a cluster writing under a tenant it is not registered for. */
export const REFUSED_WRITE = { cluster: "edge-1", tenant: "globex" } as const;

/** The `log-processor clusters add` arguments of `cluster` (the writer stack deployed into moto). */
export function clustersAddArgs(cluster: DemoCluster): string[] {
  return [
    "clusters",
    "add",
    "--cluster",
    cluster.id,
    "--tenants",
    cluster.tenants.join(","),
    "--principal-arn",
    cluster.agentRoleArn,
    "--deploy",
  ];
}

/** The applications globex admits; its `debug-shell` objects are skipped. */
export const GLOBEX_APPLICATIONS = ["api", "web"] as const;

export const DEMO_TENANTS: readonly DemoTenant[] = [
  {
    id: "acme",
    account: "111111111111",
    story: "CloudWatch Logs",
    deliveries: [{ type: "cloudwatch", deliveryId: "cloudwatch", logGroup: "/customer/acme/k8s" }],
  },
  {
    id: "globex",
    account: "222222222222",
    story: `CloudWatch Logs + S3, applications ${GLOBEX_APPLICATIONS.join(", ")} only`,
    deliveries: [
      {
        type: "cloudwatch",
        deliveryId: "cloudwatch",
        logGroup: "/customer/globex/k8s",
        applications: GLOBEX_APPLICATIONS,
      },
      {
        type: "s3",
        deliveryId: "archive",
        bucket: "globex-log-archive",
        bucketPrefix: "k8s/",
        applications: GLOBEX_APPLICATIONS,
      },
    ],
  },
  {
    id: "initech",
    account: "333333333333",
    story: "onboarded with its delivery disabled",
    deliveries: [{ type: "cloudwatch", deliveryId: "cloudwatch", logGroup: "/customer/initech/k8s", disabled: true }],
  },
];

/** The customer role of `tenant`. */
export function customerRoleArn(tenant: DemoTenant): string {
  return `arn:aws:iam::${tenant.account}:role/${CUSTOMER_ROLE_NAME}`;
}

/** The `log-processor tenants add` arguments for one delivery. */
export function tenantsAddArgs(tenant: DemoTenant, delivery: DemoDelivery): string[] {
  const args = ["tenants", "add", "--tenant", tenant.id, "--type", delivery.type];
  args.push("--delivery", delivery.deliveryId, "--role-arn", customerRoleArn(tenant));
  if (delivery.type === "cloudwatch") args.push("--log-group", delivery.logGroup);
  else args.push("--bucket", delivery.bucket, "--bucket-prefix", delivery.bucketPrefix);
  if (delivery.applications?.length) args.push("--applications", delivery.applications.join(","));
  if (delivery.type === "cloudwatch" && delivery.disabled) args.push("--disabled");
  return args;
}

/** One run of `scripts/generate_logs.ts --s3`: the generator's own options that the demo sets. */
export interface GeneratorRun
  extends Pick<S3Options, "tenantIds" | "clusterIds" | "appNames" | "pods" | "objects" | "eventsPerObject" | "seed"> {
  /** What the run is for, shown by the demo. */
  readonly purpose: string;
  /** Days before now of the newest objects (0 = now). */
  readonly daysAgo: number;
}

/** CloudWatch Logs refuses events older than 14 days: the third run is older. */
export const OLD_OBJECTS_DAYS_AGO = 15;

export const GENERATOR_RUNS: readonly GeneratorRun[] = [
  {
    purpose: "every tenant: 2 clusters x 2 applications x 2 pods",
    tenantIds: DEMO_TENANTS.map((t) => t.id),
    clusterIds: ["prod-1", "staging-1"],
    appNames: GLOBEX_APPLICATIONS,
    pods: 2,
    objects: 48,
    eventsPerObject: 250,
    seed: 2026,
    daysAgo: 0,
  },
  {
    purpose: "globex, an application outside its allow-list",
    tenantIds: ["globex"],
    clusterIds: ["prod-1"],
    appNames: ["debug-shell"],
    pods: 1,
    objects: 4,
    eventsPerObject: 50,
    seed: 2027,
    daysAgo: 0,
  },
  {
    purpose: `acme, objects from ${OLD_OBJECTS_DAYS_AGO} days ago`,
    tenantIds: ["acme"],
    clusterIds: ["prod-1"],
    appNames: ["api"],
    pods: 1,
    objects: 2,
    eventsPerObject: 100,
    seed: 2028,
    daysAgo: OLD_OBJECTS_DAYS_AGO,
  },
  {
    purpose: `a refused write: ${REFUSED_WRITE.cluster}, registered for acme only, writes under globex`,
    tenantIds: [REFUSED_WRITE.tenant],
    clusterIds: [REFUSED_WRITE.cluster],
    appNames: ["api"],
    pods: 1,
    objects: 2,
    eventsPerObject: 20,
    seed: 2029,
    daysAgo: 0,
  },
];

/** The generator's command-line arguments for `run` into `bucket`, with `now` in epoch ms. */
export function generatorArgs(run: GeneratorRun, bucket: string, now: number): string[] {
  return [
    "--s3",
    "--bucket",
    bucket,
    "--tenant-ids",
    run.tenantIds.join(","),
    "--cluster-ids",
    run.clusterIds.join(","),
    "--app-names",
    run.appNames.join(","),
    "--pods",
    String(run.pods),
    "--objects",
    String(run.objects),
    "--events-per-object",
    String(run.eventsPerObject),
    "--seed",
    String(run.seed),
    "--time",
    new Date(now - run.daysAgo * 86_400_000).toISOString(),
  ];
}
