import { deepStrictEqual as deepEqual, match, ok, strictEqual as equal, throws } from "node:assert/strict";
import { ProcessingError } from "../errors.ts";
import { isValidSegment, keyLayoutProblem, parseObjectKey } from "./parse_key.ts";

function invalidKeyError(key: string): ProcessingError {
  let caught: unknown;
  throws(() => parseObjectKey(key), (err) => (caught = err, true));
  ok(caught instanceof ProcessingError, String(caught));
  equal(caught.failureClass, "permanent");
  equal(caught.code, "InvalidKey");
  ok(caught.message.includes(JSON.stringify(key)), `message names the key: ${caught.message}`);
  return caught;
}

Deno.test("a key in the layout yields its routing segments", () => {
  deepEqual(parseObjectKey("acme/prod-1/api/api-7f9c/20260101-120000-0b3c.json.gz"), {
    customerId: "acme",
    clusterId: "prod-1",
    application: "api",
    podName: "api-7f9c",
    fileName: "20260101-120000-0b3c.json.gz",
  });
});

Deno.test("segments may use every allowed character", () => {
  const path = parseObjectKey("Acme_1/prod.eu-1/my_app.v2/pod-ABC_9.x/f");
  deepEqual([path.customerId, path.clusterId, path.application, path.podName], [
    "Acme_1",
    "prod.eu-1",
    "my_app.v2",
    "pod-ABC_9.x",
  ]);
});

Deno.test("file names may hold spaces, + and unicode", () => {
  for (const file of ["my log.json.gz", "a+b.json", "日志-📜.json.gz", "..hidden"]) {
    equal(parseObjectKey(`acme/c/app/pod/${file}`).fileName, file);
  }
});

Deno.test("a key with the wrong number of segments is a permanent InvalidKey naming the key", () => {
  for (
    const key of [
      "",
      "acme",
      "acme/prod-1/api/api-7f9",
      "acme/prod-1/api/file.json.gz",
      "acme/prod-1/api/api-7f9/extra/file.json.gz",
      "/acme/prod-1/api/api-7f9/file.json.gz",
    ]
  ) {
    const err = invalidKeyError(key);
    match(err.message, /separators/);
  }
});

Deno.test("a segment with a character outside [A-Za-z0-9._-] is rejected, naming the segment", () => {
  const cases: [string, string][] = [
    ["ac me/c/a/p/f", "customer_id"],
    ["acme/c:1/a/p/f", "cluster_id"],
    ["acme/c/a+b/p/f", "application"],
    ["acme/c/a/pöd/f", "pod_name"],
    ["acme/c/a/p*/f", "pod_name"],
    ["acme//a/p/f", "cluster_id"],
  ];
  for (const [key, segment] of cases) {
    match(invalidKeyError(key).message, new RegExp(segment), key);
  }
});

Deno.test("'.' and '..' are not segments (no path tricks)", () => {
  for (const key of ["./c/a/p/f", "../c/a/p/f", "acme/./a/p/f", "acme/c/../p/f", "acme/c/a/../f"]) {
    invalidKeyError(key);
  }
  equal(isValidSegment("..."), true);
  equal(isValidSegment(".a"), true);
});

Deno.test("segments may be 128 characters, not 129", () => {
  const s128 = "a".repeat(128);
  const s129 = "a".repeat(129);
  for (let i = 0; i < 4; i++) {
    const segments = ["acme", "c", "app", "pod"];
    segments[i] = s128;
    equal(keyLayoutProblem([...segments, "f"].join("/")), undefined);
    segments[i] = s129;
    invalidKeyError([...segments, "f"].join("/"));
  }
});

Deno.test("file name must be 1-255 characters without control characters, not '.' or '..'", () => {
  for (const file of ["", ".", "..", "x".repeat(256), "a\nb", "tab\there", "del\u007f"]) {
    invalidKeyError(`acme/c/a/p/${file}`);
  }
  equal(parseObjectKey(`acme/c/a/p/${"x".repeat(255)}`).fileName.length, 255);
});
