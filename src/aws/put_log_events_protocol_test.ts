import { deepStrictEqual as deepEqual, ok, rejects, strictEqual as equal, throws } from "node:assert/strict";
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  type PutLogEventsCommandInput,
} from "@aws-sdk/client-cloudwatch-logs";
import { LogEventBatcher } from "../delivery/cloudwatch/batcher.ts";
import { SdkLogsWriter } from "../delivery/cloudwatch/logs_writer.ts";
import { encodedPutLogEvents, putLogEventsFrame, PutLogEventsJsonProtocol } from "./put_log_events_protocol.ts";

interface Sent {
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly path: string;
}

/** The request `client` would send for `command`, stopped before the network. */
async function requestOf(protocol: typeof PutLogEventsJsonProtocol | undefined, command: unknown): Promise<Sent> {
  const client = new CloudWatchLogsClient({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:9",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
    ...(protocol ? { protocol } : {}),
  });
  let sent: Sent | undefined;
  client.middlewareStack.add(
    (_next) => (args) => {
      const request = args.request as { body: unknown; headers: Record<string, string>; path: string };
      const body = typeof request.body === "string"
        ? request.body
        : new TextDecoder().decode(request.body as Uint8Array);
      sent = { body, headers: { ...request.headers }, path: request.path };
      return Promise.reject(new Error("stopped before sending"));
    },
    { step: "finalizeRequest", priority: "low" },
  );
  await client.send(command as PutLogEventsCommand).catch(() => {});
  client.destroy();
  return sent!;
}

const tricky = [
  "plain ascii",
  'quotes " and \\ backslash, / slash',
  "control \u0000\u0001\b\f\n\r\t\u001f and DEL \u007f",
  "é日志 ünïcödé",
  "emoji 📜🚀 and a lone high \ud800 and low \udc00 surrogate",
  "\u2028 line and \u2029 paragraph separators",
  "x".repeat(5000),
];

/** The body of a PutLogEvents request of `events`, as the sink's batcher writes it. */
function bodyOf(group: string, stream: string, events: readonly { timestamp: number; message: string }[]): Uint8Array {
  const batcher = new LogEventBatcher(undefined, putLogEventsFrame(group, stream));
  batcher.addAll(events);
  const [batch] = batcher.flush();
  return batch!.body;
}

Deno.test("a PutLogEvents body of written events is byte for byte what the SDK's serializer writes", async () => {
  const events = tricky.map((message, i) => ({ timestamp: 1_767_225_600_000 + i, message }));
  const input: PutLogEventsCommandInput = {
    logGroupName: "/customer/acme/k8s",
    logStreamName: "prod-1/api/api-7f9",
    logEvents: events,
  };
  const sdk = await requestOf(undefined, new PutLogEventsCommand(input));
  const [group, stream] = ["/customer/acme/k8s", "prod-1/api/api-7f9"];
  const encoded = encodedPutLogEvents(group, stream, bodyOf(group, stream, events));
  const ours = await requestOf(PutLogEventsJsonProtocol, new PutLogEventsCommand(encoded));
  equal(ours.body, sdk.body);
  deepEqual(JSON.parse(ours.body).logEvents.map((e: { message: string }) => e.message).slice(0, 4), tricky.slice(0, 4));
  // Everything but the signature (its date differs) and the length it was computed over is the SDK's.
  const strip = (h: Record<string, string>) => {
    const { authorization: _a, "x-amz-date": _d, "amz-sdk-invocation-id": _i, ...rest } = h;
    return rest;
  };
  deepEqual(strip(ours.headers), strip(sdk.headers));
  equal(ours.headers["x-amz-target"], "Logs_20140328.PutLogEvents");
  equal(ours.headers["content-length"], String(new TextEncoder().encode(sdk.body).length));
  equal(ours.path, sdk.path);
});

Deno.test("the frame is the group and the stream as JSON; a body framed for another stream is refused", async () => {
  const { head, tail } = putLogEventsFrame('g"1', "s");
  equal(new TextDecoder().decode(head), '{"logGroupName":"g\\"1","logStreamName":"s","logEvents":[');
  equal(new TextDecoder().decode(tail), "]}");
  const body = bodyOf("g", "other-stream", [{ timestamp: 1, message: "m" }]);
  const client = new CloudWatchLogsClient({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:9",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
    protocol: PutLogEventsJsonProtocol,
  });
  await rejects(
    client.send(new PutLogEventsCommand(encodedPutLogEvents("g", "s", body))),
    /PutLogEvents body is not framed for g:s/,
  );
  client.destroy();
});

Deno.test("other operations, and PutLogEvents of event objects, go through the SDK's own serializer", async () => {
  const create = new CreateLogStreamCommand({ logGroupName: "g", logStreamName: "s" });
  equal((await requestOf(PutLogEventsJsonProtocol, create)).body, (await requestOf(undefined, create)).body);
  const plain = new PutLogEventsCommand({
    logGroupName: "g",
    logStreamName: "s",
    sequenceToken: "t",
    logEvents: [{ timestamp: 1, message: "m" }],
  });
  equal((await requestOf(PutLogEventsJsonProtocol, plain)).body, (await requestOf(undefined, plain)).body);
});

Deno.test("a written body needs the protocol: a client without it would send no events", async () => {
  const encoded = encodedPutLogEvents("g", "s", bodyOf("g", "s", [{ timestamp: 1, message: "m" }]));
  deepEqual(JSON.parse((await requestOf(undefined, new PutLogEventsCommand(encoded))).body).logEvents, []);
  const plain = new CloudWatchLogsClient({ region: "us-east-1" });
  throws(() => new SdkLogsWriter(plain), /needs a CloudWatchLogsClient with protocol: PutLogEventsJsonProtocol/);
  plain.destroy();
  const ours = new CloudWatchLogsClient({ region: "us-east-1", protocol: PutLogEventsJsonProtocol });
  ok(new SdkLogsWriter(ours));
  ours.destroy();
});
