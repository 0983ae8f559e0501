/**
 * The SQS worker's own state, without I/O, for {@link WorkerLifecycle}:
 * its phase, the grace period counted on an injected clock, and the receive
 * errors in a row that make it unhealthy.
 *
 * ```
 * running ──stop──▶ stopping ──close──▶ closed
 *                   grace period counted from stop; hurry ends it now
 * ```
 *
 * @module
 */

/** The worker: receiving, finishing in-flight work within the grace period, or closed. */
export type WorkerPhase = "running" | "stopping" | "closed";

/** What `/healthz` reports. */
export interface WorkerHealth {
  readonly ok: boolean;
  readonly stopping: boolean;
  readonly inFlight: number;
  readonly consecutiveReceiveErrors: number;
}

/** Receive errors in a row after which the worker reports itself unhealthy. */
const UNHEALTHY_AFTER_RECEIVE_ERRORS = 3;

/** A transition the current state does not allow (a bug in the worker shell). */
export class IllegalTransition extends Error {
  override readonly name = "IllegalTransition";
}

/** What the worker shell may do and ask of the worker's state (closing is the lifecycle's: it moves messages). */
export type WorkerControls = Pick<
  PhaseMachine,
  "phase" | "stop" | "hurry" | "receiveFailed" | "graceRemainingMs" | "graceOver"
>;

/** Options of {@link PhaseMachine}. */
export interface PhaseMachineOptions {
  readonly now: () => number;
  /** How long in-flight work may go on after {@link PhaseMachine.stop}. */
  readonly graceMs: number;
  /** Called after every transition. */
  readonly onChange?: () => void;
}

/** The worker's phase, grace period and receive health. */
export class PhaseMachine {
  readonly #o: PhaseMachineOptions;
  #phase: WorkerPhase = "running";
  #graceEndsAt = Number.POSITIVE_INFINITY;
  #receiveErrors = 0;

  constructor(options: PhaseMachineOptions) {
    this.#o = options;
  }

  get phase(): WorkerPhase {
    return this.#phase;
  }

  /** running → stopping: the grace period starts now. */
  stop(): void {
    this.expect("stop", "running");
    this.#phase = "stopping";
    this.#graceEndsAt = this.#o.now() + this.#o.graceMs;
    this.#o.onChange?.();
  }

  /** stopping → stopping with the grace period over. */
  hurry(): void {
    this.expect("hurry", "stopping");
    this.#graceEndsAt = Number.NEGATIVE_INFINITY;
    this.#o.onChange?.();
  }

  /** stopping → closed (the caller notifies the change, with its messages moved). */
  close(): void {
    this.expect("close", "stopping");
    this.#phase = "closed";
  }

  /** A receive returned (in any phase but closed): the error streak ends. */
  receiveSucceeded(): void {
    if (this.#phase === "closed") throw new IllegalTransition("received while closed");
    this.#receiveErrors = 0;
  }

  /** A receive failed while running; returns how many failed in a row. */
  receiveFailed(): number {
    this.expect("receiveFailed", "running");
    this.#receiveErrors++;
    this.#o.onChange?.();
    return this.#receiveErrors;
  }

  /** Milliseconds left of the grace period: infinite while running, 0 once over. */
  graceRemainingMs(): number {
    return Math.max(0, this.#graceEndsAt - this.#o.now());
  }

  /** Whether the grace period is over (never while running). */
  graceOver(): boolean {
    return this.graceRemainingMs() === 0;
  }

  /** What `/healthz` reports, with `inFlight` messages. */
  health(inFlight: number): WorkerHealth {
    return {
      ok: this.#phase === "running" && this.#receiveErrors < UNHEALTHY_AFTER_RECEIVE_ERRORS,
      stopping: this.#phase !== "running",
      inFlight,
      consecutiveReceiveErrors: this.#receiveErrors,
    };
  }

  /** Throws {@link IllegalTransition} unless the worker is in `phase`. */
  expect(transition: string, phase: WorkerPhase): void {
    if (this.#phase !== phase) throw new IllegalTransition(`${transition} while ${this.#phase}`);
  }
}
