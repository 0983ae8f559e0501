/**
 * The state of every message a worker holds, oldest first, for
 * {@link WorkerLifecycle}: set, moved and queried by state, keeping the
 * scheduling policy's counts of waiting and processing messages per tenant.
 * Pure; knows no transition rule (those are the lifecycle's).
 *
 * @module
 */
import type { SchedulingPolicy, Tenants } from "./scheduling_policy.ts";

/** A received message, until its last SQS call is done (then it is gone). */
export type MessageState = "waiting" | "processing" | "deleting" | "backingOff" | "deferring" | "released";

/** The states of a message whose delete or visibility call is in progress. */
export const SETTLING: readonly MessageState[] = ["deleting", "backingOff", "deferring"];

/** What the worker shell may ask of the messages' states. */
export type MessageView<M> = Pick<MessageStates<M>, "stateOf" | "tenantsOf" | "size" | "settling" | "inFlight">;

interface Entry {
  state: MessageState;
  readonly tenants: Tenants;
}

/** Messages by state, in the order received. */
export class MessageStates<M> {
  readonly #entries = new Map<M, Entry>();
  readonly #policy: Pick<SchedulingPolicy, "count">;

  constructor(policy: Pick<SchedulingPolicy, "count">) {
    this.#policy = policy;
  }

  /** `m` is held, in `state`, counting for `tenants`. */
  add(m: M, state: MessageState, tenants: Tenants): void {
    const entry = { state, tenants };
    this.#entries.set(m, entry);
    this.#recount(entry, 1);
  }

  /** Moves `m` (held) to `state`. */
  set(m: M, state: MessageState): void {
    const entry = this.#entries.get(m)!;
    this.#recount(entry, -1);
    entry.state = state;
    this.#recount(entry, 1);
  }

  /** `m` is gone. */
  remove(m: M): void {
    const entry = this.#entries.get(m);
    if (entry) this.#recount(entry, -1);
    this.#entries.delete(m);
  }

  /** Every message in `state` is gone; returns them. */
  drop(state: MessageState): M[] {
    const dropped = this.in(state);
    for (const m of dropped) this.remove(m);
    return dropped;
  }

  /** The state of `m`; undefined once gone. */
  stateOf(m: M): MessageState | undefined {
    return this.#entries.get(m)?.state;
  }

  /** The tenants `m` counts for (none once gone). */
  tenantsOf(m: M): Tenants {
    return this.#entries.get(m)?.tenants ?? [];
  }

  /** The messages in any of `states`, oldest first. */
  in(...states: readonly MessageState[]): M[] {
    return [...this.#entries].filter(([, e]) => states.includes(e.state)).map(([m]) => m);
  }

  /** The tenants of each message in `state`. */
  tenantsIn(state: MessageState): Tenants[] {
    return [...this.#entries.values()].filter((e) => e.state === state).map((e) => e.tenants);
  }

  /** How many messages are in any of `states`. */
  count(...states: readonly MessageState[]): number {
    let n = 0;
    for (const e of this.#entries.values()) if (states.includes(e.state)) n++;
    return n;
  }

  /** How many messages are held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Messages whose delete or visibility call is in progress. */
  settling(): number {
    return this.count(...SETTLING);
  }

  /** Work running here: processing, or released and not yet finished. */
  inFlight(): number {
    return this.count("processing", "released");
  }

  #recount(entry: Entry, delta: 1 | -1): void {
    if (entry.state === "waiting" || entry.state === "processing") {
      this.#policy.count(entry.tenants, entry.state, delta);
    }
  }
}
