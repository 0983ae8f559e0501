import { deepStrictEqual as deepEqual, rejects, strictEqual as equal } from "node:assert/strict";
import { type MessageResult, objectResult, type Outcome } from "../results.ts";
import { runManual } from "./manual.ts";

/** A processBody that answers from the body text `{"key":…,"outcome":…,"delay":n}` after n microtask hops. */
async function fakeProcess(body: string): Promise<MessageResult> {
  const { keys, outcome, delay } = JSON.parse(body) as { keys: string[]; outcome: Outcome; delay: number };
  for (let i = 0; i < delay; i++) await Promise.resolve();
  const objects = keys.map((key) => objectResult({ bucket: "b", key, outcome }));
  return { outcome, objects };
}

const doc = (keys: string[], outcome: Outcome, delay = 0) => JSON.stringify({ keys, outcome, delay });

Deno.test("prints one result line per object, in input order, even when later bodies finish first", async () => {
  const printed: string[] = [];
  const input = [doc(["a1", "a2"], "delivered", 30), doc(["b"], "skipped", 0), doc(["c"], "delivered", 5)].join("\n");
  const status = await runManual(input, { processBody: fakeProcess, concurrency: 3, print: (l) => printed.push(l) });
  equal(status, 0);
  deepEqual(printed.map((l) => JSON.parse(l).key), ["a1", "a2", "b", "c"]);
});

Deno.test("exit status 1 when any object was not delivered or skipped", async () => {
  for (const bad of ["retryable", "permanent"] as const) {
    const input = doc(["ok"], "delivered") + doc(["bad"], bad);
    equal(await runManual(input, { processBody: fakeProcess, concurrency: 2, print: () => {} }), 1, bad);
  }
});

Deno.test("a Lambda SQS event on stdin is unwrapped into its bodies", async () => {
  const event = JSON.stringify({
    Records: [doc(["x"], "delivered"), doc(["y"], "delivered")].map((body) => ({ eventSource: "aws:sqs", body })),
  });
  const printed: string[] = [];
  await runManual(event, { processBody: fakeProcess, concurrency: 1, print: (l) => printed.push(l) });
  deepEqual(printed.map((l) => JSON.parse(l).key), ["x", "y"]);
});

Deno.test("no body on stdin is an error, not a silent success", async () => {
  await rejects(
    runManual("  \n", { processBody: fakeProcess, concurrency: 1, print: () => {} }),
    /no SQS message body/,
  );
});
