/**
 * Peak resident memory while streaming one large gzip object through the
 * pipeline (read → gunzip → records → CloudWatch batches), measured in a
 * child process per object size so the sizes do not share a heap.
 * Generated objects are cached under `.bench/`.
 *
 * @module
 */
import { createGzip } from "node:zlib";
import { Readable } from "node:stream";
import { runPipeline } from "./pipeline_bench.ts";
import { vectorNdjson } from "./vector_data.ts";

const DIR = new URL("../.bench/", import.meta.url).pathname;

/** A cached object is made again after this long, so its timestamps stay inside CloudWatch's 14 days. */
const CACHE_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** Writes (once a week) a gzip object of `mib` MiB uncompressed NDJSON with timestamps near `now`; returns its path. */
export async function benchObject(mib: number, now: number): Promise<string> {
  const file = `${DIR}vector-${mib}mib.json.gz`;
  try {
    const { mtime } = await Deno.stat(file);
    if (mtime && now - mtime.getTime() < CACHE_MAX_AGE_MS) return file;
  } catch { /* generate it */ }
  await Deno.mkdir(DIR, { recursive: true });
  const gzip = createGzip({ level: 1 });
  const out = await Deno.open(`${file}.tmp`, { write: true, create: true, truncate: true });
  const done = Readable.toWeb(gzip).pipeTo(out.writable);
  for (const block of vectorNdjson(mib * 1024 * 1024, { now, blockBytes: 4 << 20 })) {
    if (!gzip.write(block)) await new Promise((r) => gzip.once("drain", r));
  }
  gzip.end();
  await done;
  await Deno.rename(`${file}.tmp`, file);
  return file;
}

/** In the child: streams `file` through the pipeline and reports peak RSS. */
async function measure(file: string, now: number) {
  let peak = Deno.memoryUsage().rss;
  const timer = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 10);
  const started = performance.now();
  const { stats, writer } = await runPipeline((await Deno.open(file)).readable, now);
  clearInterval(timer);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  console.log(JSON.stringify({
    uncompressed_mib: stats.bytes / 2 ** 20,
    events: stats.events,
    put_calls: writer.calls,
    peak_rss_mb: peak / 1e6,
    seconds: (performance.now() - started) / 1000,
  }));
}

/** Peak RSS for each size in MiB, each in its own process. */
export async function rssBench(sizes = [256, 1024]) {
  const now = Date.now();
  const out = [];
  for (const mib of sizes) {
    const file = await benchObject(mib, now);
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(import.meta.url).pathname, "--measure", file, String(now)],
      stderr: "inherit",
    }).output();
    out.push(JSON.parse(new TextDecoder().decode(child.stdout)));
  }
  return out;
}

if (import.meta.main) {
  if (Deno.args[0] === "--measure") await measure(Deno.args[1] ?? "", Number(Deno.args[2]));
  else console.log(JSON.stringify(await rssBench(Deno.args.map(Number).filter(Boolean)), null, 2));
}
