/**
 * The CloudWatch Logs client's own JSON protocol (awsJson1_1), except that a
 * PutLogEvents request built by {@link encodedPutLogEvents} carries its
 * events as JSON bytes already written (by the sink's batcher, one event at a
 * time) and the body is those bytes between the group and the stream's
 * prefix and `]}`. The SDK's schema serializer writes every message
 * character by character: profiled on a 256 MiB object it was 14 % of the
 * whole process's samples, 28 % of its busy CPU (`writeJsonString`), and
 * holding a batch as event objects until it is serialized kept thousands of
 * strings alive into V8's old generation (docs/performance.md). Everything
 * else of the request (endpoint, headers, `x-amz-target`, signing, retries)
 * is still the SDK's: it serializes the same request without its events, and
 * only the body is replaced.
 *
 * @module
 */
import { AwsJson1_1Protocol } from "@aws-sdk/core/protocols";
import type { PutLogEventsCommandInput } from "@aws-sdk/client-cloudwatch-logs";

type Serialize = AwsJson1_1Protocol["serializeRequest"];

/** Where an encoded input keeps its events' JSON (a symbol: no serializer sees it). */
const EVENTS_JSON = Symbol("PutLogEvents events JSON");

/** A PutLogEvents input whose events are JSON bytes; see {@link encodedPutLogEvents}. */
interface EncodedInput {
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly [EVENTS_JSON]: Uint8Array;
}

/**
 * The input of a PutLogEvents command whose events are `eventsJson`: the
 * JSON objects `{"timestamp":…,"message":…}` joined by commas, in UTF-8, as
 * JSON.stringify writes them. Only a client with {@link PutLogEventsJsonProtocol}
 * sends them; any other sends no events, which the API refuses.
 */
export function encodedPutLogEvents(group: string, stream: string, eventsJson: Uint8Array): PutLogEventsCommandInput {
  const input: EncodedInput = { logGroupName: group, logStreamName: stream, [EVENTS_JSON]: eventsJson };
  return { ...input, logEvents: [] };
}

const encoder = new TextEncoder();

/** The body of a PutLogEvents request, as the SDK writes it: group, stream, then the events. */
export function putLogEventsBody(group: string, stream: string, eventsJson: Uint8Array): Uint8Array {
  const head = encoder.encode(
    `{"logGroupName":${JSON.stringify(group)},"logStreamName":${JSON.stringify(stream)},"logEvents":[`,
  );
  const body = new Uint8Array(head.length + eventsJson.length + 2);
  body.set(head);
  body.set(eventsJson, head.length);
  body.set([0x5d, 0x7d], head.length + eventsJson.length); // "]}"
  return body;
}

/** The events' JSON of an input built by {@link encodedPutLogEvents}, else undefined. */
function eventsJsonOf(input: unknown): Uint8Array | undefined {
  const json = (input as Partial<EncodedInput> | undefined)?.[EVENTS_JSON];
  return json instanceof Uint8Array ? json : undefined;
}

/** awsJson1_1 that sends the events of {@link encodedPutLogEvents} as written; pass as the client's `protocol`. */
export class PutLogEventsJsonProtocol extends AwsJson1_1Protocol {
  override async serializeRequest(...[operation, input, context]: Parameters<Serialize>): ReturnType<Serialize> {
    const eventsJson = operation.name === "PutLogEvents" ? eventsJsonOf(input) : undefined;
    if (!eventsJson) return await super.serializeRequest(operation, input, context);
    const { logGroupName, logStreamName } = input as unknown as EncodedInput;
    const bare = { logGroupName, logStreamName, logEvents: [] } as unknown as typeof input;
    const request = await super.serializeRequest(operation, bare, context);
    request.body = putLogEventsBody(logGroupName, logStreamName, eventsJson);
    return request;
  }
}
