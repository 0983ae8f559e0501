/**
 * The ordered stacks of one deploy and how each one's parameters are wired
 * from the outputs of the stacks before it. Pure.
 *
 * @module
 */
import { type DeployOptions, type StackKind, VISIBILITY_PER_TIMEOUT } from "./deploy_args.ts";

/** A parameter value: literal, or an output of an earlier stack. */
export type ParameterValue =
  | { readonly value: string }
  | { readonly from: StackKind; readonly output: string };

/** One stack to deploy. */
export interface StackSpec {
  readonly kind: StackKind;
  readonly stackName: string;
  /** Template path relative to the repository root. */
  readonly template: string;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** Outputs of deployed stacks, by stack kind. */
export type StackOutputs = Partial<Record<StackKind, Readonly<Record<string, string>>>>;

export const TEMPLATES: Readonly<Record<StackKind, string>> = {
  core: "cloudformation/core.yaml",
  sqs: "cloudformation/sqs.yaml",
  lambda: "cloudformation/lambda.yaml",
};

const v = (value: string | number): ParameterValue => ({ value: String(value) });
const from = (stack: StackKind, output: string): ParameterValue => ({ from: stack, output });

/** The stacks `options` asks for, in deploy order. */
export function planStacks(options: DeployOptions): StackSpec[] {
  const tags = { Project: options.project, Environment: options.environment, ManagedBy: "log-processor-deploy" };
  const naming = { Project: v(options.project), Environment: v(options.environment) };
  const extra = (kind: StackKind) =>
    Object.fromEntries(Object.entries(options.parameters[kind]).map(([k, x]) => [k, v(x)]));
  const stack = (kind: StackKind, parameters: Record<string, ParameterValue>): StackSpec => ({
    kind,
    stackName: `${options.stackName}-${kind}`,
    template: TEMPLATES[kind],
    parameters: { ...naming, ...parameters, ...extra(kind) },
    tags,
  });

  const stacks = [stack("core", {})];
  if (options.includeSqs) {
    stacks.push(stack("sqs", {
      TopicArn: from("core", "TopicArn"),
      KmsKeyArn: from("core", "KmsKeyArn"),
      ProcessorRoleName: from("core", "ProcessorRoleName"),
      ...(options.includeLambda
        ? { VisibilityTimeoutSeconds: v(options.lambdaTimeoutSeconds * VISIBILITY_PER_TIMEOUT) }
        : {}),
    }));
  }
  if (options.includeLambda && options.lambdaCode) {
    const code = options.lambdaCode;
    if (code.kind === "file") throw new Error(`the local package ${code.path} must be hashed first (hashLocalPackage)`);
    stacks.push(stack("lambda", {
      CodeS3Bucket: v(code.kind === "image" ? "" : code.bucket),
      CodeS3Key: v(code.kind === "image" ? "" : code.key),
      ...(code.kind === "s3" && code.version ? { CodeS3ObjectVersion: v(code.version) } : {}),
      ImageUri: v(code.kind === "image" ? code.imageUri : ""),
      TimeoutSeconds: v(options.lambdaTimeoutSeconds),
      ProcessorRoleArn: from("core", "ProcessorRoleArn"),
      ProcessorRoleName: from("core", "ProcessorRoleName"),
      KmsKeyArn: from("core", "KmsKeyArn"),
      QueueArn: from("sqs", "QueueArn"),
      TenantTableName: from("core", "TenantTableName"),
      ClusterTableName: from("core", "ClusterTableName"),
      DeliveryStateTableName: from("core", "DeliveryStateTableName"),
      CentralLogDistributionRoleArn: from("core", "CentralLogDistributionRoleArn"),
      BucketName: from("core", "BucketName"),
    }));
  }
  return stacks;
}

/** Resolves a stack's parameters against the outputs deployed so far. */
export function resolveParameters(spec: StackSpec, outputs: StackOutputs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, p] of Object.entries(spec.parameters)) {
    if ("value" in p) {
      out[key] = p.value;
      continue;
    }
    const value = outputs[p.from]?.[p.output];
    if (value === undefined) {
      throw new Error(`stack ${spec.stackName}: parameter ${key} needs output ${p.output} of the ${p.from} stack`);
    }
    out[key] = value;
  }
  return out;
}

/** A parameter as the dry run shows it. */
export function describeParameter(p: ParameterValue): string {
  return "value" in p ? JSON.stringify(p.value) : `<${p.from} stack output ${p.output}>`;
}
