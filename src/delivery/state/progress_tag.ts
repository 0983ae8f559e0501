/**
 * The tag that says an object has stored progress. GetObject answers with the
 * object's tag count (`x-amz-tagging-count`, the SDK's `TagCount`) at no
 * extra cost, so an object without tags (the steady state) never costs a
 * state read, while a redriven or duplicated message of a tagged object finds
 * its progress whatever its receive count. Tagging keeps the object's other
 * tags (S3 replaces the whole set, so they are read first when there are any).
 *
 * @module
 */
import { GetObjectTaggingCommand, PutObjectTaggingCommand, type S3Client, type Tag } from "@aws-sdk/client-s3";
import { wrapAwsError } from "../../aws/classify_error.ts";
import { permanent } from "../../errors.ts";

/** The tag set on an object whose progress is in the delivery-state table. */
const PROGRESS_TAG: Readonly<Required<Pick<Tag, "Key" | "Value">>> = { Key: "mtl-progress", Value: "1" };
/** S3 allows this many tags per object. */
export const MAX_OBJECT_TAGS = 10;

/** One version of a central object. */
export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** Marks central objects whose progress was stored. */
export interface ProgressTagger {
  /**
   * Adds {@link PROGRESS_TAG} to `object`, which has `tagCount` tags now (as
   * GetObject said); nothing when it is there already.
   *
   * @throws {ProcessingError} when the tags cannot be read or written (classified), or the object has no room left.
   */
  mark(object: ObjectVersion, tagCount: number): Promise<void>;
}

/** The part of an SDK client the tagger uses. */
export type S3Sender = Pick<S3Client, "send">;

/** {@link ProgressTagger} with GetObjectTagging (only when the object has tags) and PutObjectTagging. */
export class S3ProgressTagger implements ProgressTagger {
  readonly #s3: S3Sender;

  constructor(s3: S3Sender) {
    this.#s3 = s3;
  }

  async mark(object: ObjectVersion, tagCount: number): Promise<void> {
    const { bucket, key, versionId } = object;
    const where = { Bucket: bucket, Key: key, VersionId: versionId };
    const what = (operation: string) => ({ code }: { code: string }) =>
      `${operation} on s3://${bucket}/${key} failed with ${code}`;
    let tags: Tag[] = [];
    if (tagCount > 0) {
      try {
        tags = (await this.#s3.send(new GetObjectTaggingCommand(where))).TagSet ?? [];
      } catch (err) {
        throw wrapAwsError(err, what("GetObjectTagging"));
      }
      if (tags.some((t) => t.Key === PROGRESS_TAG.Key)) return;
    }
    if (tags.length >= MAX_OBJECT_TAGS) {
      throw permanent("TooManyTags", `s3://${bucket}/${key} has ${tags.length} tags already; no room for ours`);
    }
    try {
      await this.#s3.send(new PutObjectTaggingCommand({ ...where, Tagging: { TagSet: [...tags, PROGRESS_TAG] } }));
    } catch (err) {
      throw wrapAwsError(err, what("PutObjectTagging"));
    }
  }
}
