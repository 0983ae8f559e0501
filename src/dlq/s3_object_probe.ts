/**
 * {@link ObjectProbe} over S3 HeadObject: the object's ETag, or undefined
 * when S3 says it does not exist (404). Other errors are thrown.
 *
 * @module
 */
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ObjectProbe } from "./diagnose_object.ts";

/** HeadObject on the central bucket. */
export class S3ObjectProbe implements ObjectProbe {
  readonly #s3: Pick<S3Client, "send">;

  constructor(s3: Pick<S3Client, "send">) {
    this.#s3 = s3;
  }

  async head(bucket: string, key: string, versionId?: string): Promise<{ eTag?: string } | undefined> {
    try {
      const out = await this.#s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
      return { eTag: out.ETag };
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === "NotFound" || e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404) return undefined;
      throw err;
    }
  }
}
