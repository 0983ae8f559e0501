import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  type PutLogEventsCommandInput,
} from "@aws-sdk/client-cloudwatch-logs";
import { PutLogEventsJsonProtocol } from "./put_log_events_protocol.ts";

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

Deno.test("a PutLogEvents body is byte for byte what the SDK's serializer writes, for any message", async () => {
  const input: PutLogEventsCommandInput = {
    logGroupName: "/customer/acme/k8s",
    logStreamName: "prod-1/api/api-7f9",
    logEvents: tricky.map((message, i) => ({ timestamp: 1_767_225_600_000 + i, message })),
  };
  const sdk = await requestOf(undefined, new PutLogEventsCommand(input));
  const ours = await requestOf(PutLogEventsJsonProtocol, new PutLogEventsCommand(input));
  equal(ours.body, sdk.body);
  deepEqual(JSON.parse(ours.body).logEvents.map((e: { message: string }) => e.message).slice(0, 4), tricky.slice(0, 4));
  // Everything but the signature (its date differs) and the length it was computed over is the SDK's.
  const strip = (h: Record<string, string>) => {
    const { authorization: _a, "x-amz-date": _d, "amz-sdk-invocation-id": _i, ...rest } = h;
    return rest;
  };
  deepEqual(strip(ours.headers), strip(sdk.headers));
  equal(ours.headers["x-amz-target"], "Logs_20140328.PutLogEvents");
  equal(ours.path, sdk.path);
});

Deno.test("only timestamp and message of each event are written, as the SDK does", async () => {
  const event = { timestamp: 5, message: "m", extra: "never sent" };
  const command = new PutLogEventsCommand({ logGroupName: "g", logStreamName: "s", logEvents: [event] });
  equal(
    (await requestOf(PutLogEventsJsonProtocol, command)).body,
    '{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":5,"message":"m"}]}',
  );
});

Deno.test("other operations, and PutLogEvents with other members, go through the SDK's own serializer", async () => {
  const create = new CreateLogStreamCommand({ logGroupName: "g", logStreamName: "s" });
  equal((await requestOf(PutLogEventsJsonProtocol, create)).body, (await requestOf(undefined, create)).body);
  const withToken = new PutLogEventsCommand({
    logGroupName: "g",
    logStreamName: "s",
    sequenceToken: "t",
    logEvents: [{ timestamp: 1, message: "m" }],
  });
  equal((await requestOf(PutLogEventsJsonProtocol, withToken)).body, (await requestOf(undefined, withToken)).body);
});
