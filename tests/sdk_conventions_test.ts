/**
 * The processor follows the AWS SDK's own conventions (issue 15, item 5): its
 * region comes from the `AWS_PROFILE`'s configuration when `AWS_REGION` is
 * unset, and a service's own endpoint variable (`AWS_ENDPOINT_URL_<SERVICE>`)
 * wins over `AWS_ENDPOINT_URL`. Run as a subprocess, as operators run it.
 * (deploy.sh: tests/deploy_test.ts.)
 */
import assert from "node:assert/strict";
import { freePort } from "../scripts/local_aws/free_port.ts";
import { awsTest, processorEnv, putTenantItem, REGION, runProcessor } from "./support/fixtures.ts";

/** A temporary AWS config file; returns its path. */
async function awsConfigFile(text: string): Promise<string> {
  const file = await Deno.makeTempFile({ prefix: "aws-config-" });
  await Deno.writeTextFile(file, text);
  return file;
}

awsTest(
  "without AWS_REGION the processor uses the region of AWS_PROFILE's config, not the default profile's",
  async (aws) => {
    await putTenantItem(aws, { tenant_id: "acme", delivery_id: "cloudwatch", type: "cloudwatch", enabled: false });
    const config = await awsConfigFile(
      `[default]\nregion = eu-west-3\n\n[profile ops]\nregion = ${REGION}\n` +
        "aws_access_key_id = testing\naws_secret_access_key = testing\n",
    );
    try {
      const env: Record<string, string> = { ...processorEnv(aws), AWS_PROFILE: "ops", AWS_CONFIG_FILE: config };
      for (const k of ["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) delete env[k];
      const run = await runProcessor(["tenants", "list", "--json"], env);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.results.map((r) => r.tenant_id), ["acme"], "it read the us-east-1 table");

      const none = await runProcessor(["tenants", "list"], { ...env, AWS_PROFILE: "missing" });
      assert.equal(none.code, 2);
      assert.match(none.stderr, /AWS_REGION: is required but not set \(nor a region in AWS profile "missing"\)/);
    } finally {
      await Deno.remove(config);
    }
  },
);

awsTest("AWS_ENDPOINT_URL_<SERVICE> wins over AWS_ENDPOINT_URL, as in the SDK's rule", async (aws) => {
  await putTenantItem(aws, { tenant_id: "acme", delivery_id: "cloudwatch", type: "cloudwatch", enabled: false });
  const dead = `http://127.0.0.1:${freePort()}`;
  const env = { ...processorEnv(aws), AWS_ENDPOINT_URL: dead, AWS_ENDPOINT_URL_DYNAMODB: aws.proxy.url };
  const run = await runProcessor(["tenants", "list", "--json"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.results.map((r) => r.tenant_id), ["acme"]);
  assert.ok(aws.proxy.count("Scan") >= 1, "DynamoDB went to its own endpoint");

  const ignored = await runProcessor(["tenants", "list"], { ...env, AWS_ENDPOINT_URL_DYNAMODB: "not a url" });
  assert.equal(ignored.code, 2);
  assert.match(ignored.stderr, /AWS_ENDPOINT_URL_DYNAMODB: is not a URL/);
});
