/**
 * A Lambda Runtime API server for tests and benchmarks: it hands out the
 * invocations given to `invoke()` on `GET …/invocation/next` and resolves
 * each with what the runtime posts back. Speaks the same HTTP as Lambda.
 *
 * @module
 */

/** What the runtime answered to one invocation. */
export interface InvocationReply {
  readonly kind: "response" | "error";
  readonly body: unknown;
  readonly errorType?: string;
}

interface Pending {
  readonly id: string;
  readonly event: unknown;
  readonly deadlineMs: number;
  readonly reply: (r: InvocationReply) => void;
}

const PREFIX = "/2018-06-01/runtime";

/** A local Runtime API. */
export class RuntimeApiServer {
  readonly initErrors: { errorType?: string; body: unknown }[] = [];
  readonly #queue: Pending[] = [];
  readonly #waiting: ((p: Pending) => void)[] = [];
  readonly #open = new Map<string, Pending>();
  #server?: Deno.HttpServer;
  #closing?: () => void;
  readonly #closed = new Promise<undefined>((resolve) => this.#closing = () => resolve(undefined));
  host = "";

  static start(): Promise<RuntimeApiServer> {
    const api = new RuntimeApiServer();
    return new Promise((resolve) => {
      api.#server = Deno.serve({
        hostname: "127.0.0.1",
        port: 0,
        onListen: ({ port }) => {
          api.host = `127.0.0.1:${port}`;
          resolve(api);
        },
      }, (req) => api.#handle(req));
    });
  }

  /** Queues an invocation of `event`; resolves with the runtime's answer. */
  invoke(event: unknown, timeoutMs = 60_000): Promise<InvocationReply> {
    return new Promise((reply) => {
      const p = { id: crypto.randomUUID(), event, deadlineMs: Date.now() + timeoutMs, reply };
      const taker = this.#waiting.shift();
      if (taker) taker(p);
      else this.#queue.push(p);
    });
  }

  /** Stops serving; a runtime still waiting on `next` gets a 503. */
  async close(): Promise<void> {
    this.#closing?.();
    await this.#server?.shutdown();
  }

  async #handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === `${PREFIX}/invocation/next`) {
      const p = this.#queue.shift() ??
        await Promise.race([new Promise<Pending>((r) => this.#waiting.push(r)), this.#closed]);
      if (!p) return Response.json({ errorMessage: "shutting down" }, { status: 503 });
      this.#open.set(p.id, p);
      return Response.json(p.event, {
        headers: {
          "lambda-runtime-aws-request-id": p.id,
          "lambda-runtime-deadline-ms": String(p.deadlineMs),
          "lambda-runtime-invoked-function-arn": "arn:aws:lambda:us-east-1:123456789012:function:log-processor",
          "lambda-runtime-trace-id": "Root=1-00000000-000000000000000000000000",
        },
      });
    }
    const body = await req.text().then((t) => t ? JSON.parse(t) : null);
    const errorType = req.headers.get("lambda-runtime-function-error-type") ?? undefined;
    if (req.method === "POST" && path === `${PREFIX}/init/error`) {
      this.initErrors.push({ errorType, body });
      return Response.json({ status: "OK" }, { status: 202 });
    }
    const m = path.match(/^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/);
    const p = m ? this.#open.get(decodeURIComponent(m[1]!)) : undefined;
    if (req.method !== "POST" || !m || !p) return Response.json({ errorMessage: "unknown request" }, { status: 400 });
    this.#open.delete(p.id);
    p.reply({ kind: m[2] as "response" | "error", body, errorType });
    return Response.json({ status: "OK" }, { status: 202 });
  }
}
