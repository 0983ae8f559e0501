/**
 * Which of a tenant's deliveries receive an object of a given application.
 * Pure.
 *
 * @module
 */
import type { Delivery, TenantConfig } from "./delivery.ts";

/** The deliveries an object goes to, or why it goes nowhere. */
export type Selection =
  | { readonly kind: "deliver"; readonly deliveries: readonly Delivery[] }
  | { readonly kind: "skip"; readonly reason: string }
  /** Nothing valid to deliver to, but the tenant has invalid items: a config error. */
  | { readonly kind: "invalid"; readonly reason: string };

/** Selects the enabled deliveries of `tenant` that admit `application`. */
export function selectDeliveries(tenant: TenantConfig, application: string): Selection {
  if (tenant.deliveries.length === 0 && tenant.invalid.length === 0) {
    return { kind: "skip", reason: `unknown tenant "${tenant.tenantId}"` };
  }
  const enabled = tenant.deliveries.filter((d) => d.enabled);
  const admitted = enabled.filter((d) => d.applications.length === 0 || d.applications.includes(application));
  if (admitted.length > 0) return { kind: "deliver", deliveries: admitted };
  if (tenant.invalid.length > 0) {
    const details = tenant.invalid.map((i) => `${i.deliveryId}: ${i.problems.join("; ")}`).join(" | ");
    return {
      kind: "invalid",
      reason: `tenant "${tenant.tenantId}" has no valid delivery for this object; invalid items: ${details}`,
    };
  }
  if (enabled.length === 0) {
    return { kind: "skip", reason: `tenant "${tenant.tenantId}" has no enabled delivery` };
  }
  return {
    kind: "skip",
    reason: `application "${application}" is not allowed by any delivery of tenant "${tenant.tenantId}"`,
  };
}
