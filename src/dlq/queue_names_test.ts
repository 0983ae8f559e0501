import { deepStrictEqual as deepEqual, strictEqual as equal, throws } from "node:assert/strict";
import { queueArnParts, redriveTargetArn } from "./queue_names.ts";

Deno.test("queue ARNs split into partition, region, account and name; anything else is refused by value", () => {
  deepEqual(queueArnParts("arn:aws:sqs:eu-west-1:123456789012:mtl-prod-log-objects-dlq"), {
    partition: "aws",
    region: "eu-west-1",
    account: "123456789012",
    name: "mtl-prod-log-objects-dlq",
  });
  equal(queueArnParts("arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q.fifo").name, "q.fifo");
  throws(() => queueArnParts("arn:aws:sns:eu-west-1:123456789012:topic"), /"arn:aws:sns:.*" is not an SQS queue ARN/);
});

Deno.test("the redrive policy's DLQ", () => {
  const attributes = {
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:dlq",
      maxReceiveCount: 5,
    }),
  };
  equal(redriveTargetArn(attributes), "arn:aws:sqs:eu-west-1:123456789012:dlq");
  equal(redriveTargetArn({}), undefined);
  throws(() => redriveTargetArn({ RedrivePolicy: "{" }), /RedrivePolicy is not JSON/);
  throws(() => redriveTargetArn({ RedrivePolicy: "{}" }), /RedrivePolicy has no deadLetterTargetArn/);
});
