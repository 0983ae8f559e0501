import assert from "node:assert/strict";
import { unknownVectorOptions } from "./vector_options.ts";

const s3 = {
  type: "aws_s3",
  inputs: ["in"],
  bucket: "b",
  encoding: { codec: "json" },
  framing: { method: "newline_delimited" },
  buffer: { type: "disk", max_size: 268435488, when_full: "block" },
  tags: { anything: "goes" },
};

Deno.test("unknownVectorOptions accepts documented, common and free-form options", () => {
  const config = {
    data_dir: "/var/lib/vector",
    api: { enabled: true, address: "0.0.0.0:8686" },
    sources: { in: { type: "stdin", decoding: { codec: "json" } } },
    transforms: {
      r: { type: "route", inputs: ["in"], route: { a: ".a == 1", b: "true" } },
      m: { type: "remap", inputs: ["r.a"], source: ".x = 1", drop_on_error: true },
    },
    sinks: { s3: { ...s3, buffer: [{ type: "memory", max_events: 10 }, { type: "disk", max_size: 1 }] } },
  };
  assert.deepEqual(unknownVectorOptions(config), []);
});

Deno.test("unknownVectorOptions names misplaced, misspelled and removed options", () => {
  const config = {
    api: { enabled: true, playground: false },
    dta_dir: "/x",
    sources: {
      k: { type: "kubernetes_logs", pod_annotation_fields: { pod_annotations: ".a", annotations: ".b" } },
      x: { type: "file", include: ["/x"] },
    },
    sinks: {
      s3: {
        ...s3,
        encoding: { codec: "json", framing: { method: "newline_delimited" } },
        compression: { algorithm: "gzip" },
        buffer: { type: "disk", size: 1 },
        key_prefx: "a/",
      },
    },
  };
  assert.deepEqual(unknownVectorOptions(config).sort(), [
    "api.playground",
    "dta_dir",
    "sinks.s3.buffer.size",
    "sinks.s3.compression.algorithm",
    "sinks.s3.encoding.framing",
    "sinks.s3.key_prefx",
    "sources.k.pod_annotation_fields.annotations",
    'sources.x.type: unknown component type "file"',
  ]);
});
