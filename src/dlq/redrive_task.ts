/**
 * Redrive with SQS's own message movement task (StartMessageMoveTask): SQS
 * moves the DLQ's messages back (to their source queues, or to one
 * destination) at an optional rate, server-side. Plus following a task until
 * it ends, and telling an endpoint that lacks the API (an emulator) from a
 * real failure.
 *
 * @module
 */
import type { MoveTask, QueueAdmin } from "./queue_admin.ts";

/** SQS's limit for MaxNumberOfMessagesPerSecond. */
export const MAX_MOVE_TASK_RATE = 500;

const UNSUPPORTED_CODES = new Set([
  "UnsupportedOperation",
  "AWS.SimpleQueueService.UnsupportedOperation",
  "InvalidAction",
  "UnknownOperationException",
  "NotImplemented",
]);

/**
 * Whether `err` says the endpoint does not offer the call at all: an
 * unsupported-operation code, HTTP 501, or an answer that is not an AWS error
 * response (a local emulator's HTML error page).
 */
export function isUnsupportedOperation(err: unknown): boolean {
  const e = err as {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if ([e?.name, e?.Code, e?.code].some((c) => typeof c === "string" && UNSUPPORTED_CODES.has(c))) return true;
  if (e?.$metadata?.httpStatusCode === 501) return true;
  return e?.name === "SyntaxError" || /^Deserialization error/m.test(e?.message ?? "");
}

/** Whether a task has ended. */
export function taskEnded(task: MoveTask): boolean {
  return task.status !== "RUNNING" && task.status !== "CANCELLING";
}

/**
 * Polls the newest move task of `sourceArn` (a source has at most one running
 * task) every `pollMs` until it has ended; reports each poll.
 */
export async function waitForMoveTask(
  admin: QueueAdmin,
  sourceArn: string,
  options: { pollMs: number; sleep?: (ms: number) => Promise<void>; progress?: (task: MoveTask) => void },
): Promise<MoveTask> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (;;) {
    const [task] = await admin.listMoveTasks(sourceArn);
    if (!task) throw new Error(`ListMessageMoveTasks shows no task for ${sourceArn}`);
    options.progress?.(task);
    if (taskEnded(task)) return task;
    await sleep(options.pollMs);
  }
}
