/**
 * The CloudWatch Logs client's own JSON protocol (awsJson1_1), except that a
 * PutLogEvents request built by {@link encodedPutLogEvents} carries its body
 * already written (by the sink's batcher, as the events arrive), and that
 * body is sent as it is. The SDK's schema serializer writes every message
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

/** Where an encoded input keeps its body (a symbol: no serializer sees it). */
const BODY = Symbol("PutLogEvents body");

/** A PutLogEvents input whose body is already written; see {@link encodedPutLogEvents}. */
interface EncodedInput {
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly [BODY]: Uint8Array;
}

const encoder = new TextEncoder();
const TAIL = encoder.encode("]}");

/**
 * What a PutLogEvents body for `group` and `stream` holds around its events,
 * as the SDK writes it: `{"logGroupName":…,"logStreamName":…,"logEvents":[`
 * and `]}`. Between them go the events as JSON objects
 * `{"timestamp":…,"message":…}` joined by commas (JSON.stringify's writing).
 */
export function putLogEventsFrame(group: string, stream: string): { head: Uint8Array; tail: Uint8Array } {
  const head = encoder.encode(
    `{"logGroupName":${JSON.stringify(group)},"logStreamName":${JSON.stringify(stream)},"logEvents":[`,
  );
  return { head, tail: TAIL };
}

/**
 * The input of a PutLogEvents command whose request body is `body`, written
 * in {@link putLogEventsFrame} for the same group and stream. Only a client
 * with {@link PutLogEventsJsonProtocol} sends it (as it is, without a copy);
 * any other sends no events, which the API refuses.
 */
export function encodedPutLogEvents(group: string, stream: string, body: Uint8Array): PutLogEventsCommandInput {
  const input: EncodedInput = { logGroupName: group, logStreamName: stream, [BODY]: body };
  return { ...input, logEvents: [] };
}

/** True when `body` is framed for `group` and `stream` (so the events go where the input says). */
function framedFor(body: Uint8Array, group: string, stream: string): boolean {
  const { head, tail } = putLogEventsFrame(group, stream);
  if (body.length < head.length + tail.length) return false;
  for (let i = 0; i < head.length; i++) if (body[i] !== head[i]) return false;
  for (let i = 0; i < tail.length; i++) if (body[body.length - tail.length + i] !== tail[i]) return false;
  return true;
}

/** The body of an input built by {@link encodedPutLogEvents}, else undefined. */
function bodyOf(input: unknown): Uint8Array | undefined {
  const body = (input as Partial<EncodedInput> | undefined)?.[BODY];
  return body instanceof Uint8Array ? body : undefined;
}

/** awsJson1_1 that sends the body of {@link encodedPutLogEvents} as written; pass as the client's `protocol`. */
export class PutLogEventsJsonProtocol extends AwsJson1_1Protocol {
  override async serializeRequest(...[operation, input, context]: Parameters<Serialize>): ReturnType<Serialize> {
    const body = operation.name === "PutLogEvents" ? bodyOf(input) : undefined;
    if (!body) return await super.serializeRequest(operation, input, context);
    const { logGroupName, logStreamName } = input as unknown as EncodedInput;
    if (!framedFor(body, logGroupName, logStreamName)) {
      throw new TypeError(`PutLogEvents body is not framed for ${logGroupName}:${logStreamName}`);
    }
    const bare = { logGroupName, logStreamName, logEvents: [] } as unknown as typeof input;
    const request = await super.serializeRequest(operation, bare, context);
    request.body = body;
    return request;
  }
}
