/**
 * Lists the central bucket's objects in a {@link ReplayWindow}, page by page
 * (never the whole listing in memory).
 *
 * @module
 */
import { paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import { wrapAwsError } from "../aws/classify_error.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import { inWindow, type ReplayWindow } from "./replay_window.ts";

/** One listed object, ready for the pipeline. */
export interface ListedObject {
  readonly ref: ObjectRef;
  readonly lastModified?: Date;
}

/**
 * Yields every object of `bucket` in `window`, in key order.
 *
 * @throws {ProcessingError} when a page cannot be listed (its class from the AWS error).
 */
export async function* listObjects(s3: S3Client, bucket: string, window: ReplayWindow): AsyncGenerator<ListedObject> {
  const pages = paginateListObjectsV2({ client: s3, pageSize: 1000 }, { Bucket: bucket, Prefix: window.prefix });
  try {
    for await (const page of pages) {
      for (const o of page.Contents ?? []) {
        if (!o.Key || !inWindow(window, o.Key, o.LastModified?.getTime())) continue;
        yield {
          ref: {
            bucket,
            key: o.Key,
            ...(o.Size !== undefined ? { size: o.Size } : {}),
            ...(o.ETag ? { eTag: o.ETag } : {}),
          },
          lastModified: o.LastModified,
        };
      }
    }
  } catch (err) {
    throw wrapAwsError(
      err,
      ({ code, message }) => `Cannot list s3://${bucket}/${window.prefix}: ${code}${message ? `: ${message}` : ""}`,
    );
  }
}
