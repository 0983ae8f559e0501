/**
 * The numbers `dlq stats` reports, from the queue's attributes and a sample
 * of its messages. Pure.
 *
 * SQS has no "oldest message" attribute (ApproximateAgeOfOldestMessage is a
 * CloudWatch metric only): the ages come from the SentTimestamp of the
 * sampled messages, exact for the whole queue when the sample holds every
 * visible message, a lower bound otherwise. A standard queue keeps a message's
 * original SentTimestamp when it moves to the DLQ, and the DLQ's retention
 * counts from it: `expires_in_seconds` is how long the oldest sampled message
 * has left.
 *
 * @module
 */
import type { MessageView } from "./describe_message.ts";
import type { MoveTask } from "./queue_admin.ts";

/** What `dlq stats` prints (snake_case fields). */
export interface DlqStats {
  readonly queue_url: string;
  readonly queue_arn?: string;
  readonly visible: number;
  readonly in_flight: number;
  readonly delayed: number;
  readonly retention_seconds?: number;
  /** Queues whose redrive policy names this DLQ (ListDeadLetterSourceQueues), when readable. */
  readonly source_queues?: string[];
  readonly sample?: SampleStats;
  /** Recent message movement tasks, or why they are unknown. */
  readonly move_tasks: MoveTask[] | { readonly unavailable: string };
}

/** Ages and tenants over the sampled messages. */
export interface SampleStats {
  readonly messages: number;
  /** Whether the sample holds every visible message (the ages are then the queue's). */
  readonly complete: boolean;
  readonly oldest_sent_at?: string;
  readonly oldest_age_seconds?: number;
  readonly newest_age_seconds?: number;
  readonly expires_in_seconds?: number;
  /** Messages per tenant (a message announcing several objects counts once per tenant). */
  readonly tenants: Record<string, number>;
  readonly max_receive_count?: number;
}

const count = (v: string | undefined) => Number(v ?? 0) || 0;

/** What the stats are made of beside the queue's attributes. */
export interface DlqStatsParts {
  /** The decoded sample; absent when none was taken. */
  readonly sample?: readonly MessageView[];
  readonly sourceQueues?: string[];
  readonly moveTasks: DlqStats["move_tasks"];
}

/** Stats of the queue at `queueUrl` from its attributes, the decoded sample, its sources and move tasks. */
export function dlqStats(
  queueUrl: string,
  attributes: Readonly<Record<string, string>>,
  extra: DlqStatsParts,
): DlqStats {
  const { sample } = extra;
  const visible = count(attributes.ApproximateNumberOfMessages);
  const retention = attributes.MessageRetentionPeriod ? Number(attributes.MessageRetentionPeriod) : undefined;
  return {
    queue_url: queueUrl,
    queue_arn: attributes.QueueArn,
    visible,
    in_flight: count(attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: count(attributes.ApproximateNumberOfMessagesDelayed),
    retention_seconds: retention,
    ...(extra.sourceQueues ? { source_queues: extra.sourceQueues } : {}),
    ...(sample ? { sample: sampleStats(sample, visible, retention) } : {}),
    move_tasks: extra.moveTasks,
  };
}

function sampleStats(sample: readonly MessageView[], visible: number, retention: number | undefined): SampleStats {
  const tenants: Record<string, number> = {};
  for (const m of sample) {
    for (const t of new Set(m.objects.map((o) => o.tenant ?? "(no tenant)"))) tenants[t] = (tenants[t] ?? 0) + 1;
  }
  const dated = sample.filter((m) => m.age_seconds !== undefined);
  const oldest = dated.reduce<MessageView | undefined>(
    (a, m) => (!a || m.age_seconds! > a.age_seconds! ? m : a),
    undefined,
  );
  const newest = dated.reduce<MessageView | undefined>(
    (a, m) => (!a || m.age_seconds! < a.age_seconds! ? m : a),
    undefined,
  );
  return {
    messages: sample.length,
    complete: sample.length >= visible,
    oldest_sent_at: oldest?.sent_at,
    oldest_age_seconds: oldest?.age_seconds,
    newest_age_seconds: newest?.age_seconds,
    expires_in_seconds: oldest && retention !== undefined ? Math.max(0, retention - oldest.age_seconds!) : undefined,
    tenants: Object.fromEntries(Object.entries(tenants).sort(([a], [b]) => a.localeCompare(b))),
    max_receive_count: sample.length > 0 ? Math.max(...sample.map((m) => m.receive_count)) : undefined,
  };
}

/** `seconds` as a short duration: `42 s`, `12 min 5 s`, `3 h 4 min`, `2 d 3 h`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const units: [number, string][] = [[86_400, "d"], [3_600, "h"], [60, "min"], [1, "s"]];
  const i = units.findIndex(([n]) => s >= n);
  if (i < 0) return "0 s";
  const [big, bigName] = units[i]!;
  const next = units[i + 1];
  const rest = next ? Math.floor((s % big) / next[0]) : 0;
  return `${Math.floor(s / big)} ${bigName}${next && rest > 0 ? ` ${rest} ${next[1]}` : ""}`;
}
