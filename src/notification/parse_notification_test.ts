import { deepStrictEqual as deepEqual, match } from "node:assert/strict";
import { type NotificationItem, type ObjectRef, parseNotification } from "./parse_notification.ts";

const BUCKET = "central-logs";
const KEY = "acme/prod-1/api/api-7f9/20260101-120000-abc.json.gz";

function s3Record(rawKey: string, overrides: Record<string, unknown> = {}) {
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: "us-east-1",
    eventTime: "2026-01-01T12:00:00.000Z",
    eventName: "ObjectCreated:Put",
    s3: {
      s3SchemaVersion: "1.0",
      bucket: { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}` },
      object: { key: rawKey, size: 1234, eTag: "etag-1", versionId: "v1", sequencer: "0055AED6DCD90281E5" },
    },
    ...overrides,
  };
}

const s3Event = (...records: unknown[]) => JSON.stringify({ Records: records });

function sns(message: string, type = "Notification") {
  return JSON.stringify({
    Type: type,
    MessageId: "m-1",
    TopicArn: "arn:aws:sns:us-east-1:123456789012:log-objects",
    Subject: "Amazon S3 Notification",
    Message: message,
    Timestamp: "2026-01-01T12:00:00.000Z",
  });
}

function eventBridge(rawKey: string, detailType = "Object Created") {
  return JSON.stringify({
    version: "0",
    id: "e-1",
    "detail-type": detailType,
    source: "aws.s3",
    account: "123456789012",
    time: "2026-01-01T12:00:01Z",
    region: "us-east-1",
    resources: [`arn:aws:s3:::${BUCKET}`],
    detail: {
      version: "0",
      bucket: { name: BUCKET },
      object: { key: rawKey, size: 99, etag: "etag-eb", "version-id": "v9", sequencer: "seq" },
      reason: "PutObject",
    },
  });
}

function objectRefs(items: NotificationItem[]): ObjectRef[] {
  return items.map((item) => {
    if (item.kind !== "object") throw new Error(`expected an object item, got ${JSON.stringify(item)}`);
    return item.ref;
  });
}

function only(items: NotificationItem[]): NotificationItem {
  deepEqual(items.length, 1, JSON.stringify(items));
  return items[0]!;
}

Deno.test("a raw S3 event yields the object with its metadata", () => {
  deepEqual(parseNotification(s3Event(s3Record(KEY))), [{
    kind: "object",
    ref: {
      bucket: BUCKET,
      key: KEY,
      size: 1234,
      eTag: "etag-1",
      versionId: "v1",
      sequencer: "0055AED6DCD90281E5",
      eventTime: "2026-01-01T12:00:00.000Z",
    },
  }]);
});

Deno.test("an SNS envelope is unwrapped to the S3 event in its Message", () => {
  const refs = objectRefs(parseNotification(sns(s3Event(s3Record(KEY)))));
  deepEqual(refs.map((r) => [r.bucket, r.key]), [[BUCKET, KEY]]);
});

Deno.test("an EventBridge Object Created event yields its object", () => {
  deepEqual(parseNotification(eventBridge(KEY)), [{
    kind: "object",
    ref: {
      bucket: BUCKET,
      key: KEY,
      size: 99,
      eTag: "etag-eb",
      versionId: "v9",
      sequencer: "seq",
      eventTime: "2026-01-01T12:00:01Z",
    },
  }]);
});

Deno.test("an EventBridge event of another type is skipped with its type", () => {
  const item = only(parseNotification(eventBridge(KEY, "Object Deleted")));
  deepEqual(item.kind, "skip");
  match((item as { reason: string }).reason, /Object Deleted/);
});

Deno.test("an EventBridge event inside an SNS envelope is understood", () => {
  const refs = objectRefs(parseNotification(sns(eventBridge("a/b/c/d/my+file.gz"))));
  deepEqual(refs[0]!.key, "a/b/c/d/my file.gz");
});

Deno.test("several records in one message each yield an item, in order", () => {
  const keys = ["t1/c/a/p/1.gz", "t2/c/a/p/2.gz", "t3/c/a/p/3.gz"];
  const refs = objectRefs(parseNotification(sns(s3Event(...keys.map((k) => s3Record(k))))));
  deepEqual(refs.map((r) => r.key), keys);
});

Deno.test("records of one message are judged one by one", () => {
  const items = parseNotification(s3Event(
    s3Record("t/c/a/p/ok.gz"),
    s3Record("t/c/a/p/gone.gz", { eventName: "ObjectRemoved:Delete" }),
    s3Record("t/c/a/p/bad%.gz"),
  ));
  deepEqual(items.map((i) => i.kind), ["object", "skip", "invalid"]);
});

Deno.test("s3:TestEvent is skipped, raw or inside SNS", () => {
  const test = JSON.stringify({
    Service: "Amazon S3",
    Event: "s3:TestEvent",
    Time: "2026-01-01T12:00:00.000Z",
    Bucket: BUCKET,
    RequestId: "r",
    HostId: "h",
  });
  for (const body of [test, sns(test)]) {
    deepEqual(parseNotification(body), [{ kind: "skip", reason: "s3:TestEvent", bucket: BUCKET }]);
  }
});

Deno.test("non-ObjectCreated records are skipped, naming the event and key", () => {
  for (const eventName of ["ObjectRemoved:Delete", "ObjectRestore:Completed", "LifecycleExpiration:Delete"]) {
    const item = only(parseNotification(s3Event(s3Record(KEY, { eventName }))));
    deepEqual(item.kind, "skip");
    deepEqual(item.kind === "skip" && item.key, KEY);
    match((item as { reason: string }).reason, new RegExp(eventName));
  }
});

Deno.test("every ObjectCreated variant is accepted", () => {
  for (
    const eventName of [
      "ObjectCreated:Put",
      "ObjectCreated:Post",
      "ObjectCreated:Copy",
      "ObjectCreated:CompleteMultipartUpload",
    ]
  ) {
    deepEqual(only(parseNotification(s3Event(s3Record(KEY, { eventName })))).kind, "object", eventName);
  }
});

Deno.test("a record from another service is skipped", () => {
  const item = only(parseNotification(s3Event(s3Record(KEY, { eventSource: "aws:sqs" }))));
  deepEqual(item.kind, "skip");
});

Deno.test("an S3 event without records is skipped", () => {
  deepEqual(only(parseNotification(s3Event())).kind, "skip");
});

Deno.test("SNS SubscriptionConfirmation and UnsubscribeConfirmation are skipped", () => {
  for (const type of ["SubscriptionConfirmation", "UnsubscribeConfirmation"]) {
    const item = only(parseNotification(sns("You have chosen to subscribe…", type)));
    deepEqual(item, { kind: "skip", reason: `SNS ${type} message` });
  }
});

Deno.test("an SNS envelope without a Message string is invalid", () => {
  const body = JSON.stringify({ Type: "Notification", TopicArn: "arn:aws:sns:us-east-1:1:t", Message: 42 });
  deepEqual(only(parseNotification(body)).kind, "invalid");
});

Deno.test("an SNS envelope nested in an SNS envelope is invalid, not unwrapped forever", () => {
  deepEqual(only(parseNotification(sns(sns(s3Event(s3Record(KEY)))))).kind, "invalid");
});

Deno.test("an SNS Message that is not JSON is invalid", () => {
  const item = only(parseNotification(sns("hello")));
  deepEqual(item.kind, "invalid");
  match((item as { reason: string }).reason, /not JSON/);
});

Deno.test("eventVersion 2.0, 2.1, 2.2 (and bare 2) are accepted", () => {
  for (const eventVersion of ["2.0", "2.1", "2.2", "2", "2.10"]) {
    deepEqual(only(parseNotification(s3Event(s3Record(KEY, { eventVersion })))).kind, "object", eventVersion);
  }
});

Deno.test("eventVersion 1.0, 3.0 and missing are rejected as invalid, naming the version", () => {
  for (const eventVersion of ["1.0", "3.0", "20.1", "2.x", undefined]) {
    const item = only(parseNotification(s3Event(s3Record(KEY, { eventVersion }))));
    deepEqual(item.kind, "invalid", String(eventVersion));
    match((item as { reason: string }).reason, /eventVersion/);
  }
});

Deno.test("keys are decoded: + is a space, %2B a literal +, %2F a slash, UTF-8 escapes", () => {
  const cases: [string, string][] = [
    ["acme/prod-1/api/api-7f9/my+log+file.json.gz", "acme/prod-1/api/api-7f9/my log file.json.gz"],
    ["acme/prod-1/api/api-7f9/a%2Bb.json.gz", "acme/prod-1/api/api-7f9/a+b.json.gz"],
    ["acme%2Fprod-1%2Fapi%2Fapi-7f9%2Ff.json.gz", "acme/prod-1/api/api-7f9/f.json.gz"],
    ["acme/prod-1/api/api-7f9/%E6%97%A5%E5%BF%97+%C3%A9.json.gz", "acme/prod-1/api/api-7f9/日志 é.json.gz"],
  ];
  for (const [raw, decoded] of cases) {
    deepEqual(objectRefs(parseNotification(s3Event(s3Record(raw))))[0]!.key, decoded);
    deepEqual(objectRefs(parseNotification(eventBridge(raw)))[0]!.key, decoded);
  }
});

Deno.test("a malformed escape gives an invalid item naming the raw key, not a throw", () => {
  for (const raw of ["a/b/c/d/100%.gz", "a/b/c/d/%zz.gz", "a/b/c/d/%E6%97.gz"]) {
    const item = only(parseNotification(s3Event(s3Record(raw))));
    deepEqual(item.kind, "invalid");
    deepEqual(item.kind === "invalid" && [item.bucket, item.key], [BUCKET, raw]);
    match((item as { reason: string }).reason, /URL encoding/);
  }
});

Deno.test("a record without bucket or key is invalid", () => {
  const noKey = s3Record(KEY);
  (noKey.s3.object as Record<string, unknown>).key = undefined;
  const noBucket = s3Record(KEY);
  noBucket.s3.bucket = undefined as never;
  const empty = s3Record("");
  const items = parseNotification(s3Event(noKey, noBucket, empty, "not a record"));
  deepEqual(items.map((i) => i.kind), ["invalid", "invalid", "invalid", "invalid"]);
});

Deno.test("a body that is not JSON is one invalid item with a preview", () => {
  const item = only(parseNotification("x".repeat(500)));
  deepEqual(item.kind, "invalid");
  const reason = (item as { reason: string }).reason;
  match(reason, /not JSON/);
  deepEqual(reason.length < 150, true, reason);
});

Deno.test("JSON that is not an event is invalid", () => {
  for (const body of ["[]", "42", "null", '"text"', '{"hello":"world"}', ""]) {
    deepEqual(only(parseNotification(body)).kind, "invalid", body);
  }
});

Deno.test("optional metadata of the wrong type is left out, not copied", () => {
  const record = s3Record(KEY);
  Object.assign(record.s3.object, { size: "big", eTag: 7 });
  const ref = objectRefs(parseNotification(s3Event(record)))[0];
  deepEqual("size" in ref!, false);
  deepEqual("eTag" in ref!, false);
});

Deno.test("the writer's identity is kept: userIdentity.principalId of S3 records, detail.requester of EventBridge", () => {
  const principalId = "AWS:AROAEXAMPLEWRITER0001:vector-agent";
  const [fromS3] = objectRefs(parseNotification(sns(s3Event(s3Record(KEY, { userIdentity: { principalId } })))));
  deepEqual(fromS3?.principalId, principalId);
  deepEqual(fromS3?.requester, undefined);
  const event = JSON.parse(eventBridge(KEY));
  event.detail.requester = "123456789012";
  const [fromEventBridge] = objectRefs(parseNotification(JSON.stringify(event)));
  deepEqual(fromEventBridge?.requester, "123456789012");
  deepEqual(fromEventBridge?.principalId, undefined);
  // Missing, or not a string: no identity (the registry check still applies).
  for (const userIdentity of [undefined, {}, { principalId: 7 }, "AWS:x"]) {
    const [ref] = objectRefs(parseNotification(s3Event(s3Record(KEY, { userIdentity }))));
    deepEqual(ref && "principalId" in ref, false, JSON.stringify(userIdentity));
  }
});
