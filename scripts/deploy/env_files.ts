/**
 * `deploy.sh --write-env`: the files the workloads read, filled from what the
 * deploy created, so the processor and the agents name the same resources:
 * - `<processor-dir>/processor.env`: its AWS settings updated in place (the
 *   other settings and the comments stay as they are);
 * - `<processor-dir>/aws-identity.env`: the processor role, which the
 *   kustomization puts into the ServiceAccount's IRSA annotation;
 * - `<overlay>/central.env`: the bucket and region of the agents (the rest of
 *   `vector-params`, cluster_id, the tenant allow-list and the cluster's own
 *   writer role, is per cluster: `log-processor clusters add` prints it).
 * The text functions are pure; {@link writeEnvFiles} does the I/O.
 *
 * @module
 */
import type { WriteEnv } from "./deploy_args.ts";
import type { StackOutputs } from "./stack_plan.ts";

/** `KEY=value` lines of an env file (kustomize's `envs` format): no quoting, `#` comments. */
export function parseEnvText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const [, key, value] = line.match(/^\s*([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/) ?? [];
    if (key !== undefined && value !== undefined) out[key] = value;
  }
  return out;
}

/** `text` with each key of `values` set: an existing line is replaced where it is, a new key appended. */
export function updateEnvText(text: string, values: Readonly<Record<string, string>>): string {
  const pending = new Map(Object.entries(values));
  const lines = text.replace(/\n$/, "").split("\n").map((line) => {
    const key = line.match(/^\s*([A-Za-z_][A-Za-z0-9_.-]*)=/)?.[1];
    if (!key || !pending.has(key)) return line;
    const value = pending.get(key)!;
    pending.delete(key);
    return `${key}=${value}`;
  });
  for (const [key, value] of pending) lines.push(`${key}=${value}`);
  return `${lines.filter((l, i) => i > 0 || l !== "").join("\n")}\n`;
}

/**
 * The processor's AWS settings from the stacks' outputs (SQS_QUEUE_URL, and
 * the POWERTOOLS_SERVICE_NAME the SQS stack's dashboard shows, only with the SQS stack).
 */
export function processorEnvValues(region: string, outputs: StackOutputs): Record<string, string> {
  const core = outputs.core ?? {};
  const values: Record<string, string | undefined> = {
    AWS_REGION: region,
    TENANT_CONFIG_TABLE: core.TenantTableName,
    CLUSTER_TABLE: core.ClusterTableName,
    CENTRAL_LOG_DISTRIBUTION_ROLE_ARN: core.CentralLogDistributionRoleArn,
    CENTRAL_BUCKET: core.BucketName,
    DELIVERY_STATE_TABLE: core.DeliveryStateTableName,
    ...(outputs.sqs?.QueueUrl ? { SQS_QUEUE_URL: outputs.sqs.QueueUrl } : {}),
    ...(outputs.sqs?.ServiceName ? { POWERTOOLS_SERVICE_NAME: outputs.sqs.ServiceName } : {}),
  };
  const missing = Object.entries(values).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw new Error(`the core stack's outputs lack what ${missing.join(", ")} needs`);
  return values as Record<string, string>;
}

/** The agents' central values (keys of the overlay's `vector-params`). */
export function agentEnvValues(region: string, outputs: StackOutputs): Record<string, string> {
  const core = outputs.core ?? {};
  if (!core.BucketName) {
    throw new Error("the core stack's outputs lack the bucket");
  }
  return { bucket: core.BucketName, region };
}

/** The processor's identity for its ServiceAccount. */
export function identityEnvValues(outputs: StackOutputs): Record<string, string> {
  const arn = outputs.core?.ProcessorRoleArn;
  if (!arn) throw new Error("the core stack's outputs lack ProcessorRoleArn");
  return { processor_role_arn: arn };
}

function header(what: string, stack: string): string {
  return `# ${what}\n# Written by cloudformation/deploy.sh --write-env from stack ${stack}; deploy again to refresh it.\n`;
}

/** Writes the three files from the `outputs` of the stacks of `stackName` in `region`; resolves to their paths. */
export async function writeEnvFiles(
  target: WriteEnv,
  { region, stackName, outputs }: {
    readonly region: string;
    readonly stackName: string;
    readonly outputs: StackOutputs;
  },
): Promise<string[]> {
  const processorEnv = `${target.processorDir}/processor.env`;
  let current = "";
  try {
    current = await Deno.readTextFile(processorEnv);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    current =
      header("Environment of the SQS worker (DESIGN 1.4; every variable is in README.md).", `${stackName}-core`) +
      "EXECUTION_MODE=sqs\n";
  }
  const files: [string, string][] = [
    [processorEnv, updateEnvText(current, processorEnvValues(region, outputs))],
    [
      `${target.processorDir}/aws-identity.env`,
      header(
        "The processor role (IRSA annotation of the ServiceAccount, set by kustomization.yaml).",
        `${stackName}-core`,
      ) +
      updateEnvText("", identityEnvValues(outputs)),
    ],
    [
      `${target.overlayDir}/central.env`,
      header(
        "The central bucket and its region (vector-params; the writer role is the cluster's own).",
        `${stackName}-core`,
      ) +
      updateEnvText("", agentEnvValues(region, outputs)),
    ],
  ];
  for (const [path, text] of files) {
    await Deno.mkdir(path.split("/").slice(0, -1).join("/") || ".", { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  return files.map(([path]) => path);
}
