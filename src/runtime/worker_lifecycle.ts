/**
 * The SQS worker's lifecycle as one state machine, without I/O: the state of
 * the worker and of every message it received, and which SQS call each
 * transition asks the worker shell (`sqs_worker.ts`) to make. The clock is
 * injected; an illegal transition throws {@link IllegalTransition} (a bug).
 *
 * ```
 * worker   running ──stop──▶ stopping ──close──▶ closed     (phase_machine.ts: grace period, health)
 *
 * message  received ─┬─▶ waiting ──schedule──▶ processing ──finish─┬─▶ deleting   ──settled──▶ gone
 *                     │     │    (running only)      │             └─▶ backingOff ──settled──▶ gone
 *                     │     │                        │                 (retryable: a backoff; permanent: visible now)
 *                     │     │                        └──close──▶ released ──finish──▶ gone (late: queue left alone)
 *                     │     └──releaseUnstarted, close──▶ gone (to be made visible again, never started)
 *                     └─▶ deferring ──settled──▶ gone (over its tenant's share: made visible again later)
 * ```
 *
 * What is received, what waits or is deferred, and what may start is the
 * {@link SchedulingPolicy}'s to say (`tenant_scheduler.ts`: per-tenant
 * fairness); it sees messages as their tenants only. Waiting messages are
 * kept hidden by the heartbeat like processing ones. `settlementOf` is the
 * one place an outcome picks its SQS call. Messages are keyed by the
 * received object; copies SQS hands out again of a message held here never
 * reach the lifecycle (the shell's `RedeliveryGuard` folds them).
 *
 * @module
 */
import { isDone, type Outcome } from "../results.ts";
import { type MessageState, MessageStates, type MessageView, SETTLING } from "./message_states.ts";
import { IllegalTransition, PhaseMachine, type WorkerControls, type WorkerHealth } from "./phase_machine.ts";
import type { SchedulingPolicy, Tenants } from "./scheduling_policy.ts";

/**
 * What the shell does when processing finished: `delete` it (then `settled`),
 * make it visible after a `retry` backoff (then `settled`), `expose` it (make
 * it visible at once, then `settled`: a permanent failure is received again
 * right away, so the redrive policy moves it to the DLQ after
 * `maxReceiveCount` quick receives rather than that many visibility
 * timeouts), or nothing because it was released (`late`).
 */
export type Settlement = "delete" | "retry" | "expose" | "late";

/** Options of {@link WorkerLifecycle}. */
export interface WorkerLifecycleOptions<M> {
  /** Messages processed at the same time. */
  readonly concurrency: number;
  readonly policy: SchedulingPolicy;
  /** The tenants a message counts for (default: none). */
  readonly tenantsOf?: (m: M) => Tenants;
  /** How long in-flight work may go on after the worker stops. */
  readonly graceMs: number;
  readonly now: () => number;
  /** Called after every transition (the shell wakes what waits on the state). */
  readonly onChange?: () => void;
}

/** The one place an outcome chooses its SQS call. */
function settlementOf(outcome: Outcome): Settlement {
  if (isDone(outcome)) return "delete";
  return outcome === "retryable" ? "retry" : "expose";
}

/** The worker's state and its messages' states. */
export class WorkerLifecycle<M extends { readonly messageId: string }> {
  readonly #o: WorkerLifecycleOptions<M>;
  readonly #worker: PhaseMachine;
  readonly #messages: MessageStates<M>;
  /** The worker's own transitions (stop, hurry, receiveFailed) and its phase and grace period. */
  readonly worker: WorkerControls;
  /** The messages' states, to read. */
  readonly messages: MessageView<M>;

  constructor(options: WorkerLifecycleOptions<M>) {
    this.#o = options;
    this.worker = this.#worker = new PhaseMachine(options);
    this.messages = this.#messages = new MessageStates(options.policy);
  }

  /** While stopping, once receiving ended: every waiting message is gone; returns them, to release. */
  releaseUnstarted(): M[] {
    this.#worker.expect("releaseUnstarted", "stopping");
    return this.#changed(this.#messages.drop("waiting"));
  }

  /** stopping → closed: processing messages become released, waiting ones gone. Returns both, to release. */
  close(): M[] {
    this.#worker.close();
    const processing = this.#messages.in("processing");
    for (const m of processing) this.#messages.set(m, "released");
    return this.#changed([...processing, ...this.#messages.drop("waiting")]);
  }

  /** How many messages to ask SQS for now (the policy's say while running); 0 means do not receive. */
  receiveSize(): number {
    if (this.#worker.phase !== "running") return 0;
    return this.#o.policy.receiveSize(this.#messages.tenantsIn("waiting"), this.#messages.count("processing"));
  }

  /** A receive returned: its messages wait, or those the policy defers (returned, to make visible later). */
  received(messages: readonly M[]): M[] {
    this.#worker.receiveSucceeded();
    for (const m of messages) {
      if (this.#messages.stateOf(m)) throw new IllegalTransition(`received ${m.messageId} twice`);
    }
    const tenants = messages.map((m) => this.#o.tenantsOf?.(m) ?? []);
    const defer = this.#o.policy.admit(tenants, this.#messages.tenantsIn("waiting"), this.#worker.phase === "running");
    messages.forEach((m, i) => this.#messages.add(m, defer[i] ? "deferring" : "waiting", tenants[i]!));
    return this.#changed(messages.filter((_, i) => defer[i]));
  }

  /** The scheduling decision: waiting → processing, oldest first, as many as there are free slots, those the policy lets start. */
  schedule(): M[] {
    if (this.#worker.phase !== "running") return [];
    let free = this.#o.concurrency - this.#messages.count("processing");
    const start: M[] = [];
    for (const m of this.#messages.in("waiting")) {
      if (free <= 0) break;
      if (this.#o.policy.startInMs(this.#messages.tenantsOf(m)) > 0) continue;
      this.#messages.set(m, "processing");
      start.push(m);
      free--;
    }
    return start.length > 0 ? this.#changed(start) : start;
  }

  /** Milliseconds until a waiting message held back by the policy may start (schedule again then); infinite if none. */
  nextStartInMs(): number {
    if (this.#worker.phase !== "running") return Number.POSITIVE_INFINITY;
    const held = this.#messages.tenantsIn("waiting").map((t) => this.#o.policy.startInMs(t));
    return Math.min(Number.POSITIVE_INFINITY, ...held.filter((ms) => ms > 0 && Number.isFinite(ms)));
  }

  /** Processing of `m` ended with `outcome`: processing → deleting or backingOff; released → gone. */
  finish(m: M, outcome: Outcome): Settlement {
    const state = this.#expectState(m, "finish", "processing", "released");
    const settlement = state === "released" ? "late" : settlementOf(outcome);
    if (settlement === "delete" || settlement === "retry") {
      this.#o.policy.outcome(this.#messages.tenantsOf(m), settlement === "retry");
    }
    if (settlement === "late") this.#messages.remove(m);
    else this.#messages.set(m, settlement === "delete" ? "deleting" : "backingOff");
    return this.#changed(settlement);
  }

  /** The delete or visibility call of `m` is done: deleting/backingOff/deferring → gone. */
  settled(m: M): void {
    this.#expectState(m, "settled", ...SETTLING);
    this.#messages.remove(m);
    this.#changed();
  }

  /** What the heartbeat keeps hidden: waiting, processing and deleting messages; nothing once closed. */
  held(): M[] {
    return this.#worker.phase === "closed" ? [] : this.#messages.in("waiting", "processing", "deleting");
  }

  health(): WorkerHealth {
    return this.#worker.health(this.#messages.inFlight());
  }

  #expectState(m: M, transition: string, ...allowed: MessageState[]): MessageState {
    const state = this.#messages.stateOf(m);
    if (state === undefined || !allowed.includes(state)) {
      throw new IllegalTransition(`${transition} of ${m.messageId} while ${state ?? "gone"}`);
    }
    return state;
  }

  /** After a transition: the shell is told; returns `result`. */
  #changed<T = void>(result?: T): T {
    this.#o.onChange?.();
    return result as T;
  }
}
