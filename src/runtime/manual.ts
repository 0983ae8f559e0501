/**
 * Manual mode (DESIGN 1.4): SQS message bodies on stdin, one JSON result line
 * per object on stdout; exit status 0 only when every object was delivered
 * or skipped.
 *
 * @module
 */
import { isDone, type MessageResult } from "../results.ts";
import { mapConcurrent } from "../pipeline/map_concurrent.ts";
import { bodiesOf, splitJsonDocuments } from "./split_documents.ts";

/** What manual mode needs. */
export interface ManualDeps {
  processBody(body: string): Promise<MessageResult>;
  readonly concurrency: number;
  /** Writes one result line. */
  readonly print: (line: string) => void;
}

/**
 * Processes every body in `input`, printing one result line per object in
 * input order; returns the exit status (0 only when all were delivered or skipped).
 *
 * @throws {Error} when `input` holds no message body at all.
 *
 * @example
 * ```ts
 * const status = await runManual(await new Response(Deno.stdin.readable).text(), {
 *   processBody: pipeline.processBody,
 *   concurrency: 4,
 *   print: (line) => console.log(line),
 * });
 * ```
 */
export async function runManual(input: string, deps: ManualDeps): Promise<number> {
  const bodies = splitJsonDocuments(input).flatMap(bodiesOf);
  if (bodies.length === 0) {
    throw new Error("no SQS message body on stdin (expected an SNS envelope, S3 event or EventBridge event)");
  }
  let ok = true;
  // Results are printed in input order, each as soon as it and those before it are done.
  const results = new Map<number, MessageResult>();
  let printed = 0;
  await mapConcurrent(bodies, async (body, i) => {
    results.set(i, await deps.processBody(body));
    for (let next = results.get(printed); next; next = results.get(printed)) {
      for (const object of next.objects) {
        if (!isDone(object.outcome)) ok = false;
        deps.print(JSON.stringify(object));
      }
      results.delete(printed++);
    }
  }, { limit: deps.concurrency });
  return ok ? 0 : 1;
}
