/**
 * `tenants verify`: walks the role chain of one delivery step by step (item
 * valid → central role → customer role with its ExternalId → destination
 * reachable) and reports every step. After a failed step the rest are
 * skipped. The AWS calls come in as {@link VerifyProbes}.
 *
 * @module
 */
import { errorMessage } from "../errors.ts";
import { type Delivery, describeDestination } from "../tenant/delivery.ts";
import { validateDelivery, type ValidationContext } from "../tenant/validate_delivery.ts";

export type StepStatus = "ok" | "fail" | "skip";

/** One checked step (snake_case fields: it is output). */
export interface VerifyStep {
  readonly step: string;
  readonly status: StepStatus;
  readonly detail: string;
}

/** The result of verifying one delivery. */
export interface VerifyReport {
  readonly tenant_id: string;
  readonly delivery_id: string;
  readonly destination?: string;
  readonly enabled?: boolean;
  readonly ok: boolean;
  readonly steps: readonly VerifyStep[];
}

/** The calls verification makes. Each throws on failure. */
export interface VerifyProbes {
  readonly centralRoleArn: string;
  assumeCentral(): Promise<void>;
  assumeCustomer(delivery: Delivery): Promise<void>;
  /** Resolves to a description of what was found. */
  probeDestination(delivery: Delivery): Promise<string>;
}

/** The steps after the item check, in order. */
export const CHAIN_STEPS = [
  "assume central role",
  "assume customer role with ExternalId",
  "destination reachable",
] as const;
/** One of {@link CHAIN_STEPS}. */
export type ChainStep = (typeof CHAIN_STEPS)[number];

/** Verifies one raw tenant-table item. */
export async function verifyDelivery(
  item: Record<string, unknown>,
  probes: VerifyProbes,
  context: ValidationContext = {},
): Promise<VerifyReport> {
  const steps: VerifyStep[] = [];
  const validation = validateDelivery(item, context);
  const tenant_id = String(item.tenant_id ?? "");
  const delivery_id = String(item.delivery_id ?? "");
  if (!validation.ok) {
    steps.push({ step: "item is valid", status: "fail", detail: validation.invalid.problems.join("; ") });
    for (const step of CHAIN_STEPS) steps.push({ step, status: "skip", detail: "the item is invalid" });
    return { tenant_id, delivery_id, ok: false, steps };
  }
  const d = validation.delivery;
  steps.push({ step: "item is valid", status: "ok", detail: d.enabled ? "enabled" : "valid but disabled" });
  const runs: Record<ChainStep, () => Promise<string>> = {
    "assume central role": async () => (await probes.assumeCentral(), probes.centralRoleArn),
    "assume customer role with ExternalId": async () => (await probes.assumeCustomer(d), d.roleArn),
    "destination reachable": () => probes.probeDestination(d),
  };
  let failed = false;
  for (const step of CHAIN_STEPS) {
    const run = runs[step];
    if (failed) {
      steps.push({ step, status: "skip", detail: "an earlier step failed" });
      continue;
    }
    try {
      steps.push({ step, status: "ok", detail: await run() });
    } catch (err) {
      failed = true;
      steps.push({ step, status: "fail", detail: errorMessage(err) });
    }
  }
  return { tenant_id, delivery_id, destination: describeDestination(d), enabled: d.enabled, ok: !failed, steps };
}

/** The human-readable lines of a report. */
export function formatVerifyReport(r: VerifyReport): string {
  const head = `tenant ${r.tenant_id}, delivery ${r.delivery_id}` +
    (r.destination ? ` → ${r.destination}` : "") + (r.enabled === false ? " (disabled)" : "");
  const mark: Record<StepStatus, string> = { ok: "ok  ", fail: "FAIL", skip: "skip" };
  return [head, ...r.steps.map((s) => `  ${mark[s.status]}  ${s.step}: ${s.detail}`)].join("\n");
}
