import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { configuredEndpoint, endpointNames } from "./configured_endpoint.ts";

Deno.test("the service variable is AWS_ENDPOINT_URL_ plus the upper-cased service id", () => {
  const only = (variable: string) => ({ [variable]: "http://only:1" });
  equal(configuredEndpoint(only("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"), "CloudWatch Logs"), "http://only:1");
  equal(configuredEndpoint(only("AWS_ENDPOINT_URL_S3"), "S3"), "http://only:1");
  equal(configuredEndpoint(only("AWS_ENDPOINT_URL_DYNAMODB"), "DynamoDB"), "http://only:1");
  equal(configuredEndpoint(only("AWS_ENDPOINT_URL_DYNAMODB"), "S3"), undefined, "another service's variable");
});

Deno.test("AWS_ENDPOINT_URL_<SERVICE> wins over AWS_ENDPOINT_URL, which applies to the other services", () => {
  const env = { AWS_ENDPOINT_URL: "http://all:1", AWS_ENDPOINT_URL_S3: " http://s3:2 " };
  equal(configuredEndpoint(env, "S3"), "http://s3:2");
  equal(configuredEndpoint(env, "SQS"), "http://all:1");
  equal(configuredEndpoint({}, "S3"), undefined);
  equal(configuredEndpoint({ AWS_ENDPOINT_URL: " " }, "S3"), undefined);
});

Deno.test("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns every configured endpoint off", () => {
  const env = { AWS_ENDPOINT_URL: "http://all:1", AWS_ENDPOINT_URL_S3: "http://s3:2" };
  equal(configuredEndpoint({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "TRUE" }, "S3"), undefined);
  equal(configuredEndpoint({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "false" }, "S3"), "http://s3:2");
});

Deno.test("endpointNames picks the endpoint variables among names, plus the ignore switch", () => {
  deepEqual(endpointNames(["AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ENDPOINT_URLX"]), [
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SQS",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
  ]);
});
