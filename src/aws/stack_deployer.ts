/**
 * Creates or updates one CloudFormation stack and waits for it, reporting
 * the failed resources when it does not complete. The CloudFormation client
 * is passed in (built with the project's `clientConfig`, so AWS_ENDPOINT_URL
 * is honoured).
 *
 * @module
 */
import {
  type CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
  ValidateTemplateCommand,
} from "@aws-sdk/client-cloudformation";
import { sleep } from "./retry.ts";

/** What happened to a stack. */
export interface DeployResult {
  readonly stackName: string;
  readonly action: "created" | "updated" | "unchanged";
  readonly outputs: Record<string, string>;
}

/** One stack deployment request. */
export interface StackRequest {
  readonly stackName: string;
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Turn termination protection on (never off: that stays a deliberate act in the console or CLI). */
  readonly terminationProtection?: boolean;
}

/** The CreateStack / UpdateStack / CreateChangeSet input of `request`. */
export function stackInput(request: StackRequest) {
  return {
    StackName: request.stackName,
    TemplateBody: request.templateBody,
    Capabilities: ["CAPABILITY_NAMED_IAM" as const],
    Parameters: Object.entries(request.parameters).map(([ParameterKey, ParameterValue]) => ({
      ParameterKey,
      ParameterValue,
    })),
    Tags: Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value })),
  };
}

/** A stack status that holds no deployable stack yet (a failed first create, or an unexecuted change set). */
export function blockedStatus(stackName: string, status: string | undefined): string | undefined {
  if (status === "ROLLBACK_COMPLETE" || status === "ROLLBACK_FAILED") {
    return `stack ${stackName} is in ${status} after a failed create and cannot be updated; ` +
      `delete it (aws cloudformation delete-stack --stack-name ${stackName}) and deploy again`;
  }
  if (status === "REVIEW_IN_PROGRESS") {
    return `stack ${stackName} is in REVIEW_IN_PROGRESS: a change set created it and was never executed; ` +
      `execute or delete that change set, or delete the stack (aws cloudformation delete-stack --stack-name ${stackName})`;
  }
  return undefined;
}

/** Options of {@link StackDeployer}. */
export interface DeployerOptions {
  readonly pollMs: number;
  readonly log: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** CloudFormation accepts a TemplateBody of at most this many bytes. */
export const MAX_TEMPLATE_BODY = 51_200;

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Deploys stacks one at a time. */
export class StackDeployer {
  readonly #sleep: (ms: number) => Promise<void>;

  readonly #cf: CloudFormationClient;
  readonly #options: DeployerOptions;

  constructor(cf: CloudFormationClient, options: DeployerOptions) {
    this.#cf = cf;
    this.#options = options;
    this.#sleep = options.sleep ?? sleep;
  }

  /** Validates a template with CloudFormation; throws with its message. */
  async validate(name: string, templateBody: string): Promise<void> {
    checkSize(name, templateBody);
    try {
      await this.#cf.send(new ValidateTemplateCommand({ TemplateBody: templateBody }));
    } catch (err) {
      throw new Error(`template ${name} is invalid: ${errorText(err)}`);
    }
  }

  /** The stack, or undefined when it does not exist. */
  async describe(stackName: string): Promise<Stack | undefined> {
    try {
      const out = await this.#cf.send(new DescribeStacksCommand({ StackName: stackName }));
      return out.Stacks?.[0];
    } catch (err) {
      if (err instanceof Error && /does not exist/.test(err.message)) return undefined;
      throw err;
    }
  }

  /** Creates or updates `request.stackName` and waits until it settles. */
  async deploy(request: StackRequest): Promise<DeployResult> {
    checkSize(request.stackName, request.templateBody);
    let existing = await this.describe(request.stackName);
    const blocked = blockedStatus(request.stackName, existing?.StackStatus);
    if (blocked) throw new Error(blocked);
    if (existing?.StackStatus?.endsWith("_IN_PROGRESS")) {
      this.#options.log(`${request.stackName}: waiting for ${existing.StackStatus} to finish first`);
      existing = await this.#wait(request.stackName, new Date(0), false);
    }
    const blockedAfter = blockedStatus(request.stackName, existing?.StackStatus);
    if (blockedAfter) throw new Error(blockedAfter);
    const input = stackInput(request);
    const started = new Date(Date.now() - 1000);
    let action: DeployResult["action"];
    if (!existing || existing.StackStatus === "DELETE_COMPLETE") {
      this.#options.log(
        `${request.stackName}: creating${request.terminationProtection ? " (termination protection on)" : ""}`,
      );
      await this.#cf.send(
        new CreateStackCommand({
          ...input,
          ...(request.terminationProtection ? { EnableTerminationProtection: true } : {}),
        }),
      );
      action = "created";
    } else {
      await this.#protect(request, existing);
      this.#options.log(`${request.stackName}: updating`);
      try {
        await this.#cf.send(new UpdateStackCommand(input));
        action = "updated";
      } catch (err) {
        if (!(err instanceof Error && /No updates are to be performed/.test(err.message))) throw err;
        this.#options.log(`${request.stackName}: no changes`);
        return { stackName: request.stackName, action: "unchanged", outputs: outputsOf(existing) };
      }
    }
    const stack = await this.#wait(request.stackName, started, true);
    this.#options.log(`${request.stackName}: ${stack.StackStatus}`);
    return { stackName: request.stackName, action, outputs: outputsOf(stack) };
  }

  async #protect(request: StackRequest, existing: Stack): Promise<void> {
    if (!request.terminationProtection || existing.EnableTerminationProtection) return;
    this.#options.log(`${request.stackName}: turning termination protection on`);
    await this.#cf.send(
      new UpdateTerminationProtectionCommand({ StackName: request.stackName, EnableTerminationProtection: true }),
    );
  }

  async #wait(stackName: string, since: Date, mustSucceed: boolean): Promise<Stack> {
    let last = "";
    for (;;) {
      const stack = await this.describe(stackName);
      if (!stack) throw new Error(`stack ${stackName} disappeared while waiting for it`);
      const status = stack.StackStatus ?? "UNKNOWN";
      if (status !== last) {
        if (last) this.#options.log(`${stackName}: ${status}`);
        last = status;
      }
      if (!status.endsWith("_IN_PROGRESS")) {
        if (mustSucceed && status !== "CREATE_COMPLETE" && status !== "UPDATE_COMPLETE") {
          const reasons = await this.#failures(stackName, since);
          throw new Error(
            `stack ${stackName} ended in ${status}${stack.StackStatusReason ? ` (${stack.StackStatusReason})` : ""}` +
              (reasons.length ? `:\n  ${reasons.join("\n  ")}` : ""),
          );
        }
        return stack;
      }
      await this.#sleep(this.#options.pollMs);
    }
  }

  async #failures(stackName: string, since: Date): Promise<string[]> {
    try {
      const out = await this.#cf.send(new DescribeStackEventsCommand({ StackName: stackName }));
      return (out.StackEvents ?? [])
        .filter((e) => e.ResourceStatus?.endsWith("_FAILED") && (!e.Timestamp || e.Timestamp >= since))
        .map((e) => `${e.LogicalResourceId} (${e.ResourceType}): ${e.ResourceStatusReason ?? e.ResourceStatus}`)
        .reverse();
    } catch {
      return [];
    }
  }
}

function checkSize(name: string, body: string): void {
  const size = new TextEncoder().encode(body).length;
  if (size > MAX_TEMPLATE_BODY) {
    throw new Error(`template ${name} is ${size} bytes; CloudFormation accepts at most ${MAX_TEMPLATE_BODY} inline`);
  }
}

/** A stack's outputs as a plain map. */
export function outputsOf(stack: Stack): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of stack.Outputs ?? []) if (o.OutputKey && o.OutputValue !== undefined) out[o.OutputKey] = o.OutputValue;
  return out;
}
