/**
 * Turns one SQS message body into the objects it announces. A body may be an
 * SNS envelope (whose `Message` holds the event), a raw S3 event, an
 * EventBridge "Object Created" event, or an `s3:TestEvent`. Pure: no I/O.
 *
 * @module
 */
import { decodeS3Key } from "./decode_key.ts";

/** One object announced by a notification; `key` is already decoded. */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly size?: number;
  readonly eTag?: string;
  readonly versionId?: string;
  readonly sequencer?: string;
  readonly eventTime?: string;
  /** S3 event records: `userIdentity.principalId` of the writer (`AWS:<RoleId>:<session>` for a role). */
  readonly principalId?: string;
  /** EventBridge events: `detail.requester`, the writer's account id (or a service principal). */
  readonly requester?: string;
}

/** What one record of a notification asks for. */
export type NotificationItem =
  | { readonly kind: "object"; readonly ref: ObjectRef }
  /** Nothing to do (test event, another event type); never an error. */
  | { readonly kind: "skip"; readonly reason: string; readonly bucket?: string; readonly key?: string }
  /** The body or record cannot be understood: a permanent failure. */
  | { readonly kind: "invalid"; readonly reason: string; readonly bucket?: string; readonly key?: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => typeof v === "string" ? v : undefined;
const num = (v: unknown): number | undefined => typeof v === "number" && Number.isFinite(v) ? v : undefined;

function objectItem(
  bucket: unknown,
  rawKey: unknown,
  extra: Omit<ObjectRef, "bucket" | "key">,
): NotificationItem {
  if (typeof bucket !== "string" || bucket === "") {
    return { kind: "invalid", reason: "record has no bucket name" };
  }
  if (typeof rawKey !== "string" || rawKey === "") {
    return { kind: "invalid", reason: "record has no object key", bucket };
  }
  let key: string;
  try {
    key = decodeS3Key(rawKey);
  } catch {
    return { kind: "invalid", reason: `object key "${rawKey}" is not valid URL encoding`, bucket, key: rawKey };
  }
  const ref: Json = { bucket, key };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) ref[k] = v;
  return { kind: "object", ref: ref as unknown as ObjectRef };
}

function fromS3Record(record: unknown): NotificationItem {
  if (!isObject(record)) return { kind: "invalid", reason: "S3 event record is not an object" };
  const s3 = isObject(record.s3) ? record.s3 : {};
  const bucket = isObject(s3.bucket) ? str(s3.bucket.name) : undefined;
  const object = isObject(s3.object) ? s3.object : {};
  const rawKey = str(object.key);
  const version = str(record.eventVersion) ?? "";
  const eventName = str(record.eventName) ?? "";
  if (str(record.eventSource) !== "aws:s3") {
    return { kind: "skip", reason: `not an S3 record (eventSource ${JSON.stringify(record.eventSource)})`, bucket };
  }
  if (!/^2(\.\d+)*$/.test(version)) {
    return { kind: "invalid", reason: `unsupported S3 eventVersion "${version}" (expected 2.x)`, bucket, key: rawKey };
  }
  if (!eventName.startsWith("ObjectCreated:")) {
    return { kind: "skip", reason: `event ${eventName || "(none)"} is not ObjectCreated`, bucket, key: rawKey };
  }
  return objectItem(bucket, rawKey, {
    size: num(object.size),
    eTag: str(object.eTag),
    versionId: str(object.versionId),
    sequencer: str(object.sequencer),
    eventTime: str(record.eventTime),
    principalId: isObject(record.userIdentity) ? str(record.userIdentity.principalId) : undefined,
  });
}

function fromEventBridge(event: Json): NotificationItem {
  const detail = isObject(event.detail) ? event.detail : {};
  const bucket = isObject(detail.bucket) ? str(detail.bucket.name) : undefined;
  const object = isObject(detail.object) ? detail.object : {};
  if (event["detail-type"] !== "Object Created") {
    return { kind: "skip", reason: `EventBridge ${String(event["detail-type"])} is not Object Created`, bucket };
  }
  return objectItem(bucket, object.key, {
    size: num(object.size),
    eTag: str(object.etag),
    versionId: str(object["version-id"]),
    sequencer: str(object.sequencer),
    eventTime: str(event.time),
    requester: str(detail.requester),
  });
}

function fromEvent(event: unknown, depth: number): NotificationItem[] {
  if (!isObject(event)) return [{ kind: "invalid", reason: "message body is not a JSON object" }];
  if (typeof event.Type === "string" && "TopicArn" in event) {
    if (event.Type !== "Notification") {
      return [{ kind: "skip", reason: `SNS ${event.Type} message` }];
    }
    if (typeof event.Message !== "string" || depth > 0) {
      return [{ kind: "invalid", reason: "SNS envelope has no Message string" }];
    }
    return parseDocument(event.Message, depth + 1);
  }
  if (event.Event === "s3:TestEvent") {
    return [{ kind: "skip", reason: "s3:TestEvent", bucket: str(event.Bucket) }];
  }
  if (Array.isArray(event.Records)) {
    if (event.Records.length === 0) return [{ kind: "skip", reason: "S3 event has no records" }];
    return event.Records.map(fromS3Record);
  }
  if (event.source === "aws.s3" && "detail-type" in event) return [fromEventBridge(event)];
  return [{ kind: "invalid", reason: "message body is neither an SNS envelope, an S3 event nor an EventBridge event" }];
}

function parseDocument(text: string, depth: number): NotificationItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const preview = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    return [{ kind: "invalid", reason: `message body is not JSON: ${JSON.stringify(preview)}` }];
  }
  return fromEvent(parsed, depth);
}

/** Parses one SQS message body into the items it carries (never throws). */
export function parseNotification(body: string): NotificationItem[] {
  return parseDocument(body, 0);
}
