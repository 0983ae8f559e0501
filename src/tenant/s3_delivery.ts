/**
 * The `s3` delivery type: objects into a bucket of the customer's account
 * (DESIGN 1.3 `bucket_name`, `bucket_prefix`).
 *
 * @module
 */
import { bucketNameProblem } from "../aws/name_rules.ts";
import { commonPrefix, type DeliveryBase, type DeliveryTypeSpec } from "./delivery_type.ts";

/** Delivery into an S3 bucket in the customer's account. */
export interface S3Delivery extends DeliveryBase {
  readonly type: "s3";
  readonly bucketName: string;
  readonly bucketPrefix: string;
}

/** The `s3` type. */
export const S3_DELIVERY: DeliveryTypeSpec<S3Delivery> = {
  type: "s3",
  parse(item, base, context) {
    const bucketName = item.text("bucket_name", true);
    const bucketProblem = bucketName === undefined ? undefined : bucketNameProblem(bucketName);
    item.check("bucket_name", bucketName, { ok: !bucketProblem, why: bucketProblem ?? "" });
    if (bucketName !== undefined && bucketName === context.centralBucket) {
      item.problem(`bucket_name "${bucketName}" is the central bucket; delivering there would loop`);
    }
    const bucketPrefix = item.text("bucket_prefix", false) ?? "";
    item.check("bucket_prefix", bucketPrefix, {
      ok: bucketPrefix.length <= 512 && !bucketPrefix.startsWith("/"),
      why: "must be at most 512 characters and not start with /",
    });
    return { ...base, type: "s3", bucketName: bucketName ?? "", bucketPrefix };
  },
  describe: (d) => `s3://${d.bucketName}/${d.bucketPrefix}`,
  stackParameters(buckets) {
    const [first] = buckets;
    if (!first) return { parameters: {}, warnings: [] };
    const bucket = first.bucketName;
    const parameters: Record<string, string> = { BucketName: bucket };
    const prefix = commonPrefix(buckets.filter((b) => b.bucketName === bucket).map((b) => b.bucketPrefix));
    if (prefix) parameters.BucketPrefix = prefix;
    const warnings = buckets.filter((b) => b.bucketName !== bucket).map((b) =>
      `delivery ${b.deliveryId} writes to bucket ${b.bucketName}; the stack grants ${bucket} only`
    );
    return { parameters, warnings };
  },
};
