/**
 * What every delivery type defines (DESIGN 1.3): how its own tenant-table
 * attributes are read and checked, how its destination is described, and the
 * customer-stack parameters that grant it. The types themselves are listed in
 * `delivery.ts` ({@link DeliveryTypeSpec}s) and, for sinks and probes, in
 * `src/delivery/destinations.ts`. Pure.
 *
 * @module
 */

/** Fields every delivery has. */
export interface DeliveryBase {
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

/** Options that depend on the deployment, not the item. */
export interface ValidationContext {
  /** The central bucket: a delivery into it would loop on its own notifications. */
  readonly centralBucket?: string;
  /** The central account: a delivery role there would deliver with the central account's own rights. */
  readonly centralAccount?: string;
}

/** Reads the attributes of one tenant-table item and collects what is wrong with them. */
export interface ItemReader {
  /** A string attribute; undefined (a problem when `required`) when absent or not a string. */
  text(name: string, required: boolean): string | undefined;
  /** Records `<name> "<value>" <why>` when `value` is present and not `ok`. */
  check(name: string, value: string | undefined, rule: { readonly ok: boolean; readonly why: string }): void;
  /** The attribute as stored. */
  raw(name: string): unknown;
  /** Records a problem as it is written. */
  problem(text: string): void;
}

/** Customer-stack parameters, and what one stack cannot cover. */
export interface StackParameters {
  readonly parameters: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

/** One delivery type: everything about it that needs no AWS call. */
export interface DeliveryTypeSpec<D extends DeliveryBase & { readonly type: string }> {
  readonly type: D["type"];
  /**
   * The delivery of a valid item: `base` holds the common fields, `item`
   * reads this type's own attributes (and records their problems; the
   * result is discarded when there are any).
   */
  parse(item: ItemReader, base: DeliveryBase, context: ValidationContext): D;
  /** The destination, for results, logs and `tenants list` (`cloudwatch:/group`, `s3://bucket/prefix`). */
  describe(delivery: D): string;
  /**
   * The parameters of `cloudformation/customer-log-distribution-role.yaml`
   * that grant `deliveries` (this type's deliveries sharing one role).
   */
  stackParameters(deliveries: readonly D[]): StackParameters;
}

/** The longest common prefix of `values` ("" for none). */
export function commonPrefix(values: readonly string[]): string {
  const [first, ...rest] = values;
  if (first === undefined) return "";
  let prefix = first;
  for (const v of rest) {
    let i = 0;
    while (i < prefix.length && i < v.length && prefix[i] === v[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}
