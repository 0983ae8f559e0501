/**
 * A recording, fault-injecting proxy between the SDK and moto. It names every
 * call (`PutLogEvents`, `AssumeRole`, `GetObject`, …), counts calls per
 * operation and per access key, fails any PutLogEvents that breaks the real
 * API limits (which moto does not enforce), enforces ExternalId on chosen
 * roles (moto does not), and injects faults.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the proxy understood it. */
export interface Call {
  readonly operation: string;
  readonly accessKeyId?: string;
  /** The region the request was signed for. */
  readonly region?: string;
  readonly body: string;
  readonly path: string;
  /** For PutLogEvents: the parsed request. */
  readonly put?: { group: string; stream: string; events: { timestamp: number; message: string }[] };
  /** For AssumeRole: the form parameters. */
  readonly params?: URLSearchParams;
  /** HTTP status of the answer (set once answered). */
  status?: number;
  /** When the proxy got the request and when it finished answering (`performance.now()`). */
  readonly receivedAt: number;
  answeredAt?: number;
}

/** A fault to answer instead of forwarding. */
export interface Fault {
  readonly operation: string;
  readonly status: number;
  readonly code: string;
  readonly message?: string;
  /** How many matching calls to fail (default: all). */
  times?: number;
  readonly match?: (call: Call) => boolean;
}

/** A hold on matching calls: forwarded after `ms`, or dropped if the client went away meanwhile. */
export interface Delay {
  readonly operation: string;
  readonly ms: number;
  /** How many matching calls to hold (default: all). */
  times?: number;
  readonly match?: (call: Call) => boolean;
}

const MAX_BATCH_BYTES = 1_048_576;
const DAY = 86_400_000;
const encoder = new TextEncoder();

/** Checks a PutLogEvents request against the real API limits. */
export function putLogEventsViolations(
  events: { timestamp: number; message: string }[],
  now = Date.now(),
): string[] {
  const problems: string[] = [];
  if (events.length < 1 || events.length > 10_000) problems.push(`${events.length} events (1-10000 allowed)`);
  let bytes = 0;
  for (const [i, e] of events.entries()) {
    const size = encoder.encode(e.message).length;
    if (size < 1) problems.push(`event ${i} has an empty message`);
    if (size + 26 > MAX_BATCH_BYTES) problems.push(`event ${i} is ${size} bytes`);
    bytes += size + 26;
    if (i > 0 && e.timestamp < events[i - 1]!.timestamp) problems.push(`event ${i} is out of order`);
    if (e.timestamp < now - 14 * DAY) problems.push(`event ${i} is older than 14 days`);
    if (e.timestamp > now + 2 * 3_600_000) problems.push(`event ${i} is more than 2 h in the future`);
  }
  if (bytes > MAX_BATCH_BYTES) problems.push(`batch is ${bytes} bytes (max ${MAX_BATCH_BYTES})`);
  if (events.length > 1 && events.at(-1)!.timestamp - events[0]!.timestamp > DAY) {
    problems.push("batch spans more than 24 hours");
  }
  return problems;
}

function s3Operation(method: string, url: URL): string {
  const parts = url.pathname.split("/").filter(Boolean);
  const q = url.searchParams;
  if (parts.length <= 1) {
    if (method === "PUT" && q.has("notification")) return "PutBucketNotificationConfiguration";
    if (method === "PUT" && q.has("publicAccessBlock")) return "PutPublicAccessBlock";
    if (method === "PUT") return "CreateBucket";
    if (method === "GET") return parts.length === 0 ? "ListBuckets" : "ListObjects";
    if (method === "HEAD") return "HeadBucket";
    if (method === "DELETE") return "DeleteBucket";
    if (method === "POST" && q.has("delete")) return "DeleteObjects";
  }
  if (q.has("tagging")) return { GET: "GetObjectTagging", PUT: "PutObjectTagging" }[method] ?? "DeleteObjectTagging";
  if (method === "POST" && q.has("uploads")) return "CreateMultipartUpload";
  if (method === "POST" && q.has("uploadId")) return "CompleteMultipartUpload";
  if (method === "PUT" && q.has("partNumber")) return "UploadPart";
  if (method === "DELETE" && q.has("uploadId")) return "AbortMultipartUpload";
  return { GET: "GetObject", PUT: "PutObject", HEAD: "HeadObject", DELETE: "DeleteObject" }[method] ?? `S3.${method}`;
}

function errorResponse(
  call: Call,
  fault: Fault,
  isJson: boolean,
  isQuery: boolean,
): { status: number; headers: Record<string, string>; body: string } {
  const message = fault.message ?? `injected ${fault.code}`;
  if (isJson) {
    return {
      status: fault.status,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": fault.code },
      body: JSON.stringify({ __type: fault.code, message }),
    };
  }
  const xml = isQuery
    ? `<ErrorResponse><Error><Type>${
      fault.status >= 500 ? "Receiver" : "Sender"
    }</Type><Code>${fault.code}</Code><Message>${message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>`
    : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>${message}</Message><RequestId>proxy</RequestId></Error>`;
  void call;
  return { status: fault.status, headers: { "content-type": "text/xml" }, body: xml };
}

/** The proxy; `url` is what AWS_ENDPOINT_URL points at. */
export class AwsProxy {
  readonly calls: Call[] = [];
  readonly violations: string[] = [];
  readonly #faults: Fault[] = [];
  readonly #delays: Delay[] = [];
  readonly #externalIds = new Map<string, string>();
  #server?: http.Server;
  readonly #keepBodies: boolean;
  url = "";

  readonly #target: string;

  private constructor(target: string, keepBodies: boolean) {
    this.#target = target;
    this.#keepBodies = keepBodies;
  }

  /**
   * Starts a proxy in front of `target` (moto's URL). With `keepBodies: false`
   * calls are still checked and counted, but their bodies are not kept (a
   * benchmark sending gigabytes).
   */
  static async start(target: string, options: { keepBodies?: boolean } = {}): Promise<AwsProxy> {
    const proxy = new AwsProxy(target, options.keepBodies ?? true);
    const server = http.createServer((req, res) => proxy.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    proxy.#server = server;
    proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return proxy;
  }

  /** The PutLogEvents requests that were accepted. */
  acceptedPuts(): NonNullable<Call["put"]>[] {
    return this.calls.filter((c) => c.put && c.status === 200).map((c) => c.put!);
  }

  /** Calls of `operation` so far (optionally only those matching). */
  count(operation: string, match?: (c: Call) => boolean): number {
    return this.calls.filter((c) => c.operation === operation && (!match || match(c))).length;
  }

  /** The most calls of `operation` (optionally only those matching) that were open at the same time. */
  peakInFlight(operation: string, match?: (c: Call) => boolean): number {
    const edges = this.calls
      .filter((c) => c.operation === operation && (!match || match(c)))
      .flatMap((c): [number, number][] => [[c.receivedAt, 1], [c.answeredAt ?? Number.POSITIVE_INFINITY, -1]])
      .sort(([a, da], [b, db]) => a - b || da - db);
    let open = 0;
    let peak = 0;
    for (const [, d] of edges) peak = Math.max(peak, open += d);
    return peak;
  }

  /** Calls per operation. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) out[c.operation] = (out[c.operation] ?? 0) + 1;
    return out;
  }

  /** Answers matching calls with `fault` (for `fault.times` calls, default always). */
  inject(fault: Fault): void {
    this.#faults.push({ ...fault });
  }

  /** Holds matching calls for `delay.ms` (a slow AWS; a worker killed meanwhile never reaches moto). */
  delay(delay: Delay): void {
    this.#delays.push({ ...delay });
  }

  /** AssumeRole of `roleArn` fails with AccessDenied unless it carries `externalId`. */
  requireExternalId(roleArn: string, externalId: string): void {
    this.#externalIds.set(roleArn, externalId);
  }

  /** Forgets calls, violations and faults. */
  reset(): void {
    this.calls.length = 0;
    this.violations.length = 0;
    this.#faults.length = 0;
    this.#delays.length = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  #fault(call: Call): Fault | undefined {
    if (call.operation === "AssumeRole") {
      const role = call.params?.get("RoleArn") ?? "";
      const expected = this.#externalIds.get(role);
      if (expected !== undefined && call.params?.get("ExternalId") !== expected) {
        return {
          operation: "AssumeRole",
          status: 403,
          code: "AccessDenied",
          message: `ExternalId mismatch for ${role}`,
        };
      }
    }
    if (call.put) {
      const problems = putLogEventsViolations(call.put.events);
      if (problems.length > 0) {
        this.violations.push(`${call.put.group}/${call.put.stream}: ${problems.slice(0, 5).join("; ")}`);
        return { operation: "PutLogEvents", status: 400, code: "InvalidParameterException", message: problems[0] };
      }
    }
    const fault = this.#faults.find((f) =>
      f.operation === call.operation && (f.times === undefined || f.times > 0) && (!f.match || f.match(call))
    );
    if (fault && fault.times !== undefined) fault.times--;
    return fault;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Uint8Array[] = [];
    req.on("data", (c: Uint8Array) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://proxy");
      const target = String(req.headers["x-amz-target"] ?? "");
      const type = String(req.headers["content-type"] ?? "");
      const auth = String(req.headers.authorization ?? "");
      const accessKeyId = auth.match(/Credential=([^/]+)\//)?.[1];
      const region = auth.match(/Credential=[^/]+\/\d{8}\/([^/]+)\//)?.[1];
      const isJson = target !== "";
      const isQuery = !isJson && type.startsWith("application/x-www-form-urlencoded") && req.method === "POST";
      const body = isJson || isQuery ? raw.toString("utf8") : "";
      let operation: string;
      let params: URLSearchParams | undefined;
      let put: Call["put"];
      if (url.pathname.startsWith("/moto-api")) operation = "moto-api";
      else if (isJson) {
        operation = target.split(".").pop()!;
        if (operation === "PutLogEvents") {
          const parsed = JSON.parse(body);
          put = { group: parsed.logGroupName, stream: parsed.logStreamName, events: parsed.logEvents ?? [] };
        }
      } else if (isQuery) {
        params = new URLSearchParams(body);
        operation = params.get("Action") ?? "Query";
      } else operation = s3Operation(req.method ?? "GET", url);
      const receivedAt = performance.now();
      const checked: Call = { operation, accessKeyId, region, body, path: url.pathname, put, params, receivedAt };
      const fault = this.#fault(checked);
      const call: Call = this.#keepBodies
        ? checked
        : { operation, accessKeyId, region, body: "", path: url.pathname, receivedAt };
      res.on("close", () => call.answeredAt = performance.now());
      this.calls.push(call);
      if (fault) {
        const r = errorResponse(call, fault, isJson, isQuery);
        call.status = r.status;
        res.writeHead(r.status, r.headers).end(r.body);
        return;
      }
      const delay = this.#delays.find((d) =>
        d.operation === call.operation && (d.times === undefined || d.times > 0) && (!d.match || d.match(call))
      );
      if (delay) {
        if (delay.times !== undefined) delay.times--;
        const timer = setTimeout(() => {
          if (!req.socket.destroyed) this.#forward(call, req, res, raw);
        }, delay.ms);
        Deno.unrefTimer(timer);
        return;
      }
      this.#forward(call, req, res, raw);
    });
  }

  #forward(call: Call, req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const headers = { ...req.headers };
    delete headers.host;
    const upstream = http.request(new URL(req.url ?? "/", this.#target), { method: req.method, headers }, (up) => {
      call.status = up.statusCode ?? 502;
      // Hop-by-hop headers are the proxy's own (RFC 9110 7.6.1): moto closing its connection
      // must not close the client's, or every SDK call would pay a new TCP connection.
      const answer = { ...up.headers };
      delete answer.connection;
      delete answer["keep-alive"];
      res.writeHead(call.status, answer);
      up.pipe(res);
    });
    upstream.on("error", (err) => {
      res.writeHead(502, { "content-type": "text/plain" }).end(String(err));
    });
    upstream.end(raw);
  }
}
