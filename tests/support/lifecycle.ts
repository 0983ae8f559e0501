/**
 * A worker lifecycle with its tenant scheduler on a fake clock, and named
 * test messages, for the unit tests of `src/runtime/worker_lifecycle.ts` and
 * `src/runtime/tenant_scheduler.ts`.
 *
 * @module
 */
import { TenantScheduler } from "../../src/runtime/tenant_scheduler.ts";
import { WorkerLifecycle } from "../../src/runtime/worker_lifecycle.ts";

/** A test message: its id, and the tenants it counts for. */
export interface Msg {
  readonly messageId: string;
  readonly tenants?: readonly string[];
}

/** Messages with these ids and no tenant. */
export const msgs = (...ids: string[]): Msg[] => ids.map((messageId) => ({ messageId }));

/** Messages `<tenant><n>` for the tenant named by the id's letters: `a1` is tenant a's, `ab1` is a's and b's. */
export const tenantMsgs = (...ids: string[]): Msg[] =>
  ids.map((messageId) => ({ messageId, tenants: [...messageId.replace(/\d+$/, "")] }));

/** The ids of `ms`. */
export const ids = (ms: readonly Msg[]): string[] => ms.map((m) => m.messageId);

/** What {@link lifecycleSetup} builds. */
export interface LifecycleOptions {
  readonly concurrency?: number;
  readonly graceMs?: number;
  readonly receiveBuffer?: number;
  readonly tenantMaxInFlight?: number;
}

/** A lifecycle and its scheduler on a fake clock (`clock.t`), counting the lifecycle's change notifications. */
export function lifecycleSetup(options: LifecycleOptions = {}) {
  const clock = { t: 1_000 };
  const counts = { changes: 0 };
  const now = () => clock.t;
  const concurrency = options.concurrency ?? 4;
  const scheduler = new TenantScheduler({
    concurrency,
    receiveBuffer: options.receiveBuffer,
    tenantMaxInFlight: options.tenantMaxInFlight,
    now,
  });
  const lc = new WorkerLifecycle<Msg>({
    concurrency,
    policy: scheduler,
    tenantsOf: (m) => m.tenants ?? [],
    graceMs: options.graceMs ?? 100,
    now,
    onChange: () => counts.changes++,
  });
  return { lc, scheduler, clock, counts };
}

/** The states of `ms` in `lc` (undefined: gone). */
export const states = (lc: WorkerLifecycle<Msg>, ms: readonly Msg[]) => ms.map((m) => lc.messages.stateOf(m));
