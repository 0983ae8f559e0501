import { deepStrictEqual as deepEqual } from "node:assert/strict";
import { snsBody } from "../../tests/support/fixtures.ts";
import { describeMessage } from "./describe_message.ts";
import type { DlqMessage } from "./queue_admin.ts";

const message = (body: string, extra: Partial<DlqMessage> = {}): DlqMessage => ({
  messageId: "m-1",
  receiptHandle: "h-1",
  body,
  receiveCount: 6,
  sentAt: Date.UTC(2026, 0, 31, 12, 0, 0),
  attributes: {},
  ...extra,
});

Deno.test("an SNS/S3 envelope decodes to its objects (keys URL-decoded), tenants of valid keys, age and receive count", () => {
  const key = "acme/prod-1/api/api-7f9/20260131-120000-a.json.gz";
  const spaced = "acme/prod-1/api/api 7f9/20260131-120000-b.json.gz";
  const view = describeMessage(
    message(snsBody("central", key, "no-layout.json.gz", spaced)),
    Date.UTC(2026, 0, 31, 15, 0, 5),
  );
  deepEqual(
    { ...view, objects: view.objects.map(({ ref: _ref, event_time: _t, ...o }) => o) },
    {
      message_id: "m-1",
      sent_at: "2026-01-31T12:00:00.000Z",
      age_seconds: 3 * 3600 + 5,
      receive_count: 6,
      objects: [
        { bucket: "central", key, tenant: "acme", size: 1 },
        { bucket: "central", key: "no-layout.json.gz", tenant: undefined, size: 1 },
        // Decoded as the processor decodes it; a space is not a valid segment, so no tenant.
        { bucket: "central", key: spaced, tenant: undefined, size: 1 },
      ],
      other: [],
    },
  );
  deepEqual(view.objects[0]!.ref.eTag, "x");
});

Deno.test("bodies that announce no object say why; a message without SentTimestamp has no age", () => {
  const test = describeMessage(message(JSON.stringify({ Event: "s3:TestEvent", Bucket: "central" })), 0);
  deepEqual(test.other, [{ kind: "skip", reason: "s3:TestEvent" }]);
  const junk = describeMessage(message("not json", { sentAt: undefined }), 0);
  deepEqual([junk.objects, junk.other[0]?.kind, junk.sent_at, junk.age_seconds], [[], "invalid", undefined, undefined]);
});
