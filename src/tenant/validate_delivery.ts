/**
 * Validates one tenant-table item (already unmarshalled to plain values)
 * against DESIGN 1.3: the attributes every delivery has here, the type's own
 * through its {@link DeliveryTypeSpec}. Pure; used by the processor and by
 * `tenants add`.
 *
 * @module
 */
import { arnAccount, EXTERNAL_ID_PATTERN, REGION_PATTERN, ROLE_ARN_PATTERN } from "../aws/name_rules.ts";
import { isValidSegment } from "../notification/parse_key.ts";
import { type Delivery, DELIVERY_TYPES, deliveryTypeSpec, type InvalidDelivery } from "./delivery.ts";
import type { DeliveryTypeSpec, ItemReader, ValidationContext } from "./delivery_type.ts";

export type { ValidationContext };

export const DELIVERY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export type ValidationResult =
  | { readonly ok: true; readonly delivery: Delivery }
  | { readonly ok: false; readonly invalid: InvalidDelivery };

function stringList(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return [];
  if (value instanceof Set) return [...value];
  if (Array.isArray(value)) return value;
  return undefined;
}

/** An {@link ItemReader} of `item` that adds every problem to `problems`. */
function itemReader(item: Record<string, unknown>, problems: string[]): ItemReader {
  return {
    text(name, required) {
      const v = item[name];
      if (v === undefined || v === null) {
        if (required) problems.push(`${name} is required`);
        return undefined;
      }
      if (typeof v !== "string") {
        problems.push(`${name} must be a string`);
        return undefined;
      }
      return v;
    },
    check(name, value, { ok, why }) {
      if (value !== undefined && !ok) problems.push(`${name} ${JSON.stringify(value)} ${why}`);
    },
    raw: (name) => item[name],
    problem: (text) => void problems.push(text),
  };
}

/** Validates `item`; every problem is listed, not only the first. */
export function validateDelivery(
  item: Record<string, unknown>,
  context: ValidationContext = {},
): ValidationResult {
  const problems: string[] = [];
  const read = itemReader(item, problems);

  const tenantIdValue = read.text("tenant_id", true);
  const deliveryIdValue = read.text("delivery_id", true);
  read.check("tenant_id", tenantIdValue, {
    ok: isValidSegment(tenantIdValue ?? ""),
    why: "is not a valid customer_id segment",
  });
  read.check("delivery_id", deliveryIdValue, {
    ok: DELIVERY_ID_PATTERN.test(deliveryIdValue ?? ""),
    why: "must be 1-64 of A-Z a-z 0-9 . _ -",
  });
  const tenantId = tenantIdValue ?? "";
  const deliveryId = deliveryIdValue ?? "";

  const type = read.text("type", true);
  const spec: DeliveryTypeSpec<Delivery> | undefined = type === undefined ? undefined : deliveryTypeSpec(type);
  read.check("type", type, { ok: spec !== undefined, why: `must be one of ${DELIVERY_TYPES.join(", ")}` });
  let enabled = true;
  if (item.enabled !== undefined && item.enabled !== null) {
    if (typeof item.enabled !== "boolean") problems.push("enabled must be a boolean");
    else enabled = item.enabled;
  }
  const roleArn = read.text("role_arn", true);
  read.check("role_arn", roleArn, { ok: ROLE_ARN_PATTERN.test(roleArn ?? ""), why: "is not an IAM role ARN" });
  read.check("role_arn", roleArn, {
    ok: context.centralAccount === undefined || arnAccount(roleArn ?? "") !== context.centralAccount,
    why: `is in the central account ${context.centralAccount}; a delivery role must be in the customer's own ` +
      "account (deliveries are made with the customer's rights, never the central account's)",
  });
  const externalId = read.text("external_id", true);
  read.check("external_id", externalId, {
    ok: EXTERNAL_ID_PATTERN.test(externalId ?? ""),
    why: "must be 2-1224 of A-Z a-z 0-9 + = , . @ : / - _",
  });
  const region = read.text("region", false);
  read.check("region", region, { ok: REGION_PATTERN.test(region ?? ""), why: "is not a region name" });

  const list = stringList(item.applications);
  const applications: string[] = [];
  if (list === undefined) problems.push("applications must be a list or string set");
  else {
    for (const app of list) {
      if (typeof app === "string" && isValidSegment(app)) applications.push(app);
      else problems.push(`applications entry ${JSON.stringify(app)} is not a valid application segment`);
    }
  }

  const base = {
    tenantId,
    deliveryId,
    enabled,
    roleArn: roleArn ?? "",
    externalId: externalId ?? "",
    ...(region ? { region } : {}),
    applications,
  };
  const delivery = spec?.parse(read, base, context);
  if (problems.length > 0 || !delivery) {
    return { ok: false, invalid: { tenantId, deliveryId, problems } };
  }
  return { ok: true, delivery };
}
