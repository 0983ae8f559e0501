/**
 * `dlq redrive`: the dead-letter queue's messages back to the source queue,
 * with SQS's message movement task where the endpoint has it, else by
 * receive → send → delete (never deleting before the send succeeded).
 *
 * @module
 */
import { errorMessage, UsageError } from "../errors.ts";
import type { MoveTask } from "../dlq/queue_admin.ts";
import { copyRedrive, type CopyResult } from "../dlq/redrive_copy.ts";
import { isUnsupportedOperation, MAX_MOVE_TASK_RATE, waitForMoveTask } from "../dlq/redrive_task.ts";
import { type DlqContext, numberFlag, queueUrlFlag, resolveQueues } from "./dlq_context.ts";
import { formatCopyResult, formatPlan, formatTask, type RedrivePlan } from "./dlq_output.ts";

const METHODS = ["auto", "move-task", "copy"] as const;
type Method = typeof METHODS[number];

/** At most one progress line per this many ms. */
const PROGRESS_EVERY_MS = 2_000;

/** `dlq redrive --cancel HANDLE`. */
async function cancel(ctx: DlqContext, handle: string): Promise<number> {
  const moved = await ctx.admin.cancelMoveTask(handle);
  ctx.print({ cancelled: handle, moved }, () => `cancelled move task ${handle} (${moved} messages moved before)`);
  return 0;
}

function methodOf(ctx: DlqContext): Method {
  const raw = ctx.values.method ?? "auto";
  if (!(METHODS as readonly unknown[]).includes(raw)) {
    throw new UsageError(`--method: must be one of ${METHODS.join(", ")}, got "${raw}"`);
  }
  const method = raw as Method;
  if (ctx.values["max-messages"] !== undefined && method === "move-task") {
    throw new UsageError("--max-messages needs --method copy (a move task moves every message)");
  }
  return ctx.values["max-messages"] !== undefined ? "copy" : method;
}

/** Reports copy progress at most every {@link PROGRESS_EVERY_MS}. */
function progressReporter(ctx: DlqContext) {
  let last = 0;
  return (p: { moved: number; failed: number; limit: number }) => {
    if (Date.now() - last < PROGRESS_EVERY_MS) return;
    last = Date.now();
    ctx.io.err(
      ctx.values.json
        ? JSON.stringify({ progress: p })
        : `dlq redrive: moved ${p.moved} of at most ${p.limit} (${p.failed} failed)`,
    );
  };
}

/** `dlq redrive`. */
export async function redriveDlq(ctx: DlqContext): Promise<number> {
  if (typeof ctx.values.cancel === "string") return await cancel(ctx, ctx.values.cancel);
  const method = methodOf(ctx);
  const perSecond = numberFlag(ctx.values, "max-per-second", { min: 1, max: MAX_MOVE_TASK_RATE });
  const maxMessages = numberFlag(ctx.values, "max-messages", { min: 1, max: 10_000_000 });
  const pollMs = numberFlag(ctx.values, "poll-seconds", { min: 1, max: 300, fallback: 5 })! * 1000;
  const to = queueUrlFlag(ctx.values, "to");
  const { dlqUrl, dlqAttributes, sourceUrl } = await resolveQueues(ctx);
  const visible = Number(dlqAttributes.ApproximateNumberOfMessages ?? 0) || 0;
  const plan: RedrivePlan = {
    dlq_url: dlqUrl,
    destination_url: to ?? sourceUrl,
    method,
    messages_visible: visible,
    ...(maxMessages ? { max_messages: maxMessages } : {}),
    ...(perSecond ? { max_per_second: perSecond } : {}),
  };
  if (ctx.values["dry-run"]) {
    ctx.print({ dry_run: true, ...plan }, () => formatPlan(plan, true));
    return 0;
  }
  if (!ctx.values.json) ctx.io.err(formatPlan(plan, false));
  if (method !== "copy") {
    const dlqArn = dlqAttributes.QueueArn;
    if (!dlqArn) throw new Error(`${dlqUrl} has no QueueArn attribute`);
    const destinationArn = to ? (await ctx.admin.attributes(to)).QueueArn : undefined;
    let handle: string | undefined;
    try {
      handle = await ctx.admin.startMoveTask({ sourceArn: dlqArn, destinationArn, maxPerSecond: perSecond });
    } catch (err) {
      if (method === "move-task" || !isUnsupportedOperation(err)) throw err;
      ctx.io.err(
        `dlq redrive: StartMessageMoveTask is not available at this endpoint (${errorMessage(err).split("\n")[0]}); ` +
          "falling back to receive → send → delete",
      );
    }
    if (handle) return await followTask(ctx, { handle, dlqArn, pollMs, plan });
  }
  const destination = to ?? sourceUrl;
  if (!destination) {
    throw new UsageError("receive → send → delete needs a destination: give --to URL, or --queue / SQS_QUEUE_URL");
  }
  if (/\.fifo$/.test(destination) || /\.fifo$/.test(dlqUrl)) {
    throw new UsageError("receive → send → delete does not handle FIFO queues; use --method move-task");
  }
  const result = await copyRedrive(ctx.admin, {
    from: dlqUrl,
    to: destination,
    limit: maxMessages ?? visible,
    perSecond,
    progress: progressReporter(ctx),
  });
  ctx.print({ ...plan, method: "copy", destination_url: destination, ...result }, () => formatCopyResult(result));
  return copyComplete(result) ? 0 : 1;
}

function copyComplete(r: CopyResult): boolean {
  return !r.stopped_early && r.send_failed === 0 && r.delete_failed === 0;
}

async function followTask(
  ctx: DlqContext,
  task: { handle: string; dlqArn: string; pollMs: number; plan: RedrivePlan },
): Promise<number> {
  const started = { ...task.plan, method: "move-task", task_handle: task.handle };
  if (!ctx.values.wait) {
    ctx.print(started, () =>
      `started move task ${task.handle}\n` +
      "follow it with `log-processor dlq stats`; cancel it with `log-processor dlq redrive --cancel <handle>`");
    return 0;
  }
  const final: MoveTask = await waitForMoveTask(ctx.admin, task.dlqArn, {
    pollMs: task.pollMs,
    progress: (t) => ctx.io.err(ctx.values.json ? JSON.stringify({ progress: t }) : `dlq redrive: ${formatTask(t)}`),
  });
  ctx.print({ ...started, task: final }, () => `move task ${task.handle}: ${formatTask(final)}`);
  return final.status === "COMPLETED" ? 0 : 1;
}
