import { deepStrictEqual as deepEqual, throws } from "node:assert/strict";
import { encodeS3Key } from "../../tests/support/fakes.ts";
import { decodeS3Key } from "./decode_key.ts";

Deno.test("decodeS3Key turns + into a space before percent-decoding", () => {
  deepEqual(decodeS3Key("acme/prod-1/api/api-7f9/my+file.json.gz"), "acme/prod-1/api/api-7f9/my file.json.gz");
});

Deno.test("decodeS3Key keeps a literal + sent as %2B", () => {
  deepEqual(decodeS3Key("a/b/c/d/x%2By.json.gz"), "a/b/c/d/x+y.json.gz");
});

Deno.test("decodeS3Key decodes a fully encoded key with %2F", () => {
  deepEqual(decodeS3Key("acme%2Fprod-1%2Fapi%2Fapi-7f9%2Ff.json.gz"), "acme/prod-1/api/api-7f9/f.json.gz");
});

Deno.test("decodeS3Key decodes percent-encoded UTF-8", () => {
  deepEqual(decodeS3Key("a/b/c/d/%E6%97%A5%E5%BF%97-%F0%9F%93%9C.json.gz"), "a/b/c/d/日志-📜.json.gz");
});

Deno.test("decodeS3Key throws URIError on a malformed escape", () => {
  throws(() => decodeS3Key("a/b/c/d/100%.json.gz"), URIError);
  throws(() => decodeS3Key("a/b/c/d/%E6%97.json.gz"), URIError);
});

Deno.test("a key encoded as S3 notifications carry it decodes to itself", () => {
  for (const key of ["a/b/c/d/my file+1.json.gz", "a/b/c/d/日志 📜%.json.gz", "x/y/z/w/a&b=c?d#e"]) {
    const encoded = encodeS3Key(key);
    deepEqual(encoded.includes(" "), false);
    deepEqual(decodeS3Key(encoded), key);
  }
  deepEqual(encodeS3Key("a/b c+d"), "a/b+c%2Bd");
});
