/**
 * What every `dlq` subcommand receives, and the helpers they share: flags,
 * and finding the DLQ from the source queue's redrive policy.
 *
 * @module
 */
import type { ClientSettings } from "../aws/client_config.ts";
import { QUEUE_URL_PATTERN } from "../aws/name_rules.ts";
import type { QueueToolConfig } from "../config.ts";
import type { QueueAdmin } from "../dlq/queue_admin.ts";
import { redriveTargetArn } from "../dlq/queue_names.ts";
import { UsageError } from "../errors.ts";
import type { CliIo, Values } from "./tenants_context.ts";

/** What every `dlq` subcommand receives. */
export interface DlqContext {
  readonly config: QueueToolConfig;
  readonly settings: ClientSettings;
  readonly admin: QueueAdmin;
  readonly values: Values;
  readonly io: CliIo;
  /** Prints a result: JSON as one line, else the text. */
  readonly print: (json: unknown, text: () => string) => void;
}

/** The DLQ and the source queue of a command. */
export interface ResolvedQueues {
  readonly dlqUrl: string;
  readonly dlqAttributes: Record<string, string>;
  /** The source queue, when known (`--queue` or SQS_QUEUE_URL). */
  readonly sourceUrl?: string;
}

/** A queue URL flag, checked. */
export function queueUrlFlag(values: Values, flag: string): string | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !QUEUE_URL_PATTERN.test(v.trim())) {
    throw new UsageError(`--${flag}: "${v}" is not an SQS queue URL`);
  }
  return v.trim();
}

/** The bounds of a whole-number flag, and its value when absent. */
export interface NumberFlagRange {
  readonly min: number;
  readonly max: number;
  readonly fallback?: number;
}

/** A whole-number flag in [min, max], or `fallback` when absent. */
export function numberFlag(values: Values, flag: string, { min, max, fallback }: NumberFlagRange): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  if (typeof raw !== "string" || !/^\d+$/.test(raw.trim())) {
    throw new UsageError(`--${flag}: must be a whole number, got "${raw}"`);
  }
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${flag}: must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Finds the DLQ (and the source queue) the flags and environment name. */
export async function resolveQueues(ctx: DlqContext): Promise<ResolvedQueues> {
  const sourceUrl = queueUrlFlag(ctx.values, "queue") ?? ctx.config.queueUrl;
  let dlqUrl = queueUrlFlag(ctx.values, "dlq");
  if (!dlqUrl) {
    if (!sourceUrl) {
      throw new UsageError("give --dlq URL, or --queue URL / SQS_QUEUE_URL (whose redrive policy names the DLQ)");
    }
    const target = redriveTargetArn(await ctx.admin.attributes(sourceUrl));
    if (!target) throw new UsageError(`queue ${sourceUrl} has no redrive policy (no DLQ); give --dlq URL`);
    dlqUrl = await ctx.admin.urlOf(target);
  }
  return { dlqUrl, dlqAttributes: await ctx.admin.attributes(dlqUrl), sourceUrl };
}
