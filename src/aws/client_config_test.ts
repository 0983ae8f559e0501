import { strictEqual as equal } from "node:assert/strict";
import { clientConfig } from "./client_config.ts";

Deno.test("each client takes its own service's endpoint variable, else AWS_ENDPOINT_URL, else none", () => {
  const endpoints = { AWS_ENDPOINT_URL: "http://all:1", AWS_ENDPOINT_URL_DYNAMODB: "http://ddb:2" };
  equal(clientConfig({ region: "eu-west-1", endpoints }, "DynamoDB").endpoint, "http://ddb:2");
  equal(clientConfig({ region: "eu-west-1", endpoints }, "SQS").endpoint, "http://all:1");
  equal(clientConfig({ region: "eu-west-1" }, "SQS").endpoint, undefined);
  equal(
    clientConfig({ region: "eu-west-1", endpoints, endpointUrl: "http://explicit:3" }, "DynamoDB").endpoint,
    "http://explicit:3",
  );
});

Deno.test("S3 uses path-style addressing against a custom endpoint only", () => {
  const endpoints = { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:5000" };
  equal(clientConfig({ region: "eu-west-1", endpoints }, "S3").forcePathStyle, true);
  equal(clientConfig({ region: "eu-west-1" }, "S3").forcePathStyle, undefined);
  equal(clientConfig({ region: "eu-west-1", endpoints }, "STS").forcePathStyle, undefined);
});
