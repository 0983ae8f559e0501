/**
 * `deploy.sh --dry-run`: the plan, the Lambda package's state in S3, and what
 * each stack's update would change (change_preview.ts). Reads only; the one
 * thing it creates, a change set per existing stack, it deletes again.
 *
 * @module
 */
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { S3Client } from "@aws-sdk/client-s3";
import { formatPreviews, previewStack, type StackPreview } from "./change_preview.ts";
import type { DeployOptions } from "./deploy_args.ts";
import { formatPlan } from "./deploy_summary.ts";
import { inspectPackage, type PackageState } from "./lambda_package.ts";
import { outputsOf, type StackDeployer } from "../../src/aws/stack_deployer.ts";
import { describeParameter, resolveParameters, type StackOutputs, type StackSpec } from "./stack_plan.ts";
import type { TemplateSummary } from "./template_summary.ts";

/** Everything a dry run found, as `--json` prints it. */
export interface DryRunReport {
  readonly dry_run: true;
  readonly region: string;
  readonly package?: { readonly bucket: string; readonly key: string; readonly upload?: string } & PackageState;
  readonly stacks: readonly (StackPreview & { readonly parameters: Record<string, string> })[];
}

/** What the dry run needs. */
export interface DryRunContext {
  readonly cf: CloudFormationClient;
  readonly s3: () => S3Client;
  readonly deployer: StackDeployer;
  readonly options: DeployOptions;
  readonly stacks: readonly StackSpec[];
  readonly bodies: ReadonlyMap<string, string>;
  readonly summaries: ReadonlyMap<string, TemplateSummary>;
  readonly pollMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Runs the dry run. */
export async function dryRun(ctx: DryRunContext): Promise<DryRunReport> {
  const code = ctx.options.lambdaCode;
  let pkg: DryRunReport["package"];
  if (code?.kind === "s3") {
    pkg = {
      bucket: code.bucket,
      key: code.key,
      ...(code.upload ? { upload: code.upload.path } : {}),
      ...await inspectPackage(ctx.s3(), code),
    };
  }
  const outputs: StackOutputs = {};
  const stacks: DryRunReport["stacks"][number][] = [];
  for (const spec of ctx.stacks) {
    const existing = await ctx.deployer.describe(spec.stackName);
    let request;
    try {
      request = {
        stackName: spec.stackName,
        templateBody: ctx.bodies.get(spec.template)!,
        parameters: resolveParameters(spec, outputs),
        tags: spec.tags,
      };
    } catch (err) {
      request = { missing: err instanceof Error ? err.message : String(err) };
    }
    const preview = await previewStack(ctx.cf, {
      existing,
      stackName: spec.stackName,
      template: { path: spec.template, resources: ctx.summaries.get(spec.template)!.resources },
      request,
    }, { pollMs: ctx.pollMs, sleep: ctx.sleep });
    const parameters = Object.fromEntries(Object.entries(spec.parameters).map(([k, p]) => [k, describeParameter(p)]));
    stacks.push({ ...preview, parameters });
    if (existing) outputs[spec.kind] = outputsOf(existing);
  }
  return { dry_run: true, region: ctx.options.region, ...(pkg ? { package: pkg } : {}), stacks };
}

/** The report as text: the plan, the package, the changes (pure). */
export function formatDryRun(options: DeployOptions, stacks: readonly StackSpec[], report: DryRunReport): string {
  const lines = [formatPlan(options, stacks)];
  const p = report.package;
  if (p) {
    lines.push(
      "",
      `Lambda package s3://${p.bucket}/${p.key}: ` +
        (!p.bucketExists
          ? `the bucket does not exist${
            options.createArtifactBucket ? " (would be created)" : " (add --create-artifact-bucket)"
          }`
          : p.objectExists
          ? `present${p.version ? ` (version ${p.version})` : ""}${p.upload ? ", not uploaded again" : ""}`
          : p.upload
          ? "would be uploaded"
          : "MISSING"),
    );
  }
  lines.push(formatPreviews(report.stacks));
  return lines.join("\n");
}
