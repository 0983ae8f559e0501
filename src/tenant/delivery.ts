/**
 * The validated form of one tenant-table item (DESIGN 1.3).
 *
 * @module
 */

/** Fields every delivery has. */
interface DeliveryBase {
  readonly tenantId: string;
  readonly deliveryId: string;
  readonly enabled: boolean;
  readonly roleArn: string;
  readonly externalId: string;
  /** Destination region; undefined means the processor's region. */
  readonly region?: string;
  /** Allowed application segments; empty means all. */
  readonly applications: readonly string[];
}

/** Delivery into a CloudWatch Logs group in the customer's account. */
export interface CloudWatchDelivery extends DeliveryBase {
  readonly type: "cloudwatch";
  readonly logGroupName: string;
  readonly retentionDays?: number;
}

/** Delivery into an S3 bucket in the customer's account. */
export interface S3Delivery extends DeliveryBase {
  readonly type: "s3";
  readonly bucketName: string;
  readonly bucketPrefix: string;
}

export type Delivery = CloudWatchDelivery | S3Delivery;
export type DeliveryType = Delivery["type"];
export const DELIVERY_TYPES: readonly DeliveryType[] = ["cloudwatch", "s3"];

/** An item that failed validation: that delivery is disabled, its siblings are not. */
export interface InvalidDelivery {
  readonly tenantId: string;
  readonly deliveryId: string;
  readonly problems: readonly string[];
}

/** Everything the table holds for one tenant. */
export interface TenantConfig {
  readonly tenantId: string;
  readonly deliveries: readonly Delivery[];
  readonly invalid: readonly InvalidDelivery[];
}

/** Human-readable destination of a delivery, for results and logs. */
export function describeDestination(d: Delivery): string {
  return d.type === "cloudwatch"
    ? `cloudwatch:${d.logGroupName}${d.region ? `@${d.region}` : ""}`
    : `s3://${d.bucketName}/${d.bucketPrefix}`;
}
