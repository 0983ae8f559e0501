import assert from "node:assert/strict";
import { KEY_HASH_CHARS, packageKey, sha256Hex } from "./lambda_package.ts";

Deno.test("a local zip's key holds its SHA-256: another build is another key", async () => {
  const a = await sha256Hex(new TextEncoder().encode("build 1"));
  const b = await sha256Hex(new TextEncoder().encode("build 2"));
  assert.equal(a.length, 64);
  assert.equal(
    packageKey("mtl/prod/", "dist/log-processor-lambda.zip", a),
    `mtl/prod/log-processor-lambda-${a.slice(0, KEY_HASH_CHARS)}.zip`,
  );
  assert.notEqual(packageKey("mtl/prod/", "x.zip", a), packageKey("mtl/prod/", "x.zip", b));
  assert.equal(packageKey("p/", "x.zip", a), packageKey("p/", "other/dir/x.zip", a), "the directory does not matter");
});

Deno.test("sha256Hex is the standard digest", async () => {
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
