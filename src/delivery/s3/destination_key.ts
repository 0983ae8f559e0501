/**
 * Where an object lands in a customer's bucket (DESIGN 1.3):
 * `<bucket_prefix><cluster_id>/<application>/<pod_name>/<file name>`. Pure.
 *
 * @module
 */
import type { TenantPath } from "../../notification/parse_key.ts";
import type { S3Delivery } from "../../tenant/delivery.ts";

/** The destination key of an object; the same object always gets the same key, so a retry overwrites. */
export function destinationKey(delivery: Pick<S3Delivery, "bucketPrefix">, path: TenantPath): string {
  return `${delivery.bucketPrefix}${path.clusterId}/${path.application}/${path.podName}/${path.fileName}`;
}
