/**
 * The SQS check the worker bench runs on ElasticMQ, run here against moto (the
 * suite's SQS), and what the bench says when ElasticMQ is not installed.
 * ElasticMQ itself is not needed by any test.
 */
import assert from "node:assert/strict";
import { checkSqsCompat } from "./sqs_compat_check.ts";
import { elasticMqConfig, installedElasticMq, spawnElasticMq } from "./elasticmq_server.ts";
import { awsTest, CENTRAL_ACCOUNT } from "../../tests/support/fixtures.ts";

awsTest("moto answers the worker's SQS calls as SQS does (the bench's check passes)", async (aws) => {
  await checkSqsCompat(aws.moto, CENTRAL_ACCOUNT);
});

Deno.test("ElasticMQ's configuration binds 127.0.0.1, a port the OS picks, and names the given region and account", () => {
  const conf = elasticMqConfig({ region: "eu-west-1", accountId: "123456789012" });
  assert.match(conf, /rest-sqs \{ enabled = true, bind-port = 0, bind-hostname = "127\.0\.0\.1"/);
  assert.match(conf, /generate-node-address = true/);
  assert.match(conf, /aws \{ region = "eu-west-1", accountId = "123456789012" \}/);
});

Deno.test("without an installed ElasticMQ the bench says how to install it", async () => {
  const home = await Deno.makeTempDir();
  const before = Deno.env.get("ELASTICMQ_HOME");
  Deno.env.set("ELASTICMQ_HOME", home);
  try {
    assert.strictEqual(installedElasticMq(home), undefined);
    await assert.rejects(spawnElasticMq(), /ElasticMQ is not installed in .*install_elasticmq\.sh/);
    await Deno.writeFile(`${home}/elasticmq-server_2.13-1.6.16.jar`, new Uint8Array());
    assert.strictEqual(installedElasticMq(home), "1.6.16");
  } finally {
    if (before === undefined) Deno.env.delete("ELASTICMQ_HOME");
    else Deno.env.set("ELASTICMQ_HOME", before);
    await Deno.remove(home, { recursive: true });
  }
});
