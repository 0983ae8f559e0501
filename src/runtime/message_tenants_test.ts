import { deepStrictEqual } from "node:assert/strict";
import { messageTenants, NO_TENANT } from "./message_tenants.ts";

const BUCKET = "central-logs";

function record(key: string, eventName = "ObjectCreated:Put") {
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    eventName,
    s3: { bucket: { name: BUCKET }, object: { key: encodeURIComponent(key).replaceAll("%2F", "/") } },
  };
}

const s3Event = (...records: unknown[]) => JSON.stringify({ Records: records });
const sns = (message: string) =>
  JSON.stringify({ Type: "Notification", TopicArn: "arn:aws:sns:us-east-1:123456789012:t", Message: message });

Deno.test("the tenant of a message is the customer_id of its object, through an SNS envelope too", () => {
  const body = s3Event(record("acme/prod-1/api/api-7f9/a.json.gz"));
  deepStrictEqual(messageTenants(body), ["acme"]);
  deepStrictEqual(messageTenants(sns(body)), ["acme"]);
  const eventBridge = JSON.stringify({
    source: "aws.s3",
    "detail-type": "Object Created",
    detail: { bucket: { name: BUCKET }, object: { key: "globex/c/app/pod/b.json.gz" } },
  });
  deepStrictEqual(messageTenants(eventBridge), ["globex"]);
});

Deno.test("a message with several tenants' records counts for each, once", () => {
  const body = s3Event(
    record("zeta/c/app/pod/1.json.gz"),
    record("acme/c/app/pod/2.json.gz"),
    record("zeta/c/app/pod/3.json.gz"),
  );
  deepStrictEqual(messageTenants(body), ["acme", "zeta"]);
});

Deno.test("bodies and records naming no tenant share one bucket; records with nothing to do add nothing", () => {
  deepStrictEqual(messageTenants("not json"), [NO_TENANT]);
  deepStrictEqual(messageTenants(JSON.stringify({ Event: "s3:TestEvent", Bucket: BUCKET })), [NO_TENANT]);
  deepStrictEqual(messageTenants(s3Event(record("acme/not-the-layout.json.gz"))), [NO_TENANT]);
  deepStrictEqual(
    messageTenants(s3Event(record("acme/c/app/pod/1.json.gz"), record("../c/app/pod/x"))),
    [NO_TENANT, "acme"].sort(),
  );
  deepStrictEqual(
    messageTenants(s3Event(record("acme/c/app/pod/1.json.gz"), record("acme/c/app/pod/2", "ObjectRemoved:Delete"))),
    ["acme"],
  );
});
