/**
 * What `log-processor dlq` prints for people: stats, peeked messages with
 * their diagnosis, redrive plans and results. Pure formatting (the JSON
 * output is the same data, unformatted).
 *
 * @module
 */
import type { Diagnosis } from "../dlq/diagnose_object.ts";
import { type DlqStats, formatDuration } from "../dlq/dlq_stats.ts";
import type { MessageView, ObjectView } from "../dlq/describe_message.ts";
import type { MoveTask } from "../dlq/queue_admin.ts";
import type { CopyResult } from "../dlq/redrive_copy.ts";

/** An object of a peeked message, with its diagnosis when one was made. */
export interface PeekedObject extends Omit<ObjectView, "ref"> {
  readonly diagnosis?: Diagnosis;
}

/** A peeked message as printed. */
export interface PeekLine extends Omit<MessageView, "objects"> {
  readonly objects: PeekedObject[];
}

const ago = (seconds: number | undefined) => (seconds === undefined ? "" : ` (${formatDuration(seconds)} ago)`);

/** `dlq stats` for a terminal. */
export function formatStats(s: DlqStats): string {
  const lines = [
    `dead-letter queue ${s.queue_url}`,
    `  messages    ${s.visible} visible, ${s.in_flight} in flight, ${s.delayed} delayed`,
  ];
  if (s.retention_seconds !== undefined) {
    lines.push(`  retention   ${formatDuration(s.retention_seconds)}, counted from when a message was first sent`);
  }
  if (s.source_queues) lines.push(`  sources     ${s.source_queues.join(", ") || "(no queue names it as its DLQ)"}`);
  const sample = s.sample;
  if (sample && sample.messages > 0) {
    const scope = sample.complete ? "every visible message" : `${sample.messages} sampled of ${s.visible}`;
    lines.push(
      `  oldest      sent ${sample.oldest_sent_at}${ago(sample.oldest_age_seconds)}` +
        (sample.expires_in_seconds !== undefined ? `, expires in ${formatDuration(sample.expires_in_seconds)}` : "") +
        ` [${scope}]`,
      `  newest      ${formatDuration(sample.newest_age_seconds ?? 0)} old`,
      `  tenants     ${Object.entries(sample.tenants).map(([t, n]) => `${t} ${n}`).join(", ")} [${scope}]`,
      `  receives    up to ${sample.max_receive_count} (source-queue receives, plus one per peek)`,
    );
  }
  const tasks = s.move_tasks;
  lines.push(
    `  move tasks  ${"unavailable" in tasks ? tasks.unavailable : tasks.map(formatTask).join("; ") || "none"}`,
  );
  return lines.join("\n");
}

/** One move task, briefly. */
export function formatTask(t: MoveTask): string {
  const total = t.toMove !== undefined ? `/${t.toMove}` : "";
  const started = t.startedAt ? ` since ${new Date(t.startedAt).toISOString()}` : "";
  return `${t.status} ${t.moved}${total} moved${started}${t.failureReason ? `: ${t.failureReason}` : ""}`;
}

/** One peeked message for a terminal (several lines). */
export function formatPeekLine(line: PeekLine, index: number): string {
  const out = [
    `[${index}] ${line.message_id}  sent ${line.sent_at ?? "?"}${ago(line.age_seconds)}, ` +
    `received ${line.receive_count} time${line.receive_count === 1 ? "" : "s"}`,
  ];
  for (const o of line.objects) {
    out.push(`    s3://${o.bucket}/${o.key}  tenant ${o.tenant ?? "(none)"}`);
    if (o.diagnosis) {
      const d = o.diagnosis;
      out.push(`    ${d.verdict}${d.code ? ` (${d.code})` : ""}: ${d.reason}`);
      if (d.deliveries?.length) out.push(`    deliveries now: ${d.deliveries.join(", ")}`);
    }
  }
  for (const o of line.other) out.push(`    ${o.kind}: ${o.reason}`);
  return out.join("\n");
}

/** What a redrive is going to do (the dry run, and the first line of a real one). */
export interface RedrivePlan {
  readonly dlq_url: string;
  /** A queue URL, or undefined: each message back to the queue it came from (move tasks only). */
  readonly destination_url?: string;
  readonly method: "move-task" | "copy" | "auto";
  readonly messages_visible: number;
  readonly max_messages?: number;
  readonly max_per_second?: number;
}

/** A redrive plan for a terminal. */
export function formatPlan(p: RedrivePlan, dryRun: boolean): string {
  const method = p.method === "auto"
    ? "StartMessageMoveTask (receive → send → delete where the endpoint lacks it)"
    : p.method === "move-task"
    ? "StartMessageMoveTask"
    : "receive → send → delete";
  return [
    `${dryRun ? "would redrive" : "redriving"} ${
      p.max_messages ?? p.messages_visible
    } of ${p.messages_visible} visible messages`,
    `  from    ${p.dlq_url}`,
    `  to      ${p.destination_url ?? "each message's source queue"}`,
    `  method  ${method}`,
    `  rate    ${p.max_per_second ? `at most ${p.max_per_second} messages/s` : "as fast as SQS allows"}`,
  ].join("\n");
}

/** A copy redrive's result for a terminal. */
export function formatCopyResult(r: CopyResult): string {
  const lines = [
    `moved ${r.moved}; send refused ${r.send_failed} (still in the DLQ); delete failed ${r.delete_failed}`,
  ];
  if (r.delete_failed > 0) {
    lines.push("  (sent but not deleted: they come back in the DLQ while a copy is in the queue)");
  }
  for (const e of r.errors) lines.push(`  ${e}`);
  return lines.join("\n");
}
