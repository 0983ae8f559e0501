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
 * message  received ─▶ waiting ──schedule──▶ processing ──finish─┬─▶ deleting   ──settled──▶ gone
 *                         │    (running only)      │             └─▶ backingOff ──settled──▶ gone
 *                         │                        │                 (retryable: a backoff; permanent: visible now)
 *                         │                        └──close──▶ released ──finish──▶ gone (late: queue left alone)
 *                         └──releaseUnstarted, close──▶ gone (to be made visible again, never started)
 * ```
 *
 * `waiting` holds what was received but not started: the worker receives up
 * to ten messages per call, ahead of its free slots, into a local buffer of
 * `receiveBuffer` messages ({@link WorkerLifecycle.receiveSize}); waiting
 * messages are kept hidden by the heartbeat like processing ones.
 * {@link WorkerLifecycle.schedule} is the one decision of what starts, and
 * `settlementOf` the one place an outcome picks its SQS call. Messages are
 * keyed by the received object, so a message SQS hands out twice is two.
 *
 * @module
 */
import { isDone, type Outcome } from "../results.ts";
import { SQS_BATCH_LIMIT } from "./sqs_queue.ts";

/** The worker: receiving, finishing in-flight work within the grace period, or closed. */
export type WorkerPhase = "running" | "stopping" | "closed";
/** A received message, until its last SQS call is done (then it is gone). */
export type MessageState = "waiting" | "processing" | "deleting" | "backingOff" | "released";
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
export const UNHEALTHY_AFTER_RECEIVE_ERRORS = 3;

/** Options of {@link WorkerLifecycle}. */
export interface WorkerLifecycleOptions {
  /** Messages processed at the same time. */
  readonly concurrency: number;
  /** Received messages that may wait for a slot, beyond `concurrency` (default 0: receive only for free slots). */
  readonly receiveBuffer?: number;
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
export class IllegalTransition extends Error {
  override readonly name = "IllegalTransition";
}

/** The worker's state and its messages' states. */
export class WorkerLifecycle<M extends { readonly messageId: string }> {
  readonly #o: WorkerLifecycleOptions;
  #phase: WorkerPhase = "running";
  #graceEndsAt = Number.POSITIVE_INFINITY;
  #receiveErrors = 0;
  readonly #messages = new Map<M, MessageState>();

  constructor(options: WorkerLifecycleOptions) {
    this.#o = options;
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
    return this.#drop("waiting");
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
    const processing = this.#in("processing");
    for (const m of processing) this.#messages.set(m, "released");
    return [...processing, ...this.#drop("waiting")];
  }

  /**
   * How many messages to ask SQS for now; 0 means do not receive. While
   * running: a full receive (ten) once `concurrency + receiveBuffer` has room
   * for it, else the room that is left only when a slot is free and nothing
   * waits for it (so a small buffer never leaves a slot idle); 0 otherwise.
   */
  receiveSize(): number {
    if (this.#phase !== "running") return 0;
    const processing = this.#count("processing");
    const waiting = this.#count("waiting");
    const room = this.#o.concurrency + (this.#o.receiveBuffer ?? 0) - processing - waiting;
    const starving = waiting === 0 && processing < this.#o.concurrency;
    return room >= SQS_BATCH_LIMIT || (starving && room > 0) ? Math.min(SQS_BATCH_LIMIT, room) : 0;
  }

  /** A receive returned: its messages wait (to be scheduled while running, released otherwise). */
  received(messages: readonly M[]): void {
    if (this.#phase === "closed") throw new IllegalTransition("received while closed");
    this.#receiveErrors = 0;
    for (const m of messages) this.#enter(m);
    this.#changed();
  }

  /** A receive failed while running; returns how many failed in a row. */
  receiveFailed(): number {
    this.#expectPhase("receiveFailed", "running");
    this.#receiveErrors++;
    this.#changed();
    return this.#receiveErrors;
  }

  /** The scheduling decision: waiting → processing, oldest first, as many as there are free slots. */
  schedule(): M[] {
    if (this.#phase !== "running") return [];
    const free = this.#o.concurrency - this.#count("processing");
    const start = this.#in("waiting").slice(0, Math.max(0, free));
    for (const m of start) this.#messages.set(m, "processing");
    if (start.length > 0) this.#changed();
    return start;
  }

  /** Processing of `m` ended with `outcome`: processing → deleting or backingOff; released → gone. */
  finish(m: M, outcome: Outcome): Settlement {
    const state = this.#expectState(m, "finish", "processing", "released");
    const settlement = state === "released" ? "late" : settlementOf(outcome);
    if (settlement === "delete") this.#messages.set(m, "deleting");
    else if (settlement === "late") this.#messages.delete(m);
    else this.#messages.set(m, "backingOff");
    this.#changed();
    return settlement;
  }

  /** The delete or retry visibility call of `m` is done: deleting/backingOff → gone. */
  settled(m: M): void {
    this.#expectState(m, "settled", "deleting", "backingOff");
    this.#messages.delete(m);
    this.#changed();
  }

  /** The state of `m`; undefined once gone. */
  stateOf(m: M): MessageState | undefined {
    return this.#messages.get(m);
  }

  /** What the heartbeat keeps hidden: waiting, processing and deleting messages; nothing once closed. */
  held(): M[] {
    return this.#phase === "closed" ? [] : this.#in("waiting", "processing", "deleting");
  }

  /** No message left at all. */
  idle(): boolean {
    return this.#messages.size === 0;
  }

  /** Messages whose delete or retry visibility call is in progress. */
  settling(): number {
    return this.#count("deleting", "backingOff");
  }

  /** Work running here: processing, or released and not yet finished. */
  inFlight(): number {
    return this.#count("processing", "released");
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

  #enter(m: M): void {
    if (this.#messages.has(m)) throw new IllegalTransition(`received ${m.messageId} twice`);
    this.#messages.set(m, "waiting");
  }

  #drop(state: MessageState): M[] {
    const dropped = this.#in(state);
    for (const m of dropped) this.#messages.delete(m);
    this.#changed();
    return dropped;
  }

  #in(...states: MessageState[]): M[] {
    return [...this.#messages].filter(([, s]) => states.includes(s)).map(([m]) => m);
  }

  #count(...states: MessageState[]): number {
    let n = 0;
    for (const s of this.#messages.values()) if (states.includes(s)) n++;
    return n;
  }

  #expectPhase(transition: string, phase: WorkerPhase): void {
    if (this.#phase !== phase) throw new IllegalTransition(`${transition} while ${this.#phase}`);
  }

  #expectState(m: M, transition: string, ...allowed: MessageState[]): MessageState {
    const state = this.#messages.get(m);
    if (state === undefined || !allowed.includes(state)) {
      throw new IllegalTransition(`${transition} of ${m.messageId} while ${state ?? "gone"}`);
    }
    return state;
  }

  #changed(): void {
    this.#o.onChange?.();
  }
}
