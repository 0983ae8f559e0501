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
 * `waiting` holds what was received but not started: the worker receives up
 * to ten messages per call, ahead of its free slots, into a local buffer of
 * `receiveBuffer` messages ({@link WorkerLifecycle.receiveSize}); waiting
 * messages are kept hidden by the heartbeat like processing ones.
 * {@link WorkerLifecycle.schedule} is the one decision of what starts: the
 * oldest waiting message whose tenants are all under `tenantMaxInFlight`
 * processing (per-tenant fairness, bookkept by {@link TenantShares}); a
 * tenant's messages beyond its share here are parked, and beyond the
 * parking deferred ({@link WorkerLifecycle.received}). `settlementOf` is the one place an
 * outcome picks its SQS call. Messages are keyed by the received object, so a
 * message SQS hands out twice is two.
 *
 * @module
 */
import { isDone, type Outcome } from "../results.ts";
import { NO_TENANT } from "./message_tenants.ts";
import { type TenantLoad, TenantShares } from "./tenant_shares.ts";

/** The worker: receiving, finishing in-flight work within the grace period, or closed. */
export type WorkerPhase = "running" | "stopping" | "closed";
/** A received message, until its last SQS call is done (then it is gone). */
export type MessageState = "waiting" | "processing" | "deleting" | "backingOff" | "deferring" | "released";
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

/** ReceiveMessage returns at most this many messages. */
export const RECEIVE_MAX_MESSAGES = 10;
/** Receive errors in a row after which the worker reports itself unhealthy. */
export const UNHEALTHY_AFTER_RECEIVE_ERRORS = 3;
/** With the parking full, a receive that found no other tenant makes the next one wait this long, doubling… */
export const RECEIVE_PACE_BASE_MS = 100;
/** …up to this (so a tenant alone sees at most ten messages deferred this often); finding another resets it. */
export const RECEIVE_PACE_MAX_MS = 10_000;

/** Options of {@link WorkerLifecycle}. */
export interface WorkerLifecycleOptions<M> {
  /** Messages processed at the same time. */
  readonly concurrency: number;
  /** Received messages that may wait for a slot, beyond `concurrency` (default 0: receive only for free slots). */
  readonly receiveBuffer?: number;
  /** Messages of one tenant processed at the same time (default `concurrency`: no cap). */
  readonly tenantMaxInFlight?: number;
  /** The tenants a message counts for (default: none, so never capped). */
  readonly tenantsOf?: (m: M) => readonly string[];
  /** How long in-flight work may go on after {@link WorkerLifecycle.stop}. */
  readonly graceMs: number;
  readonly now: () => number;
  /** Called after every transition (the shell wakes what waits on the state). */
  readonly onChange?: () => void;
}

interface Entry {
  state: MessageState;
  readonly tenants: readonly string[];
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
  readonly #o: WorkerLifecycleOptions<M>;
  #phase: WorkerPhase = "running";
  #graceEndsAt = Number.POSITIVE_INFINITY;
  #receiveErrors = 0;
  readonly #messages = new Map<M, Entry>();
  readonly #buffer: number;
  /** Fairness is on: a tenant may have fewer than `concurrency` messages processing. */
  readonly #fair: boolean;
  /** Parked messages at most (more only while no other tenant is about). */
  readonly #parkLimit: number;
  readonly #shares: TenantShares;
  /** Receives in a row that deferred messages and found no other tenant, and when the last receive returned. */
  #fruitless = 0;
  #lastReceiveAt = Number.NEGATIVE_INFINITY;

  constructor(options: WorkerLifecycleOptions<M>) {
    this.#o = options;
    const cap = Math.min(options.tenantMaxInFlight ?? options.concurrency, options.concurrency);
    this.#buffer = options.receiveBuffer ?? 0;
    this.#fair = cap < options.concurrency;
    this.#parkLimit = this.#buffer;
    this.#shares = new TenantShares({ cap, buffer: this.#buffer, adaptive: this.#fair });
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
    for (const m of processing) this.#set(m, "released");
    return [...processing, ...this.#drop("waiting")];
  }

  /**
   * How many messages to ask SQS for now; 0 means do not receive. While
   * running: a full receive (ten) once `concurrency + receiveBuffer` has room
   * for it (parked messages do not count: see {@link received}); else the
   * room that is left when nothing waiting could take the next free slot —
   * nothing waits at all, or what waits is capped while another tenant is
   * about — so the next slot to free has work at once, for another tenant if
   * one is capped. With the parking full, receives are paced
   * ({@link receiveDelayMs}).
   */
  receiveSize(): number {
    if (this.#phase !== "running") return 0;
    const processing = this.#count("processing");
    const waiting = this.#in("waiting");
    const { inShare, parked } = this.#split(waiting);
    const room = this.#o.concurrency + this.#buffer - processing - inShare;
    if (room <= 0 || (this.#parkingFull(parked) && this.receiveDelayMs() > 0)) return 0;
    if (room >= RECEIVE_MAX_MESSAGES) return RECEIVE_MAX_MESSAGES;
    if (waiting.length === 0) return room;
    const blocked = waiting.every((m) => !this.#shares.underCap(this.#tenants(m), this.#o.now()));
    return blocked && this.#shares.othersActive(this.#shares.capped(), this.#o.now(), { underCap: true }) ? room : 0;
  }

  /**
   * Milliseconds the next receive waits while messages are parked: after a
   * receive that deferred messages and brought none of a tenant that was not
   * beyond its share lately, 100 ms, doubling up to
   * {@link RECEIVE_PACE_MAX_MS}; 0 once a receive brings one.
   */
  receiveDelayMs(): number {
    if (this.#fruitless === 0) return 0;
    const pace = Math.min(RECEIVE_PACE_MAX_MS, RECEIVE_PACE_BASE_MS * 2 ** (this.#fruitless - 1));
    return Math.max(0, this.#lastReceiveAt + pace - this.#o.now());
  }

  /**
   * A receive returned: its messages wait (to be scheduled while running,
   * released otherwise). A tenant's messages beyond its share here (its cap
   * plus as many waiting, at most `receiveBuffer`) are parked: they wait too
   * but leave the buffer's room to others, up to `receiveBuffer` parked
   * messages in all. Beyond that, while running, they are deferred (returned,
   * to be made visible again after a delay), so one tenant's backlog never
   * fills the worker and the worker keeps looking behind it for others.
   */
  received(messages: readonly M[]): M[] {
    if (this.#phase === "closed") throw new IllegalTransition("received while closed");
    this.#receiveErrors = 0;
    const now = this.#o.now();
    const entries = messages.map((m) => {
      if (this.#messages.has(m)) throw new IllegalTransition(`received ${m.messageId} twice`);
      return { m, tenants: this.#o.tenantsOf?.(m) ?? [] };
    });
    for (const { tenants } of entries) this.#shares.received(tenants, now);
    let { parked } = this.#split(this.#in("waiting"));
    const deferred: M[] = [];
    let found = false;
    for (const { m, tenants } of entries) {
      // Another tenant than those recently beyond their share: what a paced receive looks for.
      found ||= tenants.some((t) => t !== NO_TENANT && !this.#shares.recentlyBeyond(t, now));
      const beyond = this.#fair && this.#shares.atLimit(tenants);
      const defer = beyond && this.#phase === "running" && parked >= this.#parkLimit;
      this.#messages.set(m, { state: defer ? "deferring" : "waiting", tenants });
      if (defer) deferred.push(m);
      else this.#shares.count(tenants, "waiting", 1);
      if (beyond) this.#shares.beyond(tenants, now);
      if (beyond && !defer) parked++;
    }
    if (found) this.#fruitless = 0;
    else if (deferred.length > 0) this.#fruitless++;
    this.#lastReceiveAt = now;
    this.#shares.prune(now);
    this.#changed();
    return deferred;
  }

  /** A receive failed while running; returns how many failed in a row. */
  receiveFailed(): number {
    this.#expectPhase("receiveFailed", "running");
    this.#receiveErrors++;
    this.#changed();
    return this.#receiveErrors;
  }

  /**
   * The scheduling decision: waiting → processing, oldest first, as many as
   * there are free slots, skipping messages of a tenant that has
   * `tenantMaxInFlight` processing (they stay waiting).
   */
  schedule(): M[] {
    if (this.#phase !== "running") return [];
    let free = this.#o.concurrency - this.#count("processing");
    const now = this.#o.now();
    const start: M[] = [];
    for (const [m, entry] of this.#messages) {
      if (free <= 0) break;
      if (entry.state !== "waiting" || !this.#shares.underCap(entry.tenants, now)) continue;
      this.#set(m, "processing");
      start.push(m);
      free--;
    }
    if (start.length > 0) this.#changed();
    return start;
  }

  /**
   * Milliseconds until a waiting message held back only by its tenant's
   * backoff may start (the shell schedules again then); infinite if none.
   */
  nextStartInMs(): number {
    if (this.#phase !== "running") return Number.POSITIVE_INFINITY;
    const now = this.#o.now();
    const held = this.#in("waiting").map((m) => this.#shares.heldUntil(this.#tenants(m))).filter((at) => at > now);
    return held.length > 0 ? Math.min(...held) - now : Number.POSITIVE_INFINITY;
  }

  /** Processing of `m` ended with `outcome`: processing → deleting or backingOff; released → gone. */
  finish(m: M, outcome: Outcome): Settlement {
    const state = this.#expectState(m, "finish", "processing", "released");
    const settlement = state === "released" ? "late" : settlementOf(outcome);
    if (settlement === "delete" || settlement === "retry") {
      this.#shares.outcome(this.#tenants(m), settlement === "retry", this.#o.now());
    }
    if (settlement === "delete") this.#set(m, "deleting");
    else if (settlement === "late") this.#remove(m);
    else this.#set(m, "backingOff");
    this.#changed();
    return settlement;
  }

  /** The delete or visibility call of `m` is done: deleting/backingOff/deferring → gone. */
  settled(m: M): void {
    this.#expectState(m, "settled", "deleting", "backingOff", "deferring");
    this.#remove(m);
    this.#changed();
  }

  /** The state of `m`; undefined once gone. */
  stateOf(m: M): MessageState | undefined {
    return this.#messages.get(m)?.state;
  }

  /** What `tenant` has processing and waiting here. */
  tenantLoad(tenant: string): TenantLoad {
    return this.#shares.load(tenant);
  }

  /**
   * How many receives to add to `m`'s own when backing it off (retry or
   * deferral): the run of retryable outcomes of its tenants (0 to
   * `MAX_TENANT_STREAK`), so a tenant that keeps failing backs off
   * longer as a whole, not message by message.
   */
  tenantBackoff(m: M): number {
    return this.#shares.streak(this.#tenants(m));
  }

  /** What the heartbeat keeps hidden: waiting, processing and deleting messages; nothing once closed. */
  held(): M[] {
    return this.#phase === "closed" ? [] : this.#in("waiting", "processing", "deleting");
  }

  /** No message left at all. */
  idle(): boolean {
    return this.#messages.size === 0;
  }

  /** Messages whose delete or visibility call is in progress. */
  settling(): number {
    return this.#count("deleting", "backingOff", "deferring");
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

  #tenants(m: M): readonly string[] {
    return this.#messages.get(m)?.tenants ?? [];
  }

  /** Whether a receive could bring more than the parking takes (then receives are paced). */
  #parkingFull(parked: number): boolean {
    return this.#fair && parked > 0 && parked + RECEIVE_MAX_MESSAGES > this.#parkLimit;
  }

  /** `waiting` (oldest first) split into messages within their tenants' share and parked ones beyond it. */
  #split(waiting: readonly M[]): { inShare: number; parked: number } {
    if (!this.#fair) return { inShare: waiting.length, parked: 0 };
    return this.#shares.split(waiting.map((m) => this.#tenants(m)));
  }

  /** Moves `m` to `state`, keeping the tenants' counts of waiting and processing messages. */
  #set(m: M, state: MessageState): void {
    const entry = this.#messages.get(m);
    if (!entry) return;
    this.#recount(entry, -1);
    entry.state = state;
    this.#recount(entry, 1);
  }

  #remove(m: M): void {
    const entry = this.#messages.get(m);
    if (entry) this.#recount(entry, -1);
    this.#messages.delete(m);
  }

  #recount(entry: Entry, delta: 1 | -1): void {
    if (entry.state === "waiting" || entry.state === "processing") {
      this.#shares.count(entry.tenants, entry.state, delta);
    }
  }

  #drop(state: MessageState): M[] {
    const dropped = this.#in(state);
    for (const m of dropped) this.#remove(m);
    this.#changed();
    return dropped;
  }

  #in(...states: MessageState[]): M[] {
    return [...this.#messages].filter(([, e]) => states.includes(e.state)).map(([m]) => m);
  }

  #count(...states: MessageState[]): number {
    let n = 0;
    for (const e of this.#messages.values()) if (states.includes(e.state)) n++;
    return n;
  }

  #expectPhase(transition: string, phase: WorkerPhase): void {
    if (this.#phase !== phase) throw new IllegalTransition(`${transition} while ${this.#phase}`);
  }

  #expectState(m: M, transition: string, ...allowed: MessageState[]): MessageState {
    const state = this.#messages.get(m)?.state;
    if (state === undefined || !allowed.includes(state)) {
      throw new IllegalTransition(`${transition} of ${m.messageId} while ${state ?? "gone"}`);
    }
    return state;
  }

  #changed(): void {
    this.#o.onChange?.();
  }
}
