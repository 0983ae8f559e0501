/**
 * The edge of the `s3` delivery type: its sink and its probe (ListObjectsV2
 * on the delivery's prefix).
 *
 * @module
 */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { classifyAwsError } from "../../aws/classify_error.ts";
import type { S3Delivery } from "../../tenant/delivery.ts";
import { type Destination, probeFailure } from "../destination.ts";
import { SdkObjectWriter } from "./object_writer.ts";
import { S3Sink } from "./s3_sink.ts";

/** The `s3` destination. */
export const S3_DESTINATION: Destination<S3Delivery> = {
  sink(delivery, object, context) {
    const { retry, logger, onCredentialsExpired } = context;
    return new S3Sink(delivery, object, {
      writer: new SdkObjectWriter(context.clients.s3(delivery)),
      partSizeBytes: context.s3PartSizeBytes,
      retry,
      logger,
      onCredentialsExpired,
    });
  },
  // ListObjectsV2 on the prefix instead of HeadBucket: the customer stack grants s3:ListBucket
  // only for the delivery's prefix, which HeadBucket (no prefix) would not pass.
  async probe(delivery, clients) {
    const where = delivery.region ? ` in ${delivery.region}` : "";
    try {
      await clients.s3(delivery).send(
        new ListObjectsV2Command({ Bucket: delivery.bucketName, Prefix: delivery.bucketPrefix, MaxKeys: 1 }),
      );
      return `bucket ${delivery.bucketName}${where} is reachable under prefix "${delivery.bucketPrefix}"`;
    } catch (err) {
      if (classifyAwsError(err).code === "NoSuchBucket") {
        throw new Error(`bucket ${delivery.bucketName}${where} does not exist`, { cause: err });
      }
      throw probeFailure(`ListObjectsV2 on s3://${delivery.bucketName}/${delivery.bucketPrefix}`, err);
    }
  },
};
