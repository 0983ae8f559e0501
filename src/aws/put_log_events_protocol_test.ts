import { deepStrictEqual as deepEqual, ok, strictEqual as equal, throws } from "node:assert/strict";
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  type PutLogEventsCommandInput,
} from "@aws-sdk/client-cloudwatch-logs";
import { LogEventBatcher } from "../delivery/cloudwatch/batcher.ts";
import { SdkLogsWriter } from "../delivery/cloudwatch/logs_writer.ts";
import { encodedPutLogEvents, putLogEventsBody, PutLogEventsJsonProtocol } from "./put_log_events_protocol.ts";

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

/** The comma-joined JSON of `events`, as the sink's batcher writes it. */
function eventsJson(events: readonly { timestamp: number; message: string }[]): Uint8Array {
  const batcher = new LogEventBatcher();
  batcher.addAll(events);
  const [batch] = batcher.flush();
  return batch!.eventsJson;
}

Deno.test("a PutLogEvents body of written events is byte for byte what the SDK's serializer writes", async () => {
  const events = tricky.map((message, i) => ({ timestamp: 1_767_225_600_000 + i, message }));
  const input: PutLogEventsCommandInput = {
    logGroupName: "/customer/acme/k8s",
    logStreamName: "prod-1/api/api-7f9",
    logEvents: events,
  };
  const sdk = await requestOf(undefined, new PutLogEventsCommand(input));
  const encoded = encodedPutLogEvents("/customer/acme/k8s", "prod-1/api/api-7f9", eventsJson(events));
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

Deno.test("the body is the group, the stream and the events' JSON as written", () => {
  const json = new TextEncoder().encode('{"timestamp":5,"message":"m"}');
  equal(
    new TextDecoder().decode(putLogEventsBody('g"1', "s", json)),
    '{"logGroupName":"g\\"1","logStreamName":"s","logEvents":[{"timestamp":5,"message":"m"}]}',
  );
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

Deno.test("written events need the protocol: a client without it would send none", async () => {
  const encoded = encodedPutLogEvents("g", "s", eventsJson([{ timestamp: 1, message: "m" }]));
  deepEqual(JSON.parse((await requestOf(undefined, new PutLogEventsCommand(encoded))).body).logEvents, []);
  const plain = new CloudWatchLogsClient({ region: "us-east-1" });
  throws(() => new SdkLogsWriter(plain), /needs a CloudWatchLogsClient with protocol: PutLogEventsJsonProtocol/);
  plain.destroy();
  const ours = new CloudWatchLogsClient({ region: "us-east-1", protocol: PutLogEventsJsonProtocol });
  ok(new SdkLogsWriter(ours));
  ours.destroy();
});
