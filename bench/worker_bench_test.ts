import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { sqsChoice } from "./worker_bench.ts";

/** A directory that looks like an ElasticMQ install (its server jar) or an empty one. */
async function home(installed: boolean): Promise<string> {
  const dir = await Deno.makeTempDir();
  if (installed) await Deno.writeTextFile(`${dir}/elasticmq-server_2.13-1.6.16.jar`, "");
  return dir;
}

Deno.test("without --sqs the worker bench takes ElasticMQ when installed, else moto with a note naming the install", async () => {
  const yes = await home(true);
  const no = await home(false);
  try {
    deepStrictEqual(sqsChoice(undefined, yes), { sqs: "elasticmq" });
    const fallback = sqsChoice(undefined, no);
    strictEqual("sqs" in fallback && fallback.sqs, "moto");
    match("note" in fallback ? fallback.note ?? "" : "", /install_elasticmq\.sh.*fairness figure/);
  } finally {
    await Deno.remove(yes, { recursive: true });
    await Deno.remove(no, { recursive: true });
  }
});

Deno.test("--sqs names the emulator; elasticmq without an install and an unknown name are errors", async () => {
  const no = await home(false);
  try {
    deepStrictEqual(sqsChoice("moto", no), { sqs: "moto" });
    deepStrictEqual(sqsChoice("elasticmq", no), {
      error: `ElasticMQ is not installed in ${no}: run bash scripts/local_aws/install_elasticmq.sh (Java 17+ and ` +
        "Maven), or pass --sqs moto",
    });
    deepStrictEqual(sqsChoice("localstack", no), {
      error: '--sqs must be one of elasticmq, moto (got "localstack")',
    });
  } finally {
    await Deno.remove(no, { recursive: true });
  }
});
