/**
 * What a deploy would change, for `deploy.sh --dry-run`: for an existing
 * stack a CloudFormation change set is created, read and deleted (never
 * executed); a stack that does not exist yet lists its template's resources.
 * The client is passed in.
 *
 * @module
 */
import {
  type Change,
  type CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type Stack,
} from "@aws-sdk/client-cloudformation";
import { blockedStatus, stackInput, type StackRequest } from "../../src/aws/stack_deployer.ts";
import type { TemplateResource } from "./template_summary.ts";

/** One resource change. */
export interface ResourceChange {
  readonly action: string;
  readonly logical_id: string;
  readonly type: string;
  /** Whether CloudFormation replaces the resource ("True", "False", "Conditional"). */
  readonly replacement?: string;
  /** The parts of the resource that change (Properties, Tags, …). */
  readonly scope?: string[];
  /** Created only when this template condition holds. */
  readonly condition?: string;
}

/** What would happen to one stack. */
export interface StackPreview {
  readonly stack: string;
  readonly template: string;
  readonly status: string;
  /** "create": new stack, from the template; "update": from a change set. */
  readonly action: "create" | "update" | "blocked";
  readonly changes: readonly ResourceChange[];
  readonly note?: string;
}

/** Options of {@link previewStack}. */
export interface PreviewOptions {
  readonly pollMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

function changeOf(c: Change): ResourceChange {
  const r = c.ResourceChange ?? {};
  return {
    action: r.Action ?? c.Type ?? "Unknown",
    logical_id: r.LogicalResourceId ?? "",
    type: r.ResourceType ?? "",
    ...(r.Replacement ? { replacement: r.Replacement } : {}),
    ...(r.Scope?.length ? { scope: r.Scope } : {}),
  };
}

/** The resources a new stack would get from its template (pure). */
export function creationChanges(resources: readonly TemplateResource[]): ResourceChange[] {
  return resources.map((r) => ({
    action: "Add",
    logical_id: r.logicalId,
    type: r.type,
    ...(r.condition ? { condition: r.condition } : {}),
  }));
}

/** The stack to preview: what exists, what the template holds and what would be asked of CloudFormation. */
export interface PreviewTarget {
  /** The deployed stack; undefined when there is none. */
  readonly existing: Stack | undefined;
  readonly stackName: string;
  readonly template: { readonly path: string; readonly resources: readonly TemplateResource[] };
  /** `missing` instead of a request: its parameters cannot be resolved (an earlier stack is missing). */
  readonly request: StackRequest | { readonly missing: string };
}

/**
 * The preview of one stack: a change set of `request` against the `existing`
 * stack, or the template's resources when there is none. `missing` instead
 * of a request: its parameters cannot be resolved (an earlier stack is
 * missing), so an existing stack cannot be previewed.
 */
export async function previewStack(
  cf: CloudFormationClient,
  { existing, stackName, template, request }: PreviewTarget,
  options: PreviewOptions,
): Promise<StackPreview> {
  const base = { stack: stackName, template: template.path };
  const status = existing?.StackStatus ?? "DOES_NOT_EXIST";
  if (!existing || status === "DELETE_COMPLETE") {
    return { ...base, status, action: "create", changes: creationChanges(template.resources) };
  }
  const blocked = blockedStatus(stackName, status) ??
    (status.endsWith("_IN_PROGRESS") ? `an operation is in progress (${status})` : undefined) ??
    ("missing" in request ? request.missing : undefined);
  if (blocked || "missing" in request) return { ...base, status, action: "blocked", changes: [], note: blocked };
  const name = `deploy-sh-preview-${Date.now()}`;
  await cf.send(new CreateChangeSetCommand({ ...stackInput(request), ChangeSetName: name, ChangeSetType: "UPDATE" }));
  try {
    for (;;) {
      const out = await cf.send(new DescribeChangeSetCommand({ StackName: request.stackName, ChangeSetName: name }));
      if (out.Status === "FAILED") {
        const reason = out.StatusReason ?? "";
        if (/didn't contain changes|No updates are to be performed/i.test(reason)) {
          return { ...base, status, action: "update", changes: [] };
        }
        throw new Error(`change set for ${request.stackName} failed: ${reason || "no reason given"}`);
      }
      if (out.Status === "CREATE_COMPLETE") {
        const changes = [...(out.Changes ?? [])];
        let token = out.NextToken;
        while (token) {
          const page = await cf.send(
            new DescribeChangeSetCommand({ StackName: request.stackName, ChangeSetName: name, NextToken: token }),
          );
          changes.push(...(page.Changes ?? []));
          token = page.NextToken;
        }
        return { ...base, status, action: "update", changes: changes.map(changeOf) };
      }
      await options.sleep(options.pollMs);
    }
  } finally {
    await cf.send(new DeleteChangeSetCommand({ StackName: request.stackName, ChangeSetName: name })).catch(() => {});
  }
}

/** The previews as text (pure). */
export function formatPreviews(previews: readonly StackPreview[]): string {
  const lines = ["", "What would change:"];
  for (const p of previews) {
    const head = p.action === "create"
      ? `  ${p.stack}: does not exist; would be created with ${p.changes.length} resources`
      : p.action === "blocked"
      ? `  ${p.stack}: ${p.note}`
      : p.changes.length === 0
      ? `  ${p.stack} (${p.status}): no changes`
      : `  ${p.stack} (${p.status}): ${p.changes.length} change(s)`;
    lines.push(head);
    for (const c of p.changes) {
      const details = [
        c.replacement === "True" ? "REPLACED" : c.replacement === "Conditional" ? "may be replaced" : "",
        c.scope?.length ? c.scope.join(", ") : "",
        c.condition ? `if ${c.condition}` : "",
      ].filter(Boolean).join("; ");
      lines.push(`    ${c.action.padEnd(7)} ${c.logical_id} (${c.type})${details ? `  ${details}` : ""}`);
    }
  }
  return lines.join("\n");
}
