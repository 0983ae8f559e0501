import { deepStrictEqual as deepEqual, ok, rejects, strictEqual as equal } from "node:assert/strict";
import { ProcessingError } from "../../errors.ts";
import { awsError } from "../../../tests/support/fakes.ts";
import { RecordingClient } from "../../../tests/support/recording_client.ts";
import { S3ProgressTagger, type S3Sender } from "./progress_tag.ts";

const OBJECT = { bucket: "central", key: "acme/prod-1/api/pod/f.json.gz", versionId: "v1" };
const WHERE = { Bucket: "central", Key: OBJECT.key, VersionId: "v1" };
/** The tag a central object carries once some of its deliveries were recorded (docs/operations.md). */
const PROGRESS_TAG = { Key: "mtl-progress", Value: "1" };

Deno.test("an untagged object: one PutObjectTagging with the progress tag, on the version read", async () => {
  const client = new RecordingClient();
  await new S3ProgressTagger(client.as<S3Sender>()).mark(OBJECT, 0);
  deepEqual(client.sent, [{
    command: "PutObjectTaggingCommand",
    input: { ...WHERE, Tagging: { TagSet: [{ Key: "mtl-progress", Value: "1" }] } },
  }]);
});

Deno.test("an object with other tags keeps them; one that has ours already is left alone", async () => {
  const theirs = [{ Key: "team", Value: "payments" }, { Key: "env", Value: "prod" }];
  const client = new RecordingClient((command) => command === "GetObjectTaggingCommand" ? { TagSet: theirs } : {});
  await new S3ProgressTagger(client.as<S3Sender>()).mark(OBJECT, 2);
  deepEqual(client.sent, [
    { command: "GetObjectTaggingCommand", input: WHERE },
    { command: "PutObjectTaggingCommand", input: { ...WHERE, Tagging: { TagSet: [...theirs, PROGRESS_TAG] } } },
  ]);
  const tagged = new RecordingClient(() => ({ TagSet: [PROGRESS_TAG] }));
  await new S3ProgressTagger(tagged.as<S3Sender>()).mark(OBJECT, 1);
  deepEqual(tagged.sent.map((s) => s.command), ["GetObjectTaggingCommand"]);
});

Deno.test("no room for our tag, or a refused call: a classified error naming the object", async () => {
  const full = Array.from({ length: 10 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
  const crowded = new RecordingClient(() => ({ TagSet: full }));
  await rejects(new S3ProgressTagger(crowded.as<S3Sender>()).mark(OBJECT, 10), (err) => {
    ok(err instanceof ProcessingError);
    deepEqual([err.failureClass, err.code], ["permanent", "TooManyTags"]);
    return true;
  });
  const denied = new RecordingClient(() => {
    throw awsError("AccessDenied", 403);
  });
  await rejects(new S3ProgressTagger(denied.as<S3Sender>()).mark(OBJECT, 0), (err) => {
    ok(err instanceof ProcessingError);
    equal(err.message, `PutObjectTagging on s3://central/${OBJECT.key} failed with AccessDenied`);
    return true;
  });
});
