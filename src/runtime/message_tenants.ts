/**
 * Which tenants one SQS message body is for, for the worker's per-tenant
 * fairness: the `customer_id` of every object it announces (DESIGN 1.1).
 * Pure and cheap (the body is parsed again when the message is processed).
 *
 * @module
 */
import { keyLayoutProblem } from "../notification/parse_key.ts";
import { parseNotification } from "../notification/parse_notification.ts";

/**
 * The bucket of messages with no tenant to name: bodies that do not parse,
 * records whose key breaks the layout, test events. They share one cap, like
 * a tenant.
 */
export const NO_TENANT = "(no tenant)";

/**
 * The distinct tenants `body` announces objects for, sorted. A record that
 * cannot be understood adds {@link NO_TENANT}; records with nothing to do
 * (another event type) add nothing; a body naming no tenant at all is
 * `[NO_TENANT]`.
 */
export function messageTenants(body: string): string[] {
  const tenants = new Set<string>();
  for (const item of parseNotification(body)) {
    if (item.kind === "skip") continue;
    const key = item.kind === "object" ? item.ref.key : undefined;
    if (key === undefined || keyLayoutProblem(key) !== undefined) tenants.add(NO_TENANT);
    else tenants.add(key.slice(0, key.indexOf("/")));
  }
  return tenants.size === 0 ? [NO_TENANT] : [...tenants].sort();
}
