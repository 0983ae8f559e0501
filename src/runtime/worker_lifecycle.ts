/**
 * The SQS worker's lifecycle as one state machine, without I/O: the state of
 * the worker and of every message it received, and which SQS call each
 * transition asks the worker shell (`sqs_worker.ts`) to make. The clock is
 * injected; an illegal transition throws {@link IllegalTransition} (a bug).
 *
 * ```
 * worker   running ──stop──▶ stopping ──close──▶ closed
 *                            grace period counted from stop; hurry ends it now
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
import { type MessageState, MessageStates } from "./message_states.ts";
import type { SchedulingPolicy, Tenants } from "./scheduling_policy.ts";

/** The worker: receiving, finishing in-flight work within the grace period, or closed. */
export type WorkerPhase = "running" | "stopping" | "closed";
/**
 * What the shell does when processing finished: `delete` it (then `settled`),
 * make it visible after a `retry` backoff (then `settled`), `expose` it (make
 * it visible at once, then `settled`: a permanent failure is received again
 * right away, so the redrive policy moves it to the DLQ after
 * `maxReceiveCount` quick receives rather than that many visibility
 * timeouts), or nothing because it was released (`late`).
 */
export type Settlement = "delete" | "retry" | "expose" | "late";
/** What `/healthz` reports. */
export interface WorkerHealth {
  readonly ok: boolean;
  readonly stopping: boolean;
  readonly inFlight: number;
  readonly consecutiveReceiveErrors: number;
}

/** Receive errors in a row after which the worker reports itself unhealthy. */
const UNHEALTHY_AFTER_RECEIVE_ERRORS = 3;

/** Options of {@link WorkerLifecycle}. */
export interface WorkerLifecycleOptions<M> {
  /** Messages processed at the same time. */
  readonly concurrency: number;
  readonly policy: SchedulingPolicy;
  /** The tenants a message counts for (default: none). */
  readonly tenantsOf?: (m: M) => Tenants;
  /** How long in-flight work may go on after {@link WorkerLifecycle.stop}. */
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

/** A transition the current state does not allow. */
class IllegalTransition extends Error {
  override readonly name = "IllegalTransition";
}

/** The worker's state and its messages' states. */
export class WorkerLifecycle<M extends { readonly messageId: string }> {
  readonly #o: WorkerLifecycleOptions<M>;
  #phase: WorkerPhase = "running";
  #graceEndsAt = Number.POSITIVE_INFINITY;
  #receiveErrors = 0;
  readonly #messages: MessageStates<M>;

  constructor(options: WorkerLifecycleOptions<M>) {
    this.#o = options;
    this.#messages = new MessageStates(options.policy);
  }

  get phase(): WorkerPhase {
    return this.#phase;
  }

  /** running → stopping: nothing more starts; the grace period starts now. */
  stop(): void {
    this.#expectPhase("stop", "running");
    this.#phase = "stopping";
    this.#graceEndsAt = this.#o.now() + this.#o.graceMs;
    this.#changed();
  }

  /** While stopping, once receiving ended: every waiting message is gone; returns them, to release. */
  releaseUnstarted(): M[] {
    this.#expectPhase("releaseUnstarted", "stopping");
    const gone = this.#messages.drop("waiting");
    this.#changed();
    return gone;
  }

  /** stopping → stopping with the grace period over. */
  hurry(): void {
    this.#expectPhase("hurry", "stopping");
    this.#graceEndsAt = Number.NEGATIVE_INFINITY;
    this.#changed();
  }

  /** stopping → closed: processing messages become released, waiting ones gone. Returns both, to release. */
  close(): M[] {
    this.#expectPhase("close", "stopping");
    this.#phase = "closed";
    const processing = this.#messages.in("processing");
    for (const m of processing) this.#messages.set(m, "released");
    const gone = this.#messages.drop("waiting");
    this.#changed();
    return [...processing, ...gone];
  }

  /** How many messages to ask SQS for now (the policy's say while running); 0 means do not receive. */
  receiveSize(): number {
    if (this.#phase !== "running") return 0;
    return this.#o.policy.receiveSize(this.#messages.tenantsIn("waiting"), this.#messages.count("processing"));
  }

  /** A receive returned: its messages wait, or those the policy defers (returned, to make visible later). */
  received(messages: readonly M[]): M[] {
    if (this.#phase === "closed") throw new IllegalTransition("received while closed");
    this.#receiveErrors = 0;
    for (const m of messages) {
      if (this.#messages.stateOf(m)) throw new IllegalTransition(`received ${m.messageId} twice`);
    }
    const tenants = messages.map((m) => this.#o.tenantsOf?.(m) ?? []);
    const defer = this.#o.policy.admit(tenants, this.#messages.tenantsIn("waiting"), this.#phase === "running");
    messages.forEach((m, i) => this.#messages.add(m, defer[i] ? "deferring" : "waiting", tenants[i]!));
    this.#changed();
    return messages.filter((_, i) => defer[i]);
  }

  /** A receive failed while running; returns how many failed in a row. */
  receiveFailed(): number {
    this.#expectPhase("receiveFailed", "running");
    this.#receiveErrors++;
    this.#changed();
    return this.#receiveErrors;
  }

  /** The scheduling decision: waiting → processing, oldest first, as many as there are free slots, those the policy lets start. */
  schedule(): M[] {
    if (this.#phase !== "running") return [];
    let free = this.#o.concurrency - this.#messages.count("processing");
    const start: M[] = [];
    for (const m of this.#messages.in("waiting")) {
      if (free <= 0) break;
      if (this.#o.policy.startInMs(this.#messages.tenantsOf(m)) > 0) continue;
      this.#messages.set(m, "processing");
      start.push(m);
      free--;
    }
    if (start.length > 0) this.#changed();
    return start;
  }

  /** Milliseconds until a waiting message held back by the policy may start (schedule again then); infinite if none. */
  nextStartInMs(): number {
    if (this.#phase !== "running") return Number.POSITIVE_INFINITY;
    const held = this.#messages.tenantsIn("waiting").map((t) => this.#o.policy.startInMs(t)).filter(Number.isFinite);
    return Math.min(Number.POSITIVE_INFINITY, ...held.filter((ms) => ms > 0));
  }

  /** Processing of `m` ended with `outcome`: processing → deleting or backingOff; released → gone. */
  finish(m: M, outcome: Outcome): Settlement {
    const state = this.#expectState(m, "finish", "processing", "released");
    const settlement = state === "released" ? "late" : settlementOf(outcome);
    if (settlement === "delete" || settlement === "retry") {
      this.#o.policy.outcome(this.tenantsOf(m), settlement === "retry");
    }
    if (settlement === "late") this.#messages.remove(m);
    else this.#messages.set(m, settlement === "delete" ? "deleting" : "backingOff");
    this.#changed();
    return settlement;
  }

  /** The delete or visibility call of `m` is done: deleting/backingOff/deferring → gone. */
  settled(m: M): void {
    this.#expectState(m, "settled", "deleting", "backingOff", "deferring");
    this.#messages.remove(m);
    this.#changed();
  }

  /** The state of `m`; undefined once gone. */
  stateOf(m: M): MessageState | undefined {
    return this.#messages.stateOf(m);
  }

  /** The tenants `m` counts for (none once gone). */
  tenantsOf(m: M): Tenants {
    return this.#messages.tenantsOf(m);
  }

  /** What the heartbeat keeps hidden: waiting, processing and deleting messages; nothing once closed. */
  held(): M[] {
    return this.#phase === "closed" ? [] : this.#messages.in("waiting", "processing", "deleting");
  }

  /** No message left at all. */
  idle(): boolean {
    return this.#messages.size === 0;
  }

  /** Messages whose delete or visibility call is in progress. */
  settling(): number {
    return this.#messages.count("deleting", "backingOff", "deferring");
  }

  /** Work running here: processing, or released and not yet finished. */
  inFlight(): number {
    return this.#messages.count("processing", "released");
  }

  /** Whether the grace period is over (never while running). */
  graceOver(): boolean {
    return this.graceRemainingMs() === 0;
  }

  /** Milliseconds left of the grace period: infinite while running, 0 once over. */
  graceRemainingMs(): number {
    return Math.max(0, this.#graceEndsAt - this.#o.now());
  }

  health(): WorkerHealth {
    return {
      ok: this.#phase === "running" && this.#receiveErrors < UNHEALTHY_AFTER_RECEIVE_ERRORS,
      stopping: this.#phase !== "running",
      inFlight: this.inFlight(),
      consecutiveReceiveErrors: this.#receiveErrors,
    };
  }

  #expectPhase(transition: string, phase: WorkerPhase): void {
    if (this.#phase !== phase) throw new IllegalTransition(`${transition} while ${this.#phase}`);
  }

  #expectState(m: M, transition: string, ...allowed: MessageState[]): MessageState {
    const state = this.#messages.stateOf(m);
    if (state === undefined || !allowed.includes(state)) {
      throw new IllegalTransition(`${transition} of ${m.messageId} while ${state ?? "gone"}`);
    }
    return state;
  }

  #changed(): void {
    this.#o.onChange?.();
  }
}
