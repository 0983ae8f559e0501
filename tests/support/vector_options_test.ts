import assert from "node:assert/strict";
import { unknownVectorConfigOptions, unknownVectorOptions } from "./vector_options.ts";

Deno.test("unknownVectorOptions: documented options pass, misplaced and invented ones are named", () => {
  assert.deepEqual(
    unknownVectorOptions("aws_s3", {
      type: "aws_s3",
      inputs: ["x"],
      bucket: "b",
      key_prefix: "p/",
      compression: "gzip",
      encoding: { codec: "json" },
      framing: { method: "newline_delimited" },
      auth: { assume_role: "arn", external_id: "e" },
      batch: { max_bytes: 10, timeout_secs: 300 },
      buffer: { type: "disk", max_size: 1 },
      healthcheck: { enabled: false },
    }),
    [],
  );
  assert.deepEqual(
    unknownVectorOptions("aws_s3", {
      encoding: { codec: "json", framing: { method: "newline_delimited" } },
      batch: { max_size: 1 },
      bucket_name: "b",
    }),
    ["encoding.framing", "batch.max_size", "bucket_name"],
  );
});

Deno.test("unknownVectorOptions: free-form tables admit any key; unknown types are reported", () => {
  assert.deepEqual(
    unknownVectorOptions("aws_cloudwatch_logs", { tags: { team: "a" }, request: { headers: { X: "1" } } }),
    [],
  );
  assert.deepEqual(unknownVectorOptions("no_such_sink", {}), ['type (no reference for component type "no_such_sink")']);
});

Deno.test("unknownVectorConfigOptions: walks sources, transforms and sinks of a whole file", () => {
  assert.deepEqual(
    unknownVectorConfigOptions({
      data_dir: "/tmp",
      sources: { in: { type: "stdin", decoding: { codec: "json" }, framing: { method: "newline_delimited" } } },
      transforms: { t: { type: "remap", inputs: ["in"], source: ".a = 1", drop_on_errors: true } },
      sinks: { out: { inputs: ["t"] } },
      sinkz: {},
    }),
    ["transforms.t.drop_on_errors", "sinks.out.type (missing)", "sinkz"],
  );
});
