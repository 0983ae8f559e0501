/**
 * A minimal client of the V8 inspector protocol, to take CPU profiles and
 * heap snapshots of a processor started with `--inspect=127.0.0.1:0` (for
 * `bench/profile_process.ts`), plus a summary of a `.cpuprofile`: self time
 * per function and per area (our code, the AWS SDK, Node compatibility, …).
 *
 * @module
 */

/** A connected inspector session. */
export class InspectorSession {
  readonly #ws: WebSocket;
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #chunks: string[] = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.onmessage = (e) => {
      const msg = JSON.parse(String(e.data));
      if (msg.method === "HeapProfiler.addHeapSnapshotChunk") this.#chunks.push(msg.params.chunk);
      const waiting = msg.id !== undefined ? this.#pending.get(msg.id) : undefined;
      if (!waiting) return;
      this.#pending.delete(msg.id);
      if (msg.error) waiting.reject(new Error(JSON.stringify(msg.error)));
      else waiting.resolve(msg.result);
    };
  }

  /** Waits for the "Debugger listening on ws://…" line in `stderr()` and connects. */
  static async connect(stderr: () => string, timeoutMs = 30_000): Promise<InspectorSession> {
    const end = Date.now() + timeoutMs;
    let url: string | undefined;
    while (!(url = stderr().match(/ws:\/\/[^\s]+/)?.[0])) {
      if (Date.now() > end) throw new Error("no inspector URL on stderr");
      await new Promise((r) => setTimeout(r, 50));
    }
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    return new InspectorSession(ws);
  }

  /** Sends one protocol command; resolves to its result. */
  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.#next++;
    const done = new Promise<T>((resolve, reject) =>
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
    );
    this.#ws.send(JSON.stringify({ id, method, params }));
    return done;
  }

  /** Starts sampling (every `intervalUs`). */
  async startProfile(intervalUs = 500): Promise<void> {
    await this.send("Profiler.enable");
    await this.send("Profiler.setSamplingInterval", { interval: intervalUs });
    await this.send("Profiler.start");
  }

  /** Stops sampling; returns the profile (`.cpuprofile` JSON). */
  async stopProfile(): Promise<CpuProfile> {
    return (await this.send<{ profile: CpuProfile }>("Profiler.stop")).profile;
  }

  /** Takes a heap snapshot; returns its JSON text (`.heapsnapshot`). */
  async heapSnapshot(): Promise<string> {
    this.#chunks.length = 0;
    await this.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
    return this.#chunks.join("");
  }

  close(): void {
    this.#ws.close();
  }
}

/** The parts of a V8 CPU profile the summary reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, by its script URL. */
export function areaOf(url: string): string {
  if (url === "") return "(native/V8)";
  if (/@smithy|@aws-sdk|@aws-crypto|fast-xml-parser|bowser|tslib/.test(url)) return "AWS SDK";
  if (url.startsWith("node:") || url.includes("ext:deno_node") || url.includes("/node/")) return "Node compat";
  if (url.startsWith("ext:")) return "Deno runtime";
  if (url.includes("/src/")) return "processor (src/)";
  return "other";
}

type Frame = CpuProfile["nodes"][number]["callFrame"];

/** Stages of the work, by a frame anywhere on the stack; the first that matches wins. */
const STAGES: readonly [string, (f: Frame) => boolean][] = [
  ["profiling itself (inspector)", (f) => f.url.includes("inspector") || f.functionName.includes("inspector")],
  ["SDK: signing", (f) => f.functionName === "signRequest"],
  ["SDK: request serialization", (f) => f.functionName === "serializeRequest" || f.functionName === "putLogEventsBody"],
  ["readRecords (parse, split; gunzip apart)", (f) => f.functionName === "readRecords"],
  ["gunzip (node:zlib)", (f) => f.url.includes("zlib")],
  ["sink write (admit, batch)", (f) => f.url.includes("cloudwatch_sink")],
  ["HTTP receive (node:http)", (f) => f.functionName === "socketOnData" || f.functionName === "onStreamRead"],
  ["logging", (f) => f.url.includes("logger.ts")],
  ["SQS worker", (f) => /sqs_worker|sqs_queue|delete_batcher/.test(f.url)],
  ["SDK: other", (f) => /@smithy|@aws-sdk/.test(f.url)],
  ["processor: other", (f) => f.url.includes("/src/")],
];

/** Busy samples (idle excluded) per stage of the work, in percent. */
function stagesOf(
  counts: Map<number, number>,
  byId: Map<number, CpuProfile["nodes"][number]>,
  parent: Map<number, number>,
) {
  const stages = new Map<string, number>();
  let busy = 0;
  for (const [id, n] of counts) {
    const leaf = byId.get(id)!.callFrame;
    if (leaf.functionName === "(idle)") continue;
    busy += n;
    let stage = leaf.functionName === "(garbage collector)" ? "garbage collector" : "other";
    if (stage === "other") {
      const stack: Frame[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!.callFrame);
      stage = STAGES.find(([, matches]) => stack.some(matches))?.[0] ?? "other";
    }
    stages.set(stage, (stages.get(stage) ?? 0) + n);
  }
  return [...stages].sort((a, b) => b[1] - a[1]).map(([stage, n]) => ({
    stage,
    pct_of_busy: round1((100 * n) / busy),
  }));
}

const round1 = (x: number) => Number(x.toFixed(1));

function frameName(f: Frame): string {
  const where = f.url ? `${f.url.replace(/^.*\/(node_modules|src|\.deno)\//, "$1/")}:${f.lineNumber + 1}` : "";
  return `${f.functionName || "(anonymous)"} ${where}`.trim();
}

/**
 * Self time per function and per area, and inclusive time per function (the
 * share of samples with it anywhere on the stack), in percent of the samples;
 * and the busy samples per stage of the work (what docs/performance.md quotes).
 */
export function summarizeProfile(profile: CpuProfile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const counts = new Map<number, number>();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, n] of counts) {
    const f = byId.get(id)!.callFrame;
    const name = frameName(f);
    fns.set(name, (fns.get(name) ?? 0) + n);
    const area = areaOf(f.url);
    areas.set(area, (areas.get(area) ?? 0) + n);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      onStack.add(frameName(byId.get(at)!.callFrame));
    }
    for (const fn of onStack) inclusive.set(fn, (inclusive.get(fn) ?? 0) + n);
  }
  const pct = (n: number) => Number(((100 * n) / total).toFixed(1));
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    samples: total,
    stages: stagesOf(counts, byId, parent),
    areas: sorted(areas).map(([area, n]) => ({ area, pct: pct(n) })),
    top: sorted(fns).slice(0, top).map(([fn, n]) => ({ fn, pct: pct(n) })),
    inclusive: sorted(inclusive).slice(0, top * 2).map(([fn, n]) => ({ fn, pct: pct(n) })),
  };
}
