/**
 * `log-processor dlq stats|peek|redrive`: the dead-letter queue for
 * operators. Finds the DLQ from the source queue's redrive policy
 * (`--queue`, else SQS_QUEUE_URL) unless `--dlq` names it; needs only
 * AWS_REGION and credentials, and uses the tenant table, central bucket and
 * delivery-state table when they are set to tell why a message failed.
 *
 * @module
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { parseArgs } from "node:util";
import { classifyAwsError } from "../aws/classify_error.ts";
import { clientConfig, type ClientSettings } from "../aws/client_config.ts";
import { clientSettings, configDefaults, loadQueueToolConfig, type QueueToolConfig } from "../config.ts";
import { ConfigError, errorMessage, UsageError } from "../errors.ts";
import { SdkQueueAdmin, type SqsSend } from "../dlq/queue_admin.ts";
import type { DlqContext } from "./dlq_context.ts";
import { peekDlq, statsDlq } from "./dlq_inspect.ts";
import { jsonErrorLine } from "./json_error.ts";
import { redriveDlq } from "./dlq_redrive.ts";
import type { CliIo, Values } from "./tenants_context.ts";

type Env = Readonly<Record<string, string | undefined>>;

export const DLQ_USAGE = `Usage: log-processor dlq <command> [options]

Commands:
  stats    counts (visible, in flight, delayed), the oldest message's age and
           how long until it expires, tenants in a sample, running move tasks
           [--sample N]  messages to sample for ages and tenants (default 10; 0: none)
  peek     the first N messages, without consuming them: the object (bucket/key
           from the SNS/S3 envelope), tenant, receive count, age, and why it
           failed as far as that can be told now (see docs/run-modes.md)
           [--limit N] (default 10, at most 1000)  [--no-diagnose]
  redrive  move the messages back to the source queue
           [--to URL]              destination (default: --queue / SQS_QUEUE_URL; with a
                                   move task and neither, each message's own source queue)
           [--method auto|move-task|copy]  auto (default): SQS StartMessageMoveTask,
                                   else receive → send → delete where the endpoint lacks it
           [--max-per-second N]    rate limit, 1-500 (default: as fast as SQS allows)
           [--max-messages N]      move at most N (copy only; implies --method copy under auto)
           [--wait]                follow a move task until it ends
           [--dry-run]             show what would be moved, where and how; move nothing
           [--cancel TASK_HANDLE]  cancel a running move task

Queues (every command):
  --dlq URL       the dead-letter queue (default: the one the source queue's redrive policy names)
  --queue URL     the source queue (default SQS_QUEUE_URL)
  --json          JSON output (stats: one object; peek: one line per message;
                  redrive: one object); errors as {"error": …} on stderr
  --help

Exit status: 0 done, 1 an AWS call or part of a redrive failed, 2 a usage or
configuration error. Environment: AWS_REGION (required), SQS_QUEUE_URL,
AWS_ENDPOINT_URL; for peek's diagnosis TENANT_CONFIG_TABLE, CLUSTER_TABLE,
CENTRAL_BUCKET and DELIVERY_STATE_TABLE when set.
`;

const FLAGS = {
  dlq: { type: "string" },
  queue: { type: "string" },
  to: { type: "string" },
  sample: { type: "string" },
  limit: { type: "string" },
  "no-diagnose": { type: "boolean" },
  method: { type: "string" },
  "max-per-second": { type: "string" },
  "max-messages": { type: "string" },
  "poll-seconds": { type: "string" },
  wait: { type: "boolean" },
  "dry-run": { type: "boolean" },
  cancel: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const SUBCOMMANDS: Record<string, (ctx: DlqContext) => Promise<number>> = {
  stats: statsDlq,
  peek: peekDlq,
  redrive: redriveDlq,
};

/** Where `dlq` runs: its environment and output, and (for tests) the SQS client to use. */
export interface DlqRunOptions {
  readonly env: Env;
  readonly io: CliIo;
  /** Used instead of a new SQSClient (not destroyed). */
  readonly sqs?: SqsSend;
}

/** Runs `dlq …`; resolves to the exit status. */
export async function runDlq(args: string[], options: DlqRunOptions): Promise<number> {
  const { env, io } = options;
  const [sub, ...rest] = args;
  if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
    io.out(DLQ_USAGE);
    return sub ? 0 : 2;
  }
  const json = rest.includes("--json");
  const fail = (message: string, code: string, status: number) => {
    io.err(json ? jsonErrorLine(message, code, `dlq ${sub}`) : `dlq ${sub}: ${message}`);
    return status;
  };
  const handler = SUBCOMMANDS[sub];
  if (!handler) return fail(`unknown command "${sub}"\n\n${DLQ_USAGE}`, "UsageError", 2);
  let values: Values;
  try {
    values = parseArgs({ args: rest, options: FLAGS, allowPositionals: false }).values;
  } catch (err) {
    return fail(`${errorMessage(err)}${json ? "" : `\n\n${DLQ_USAGE}`}`, "UsageError", 2);
  }
  if (values.help) {
    io.out(DLQ_USAGE);
    return 0;
  }
  let config: QueueToolConfig;
  try {
    config = loadQueueToolConfig(env, await configDefaults(env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return fail(`invalid configuration: ${err.message}`, "ConfigError", 2);
  }
  const settings: ClientSettings = clientSettings(config);
  const own = options.sqs ? undefined : new SQSClient(clientConfig(settings, "SQS"));
  const print = (data: unknown, text: () => string) => io.out(values.json ? JSON.stringify(data) : text());
  try {
    return await handler({ config, settings, admin: new SdkQueueAdmin(options.sqs ?? own!), values, io, print });
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message, "UsageError", 2);
    return fail(errorMessage(err), classifyAwsError(err).code, 1);
  } finally {
    own?.destroy();
  }
}
