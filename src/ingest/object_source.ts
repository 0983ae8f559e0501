/**
 * The narrow interface through which the pipeline reads objects, and its S3
 * implementation (GetObject, streamed; never the whole object in memory).
 *
 * @module
 */
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { wrapAwsError } from "../aws/classify_error.ts";

/** An opened object: its bytes as a stream plus the metadata we use. */
export interface ObjectBody {
  readonly chunks: AsyncIterable<Uint8Array>;
  readonly lastModified?: Date;
  readonly eTag?: string;
  readonly contentLength?: number;
  /** The version read (versioned buckets). */
  readonly versionId?: string;
  /** How many tags the object has (`x-amz-tagging-count`; absent = none): says, for free, whether progress was stored. */
  readonly tagCount?: number;
  /** Releases the stream without reading it (nothing left to deliver). */
  discard?(): void;
}

/** Reads objects of the central bucket. */
export interface ObjectSource {
  /**
   * Opens an object for streaming.
   *
   * @throws {ProcessingError} when it cannot be read (NoSuchKey and AccessDenied permanent, throttling retryable).
   */
  open(bucket: string, key: string, versionId?: string): Promise<ObjectBody>;
}

/** {@link ObjectSource} over an S3 client. */
export class S3ObjectSource implements ObjectSource {
  readonly #s3: S3Client;

  constructor(s3: S3Client) {
    this.#s3 = s3;
  }

  async open(bucket: string, key: string, versionId?: string): Promise<ObjectBody> {
    try {
      const out = await this.#s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
      );
      const body = out.Body as unknown;
      const chunks = (body ?? (async function* () {})()) as AsyncIterable<Uint8Array>;
      if (!(Symbol.asyncIterator in Object(chunks))) {
        throw new TypeError("GetObject body is not an async iterable stream");
      }
      return {
        chunks,
        lastModified: out.LastModified,
        eTag: out.ETag,
        contentLength: out.ContentLength,
        versionId: out.VersionId,
        tagCount: out.TagCount,
        discard: () => (body as { destroy?: () => void } | undefined)?.destroy?.(),
      };
    } catch (err) {
      throw wrapAwsError(
        err,
        ({ code, message }) => `Cannot read s3://${bucket}/${key}: ${code}${message ? ` (${message})` : ""}`,
      );
    }
  }
}
