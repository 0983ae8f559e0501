import { deepStrictEqual as deepEqual } from "node:assert/strict";
import { bodiesOf, splitJsonDocuments } from "./split_documents.ts";

Deno.test("one document", () => {
  deepEqual(splitJsonDocuments('{"a":1}'), ['{"a":1}']);
  deepEqual(splitJsonDocuments('  \n{"a":1}\n\n'), ['{"a":1}']);
});

Deno.test("NDJSON: one document per line, blank lines ignored", () => {
  deepEqual(splitJsonDocuments('{"a":1}\n\n{"b":2}\r\n{"c":3}\n'), ['{"a":1}', '{"b":2}', '{"c":3}']);
});

Deno.test("concatenated documents without separators", () => {
  deepEqual(splitJsonDocuments('{"a":1}{"b":[1,{"c":2}]}[3]'), ['{"a":1}', '{"b":[1,{"c":2}]}', "[3]"]);
});

Deno.test("pretty-printed documents spanning lines", () => {
  const a = '{\n  "Type": "Notification",\n  "Message": "{\\"Records\\":[]}"\n}';
  const b = '{\n\t"x": [\n\t\t1,\n\t\t2\n\t]\n}';
  deepEqual(splitJsonDocuments(`${a}\n${b}\n`), [a, b]);
  deepEqual(splitJsonDocuments(`${a}${b}`), [a, b]);
});

Deno.test("braces, brackets and escaped quotes inside strings do not split", () => {
  const doc = String.raw`{"msg":"a } b { c ] [","q":"say \"}\" now","bs":"back\\","n":"\\\"}"}`;
  deepEqual(JSON.parse(doc).q, 'say "}" now');
  deepEqual(splitJsonDocuments(`${doc}\n${doc}`), [doc, doc]);
});

Deno.test("a bare line outside any document is kept so it can be reported as invalid", () => {
  deepEqual(splitJsonDocuments('{"a":1}\nnot json\n{"b":2}\n'), ['{"a":1}', "not json", '{"b":2}']);
  deepEqual(splitJsonDocuments("just text"), ["just text"]);
});

Deno.test("an unterminated document is returned as it is (it fails to parse later)", () => {
  deepEqual(splitJsonDocuments('{"a":1}\n{"b":'), ['{"a":1}', '{"b":']);
});

Deno.test("empty or whitespace input has no documents", () => {
  deepEqual(splitJsonDocuments(""), []);
  deepEqual(splitJsonDocuments(" \n\t\r\n"), []);
});

Deno.test("a Lambda SQS event is unwrapped into its record bodies", () => {
  const bodies = ['{"Records":[]}', "not json at all"];
  const event = JSON.stringify({
    Records: bodies.map((body, i) => ({
      messageId: `m${i}`,
      receiptHandle: "r",
      body,
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:q",
    })),
  });
  deepEqual(bodiesOf(event), bodies);
});

Deno.test("an S3 event (Records from aws:s3) is a body itself, not unwrapped", () => {
  const s3 = JSON.stringify({ Records: [{ eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: {} }] });
  deepEqual(bodiesOf(s3), [s3]);
});

Deno.test("a mixed or empty Records array, or non-JSON, is left as one body", () => {
  const mixed = JSON.stringify({ Records: [{ eventSource: "aws:sqs", body: "x" }, { eventSource: "aws:s3" }] });
  deepEqual(bodiesOf(mixed), [mixed]);
  const noBody = JSON.stringify({ Records: [{ eventSource: "aws:sqs", body: 5 }] });
  deepEqual(bodiesOf(noBody), [noBody]);
  deepEqual(bodiesOf('{"Records":[]}'), ['{"Records":[]}']);
  deepEqual(bodiesOf("not json"), ["not json"]);
  deepEqual(bodiesOf("null"), ["null"]);
});
