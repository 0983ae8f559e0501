/**
 * What a dead-lettered message is about, decoded from its body (the SNS/S3
 * envelope, as the processor parses it): the objects, their tenants, and the
 * message's age and receive count. Pure.
 *
 * @module
 */
import { keyLayoutProblem } from "../notification/parse_key.ts";
import { type ObjectRef, parseNotification } from "../notification/parse_notification.ts";
import type { DlqMessage } from "./queue_admin.ts";

/** One object a message announces. */
export interface ObjectView {
  readonly bucket: string;
  readonly key: string;
  /** The key's customer_id, when the key has the tenant layout. */
  readonly tenant?: string;
  readonly size?: number;
  readonly event_time?: string;
  /** The notification as the processor parses it (for the diagnosis). */
  readonly ref: ObjectRef;
}

/** A message, decoded (snake_case fields: it is printed). */
export interface MessageView {
  readonly message_id: string;
  readonly sent_at?: string;
  readonly age_seconds?: number;
  readonly receive_count: number;
  readonly objects: ObjectView[];
  /** Records that announce no object: test events, other events, or a body the processor cannot parse. */
  readonly other: { readonly kind: "skip" | "invalid"; readonly reason: string; readonly key?: string }[];
}

/** Decodes `message` as seen at `now` (ms). */
export function describeMessage(message: DlqMessage, now: number): MessageView {
  const objects: ObjectView[] = [];
  const other: MessageView["other"][number][] = [];
  for (const item of parseNotification(message.body)) {
    if (item.kind !== "object") {
      other.push({ kind: item.kind, reason: item.reason, ...(item.key ? { key: item.key } : {}) });
      continue;
    }
    const { ref } = item;
    const tenant = keyLayoutProblem(ref.key) ? undefined : ref.key.split("/")[0];
    objects.push({ bucket: ref.bucket, key: ref.key, tenant, size: ref.size, event_time: ref.eventTime, ref });
  }
  return {
    message_id: message.messageId,
    sent_at: message.sentAt === undefined ? undefined : new Date(message.sentAt).toISOString(),
    age_seconds: message.sentAt === undefined ? undefined : Math.max(0, Math.floor((now - message.sentAt) / 1000)),
    receive_count: message.receiveCount,
    objects,
    other,
  };
}
