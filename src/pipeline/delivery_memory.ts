/**
 * The pipeline's memory of one object version's deliveries (the delivery
 * state, see src/delivery/state/delivery_state.ts): recalled when the object
 * says it has some (its tag, see progress_tag.ts) or the message was received
 * before; written while a long object runs (checkpoints), when an attempt did
 * not complete, and when a completed object sits in a message that failed.
 * An object that completes in one go, untagged, costs nothing. A state-table
 * or tagging problem never changes an outcome: it is logged and the object is
 * delivered from where it is known to stand (at least once).
 *
 * @module
 */
import { classifyAwsError } from "../aws/classify_error.ts";
import {
  type DeliveryProgress,
  type DeliveryState,
  isEmptyState,
  mergeProgress,
  NO_STATE,
  stateGrew,
  stateKey,
} from "../delivery/state/delivery_state.ts";
import type { DeliveryStateStore } from "../delivery/state/delivery_state_store.ts";
import type { ProgressTagger } from "../delivery/state/progress_tag.ts";
import type { ObjectBody } from "../ingest/object_source.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import type { Logger } from "../telemetry/logger.ts";

/** When a running object writes its progress: whichever comes first; 0 turns either off. */
export interface CheckpointPolicy {
  readonly everyMs: number;
  /** Events handled by one delivery since the last checkpoint. */
  readonly everyEvents: number;
}

/** No checkpoints while running (progress is still written when an attempt ends). */
export const NO_CHECKPOINTS: CheckpointPolicy = { everyMs: 0, everyEvents: 0 };

/** What the memory needs. */
export interface MemoryDeps {
  /** The table; absent: the memory is off (every attempt starts from the first event). */
  readonly store?: DeliveryStateStore;
  /** Tags the object once its progress is stored; absent: progress is found only on a later receive. */
  readonly tagger?: ProgressTagger;
  readonly checkpoint: CheckpointPolicy;
  readonly logger: Logger;
  readonly now: () => number;
}

/** What the caller knows about this attempt. */
export interface Attempt {
  /** SQS receive count; above 1 the state is read even when the object carries no tag. */
  readonly receiveCount?: number;
  /** Start from the first event whatever is stored (`replay` without `--resume`). */
  readonly ignoreProgress?: boolean;
}

/** One object version's delivery state, for one attempt. */
export class ObjectMemory {
  readonly #deps: MemoryDeps;
  readonly #ref: ObjectRef;
  readonly #body: ObjectBody;
  readonly #pk: string | undefined;
  /** What the table holds as far as this attempt knows. */
  #known: DeliveryState = NO_STATE;
  #stored = false;
  /** The object carries our tag, or tagging failed once in this attempt (not tried again). */
  #tagged = false;
  #lastCheckpointMs: number;

  private constructor(deps: MemoryDeps, ref: ObjectRef, body: ObjectBody) {
    this.#deps = deps;
    this.#ref = ref;
    this.#body = body;
    this.#pk = deps.store ? stateKey(ref.bucket, ref.key, body.eTag ?? ref.eTag) : undefined;
    this.#lastCheckpointMs = deps.now();
  }

  /** The memory of the opened object `body`, with what earlier attempts left recalled (see {@link recalled}). */
  static async open(deps: MemoryDeps, object: { ref: ObjectRef; body: ObjectBody }, attempt: Attempt) {
    const memory = new ObjectMemory(deps, object.ref, object.body);
    await memory.#recall(attempt);
    return memory;
  }

  /** What earlier attempts left: nothing unless the object is tagged or was received before. */
  get recalled(): DeliveryState {
    return this.#known;
  }

  /** Between chunks: writes `progress()` when the policy says it is time and it grew. */
  async checkpoint(progress: () => readonly DeliveryProgress[]): Promise<void> {
    const { everyMs, everyEvents } = this.#deps.checkpoint;
    if (!this.#pk || (everyMs <= 0 && everyEvents <= 0)) return;
    const now = this.#deps.now();
    const timeUp = everyMs > 0 && now - this.#lastCheckpointMs >= everyMs;
    if (!timeUp && everyEvents <= 0) return; // the common case between two chunks: one clock read
    const current = progress();
    const known = this.#known.progress;
    const enough = everyEvents > 0 && current.some((p) => p.handled - (known.get(p.deliveryId) ?? 0) >= everyEvents);
    if (!timeUp && !enough) return;
    this.#lastCheckpointMs = now;
    await this.#write(mergeProgress(this.#known, current), "checkpoint");
  }

  /**
   * The attempt ended with `progress` (every selected delivery). Written when
   * it grew and either something is incomplete or state exists already (so a
   * late copy of the message sees the object completed); an object that
   * completed in one go, untagged, writes nothing.
   */
  async settle(progress: readonly DeliveryProgress[]): Promise<void> {
    const complete = progress.every((p) => p.completed);
    if (complete && !this.#stored) return;
    await this.#write(mergeProgress(this.#known, progress), "settle");
  }

  /** Remembers the deliveries `deliveryIds` as completed (the object completed, its message did not). */
  async completed(deliveryIds: readonly string[]): Promise<void> {
    const progress = deliveryIds.map((deliveryId) => ({ deliveryId, completed: true, handled: 0 }));
    await this.#write(mergeProgress(this.#known, progress), "completed");
  }

  async #recall(attempt: Attempt): Promise<void> {
    const { store, logger } = this.#deps;
    const tagCount = this.#body.tagCount ?? 0;
    const receivedBefore = (attempt.receiveCount ?? 1) > 1;
    if (!store || !this.#pk || attempt.ignoreProgress || (tagCount === 0 && !receivedBefore)) return;
    try {
      this.#known = await store.recall(this.#pk);
    } catch (err) {
      logger.warn("cannot read delivery state; delivering from the first event", this.#problem(err));
      return;
    }
    this.#stored = !isEmptyState(this.#known);
    // A tagged object with stored state carries our tag (GetObject counts tags, it does not name them).
    this.#tagged = this.#stored && tagCount > 0;
  }

  async #write(next: DeliveryState, why: string): Promise<void> {
    const { store, tagger, logger } = this.#deps;
    if (!store || !this.#pk || !stateGrew(this.#known, next)) return;
    try {
      await store.remember(this.#pk, next, this.#deps.now());
    } catch (err) {
      logger.warn("cannot write delivery state; a retry will deliver from the last state known", {
        why,
        ...this.#problem(err),
      });
      return;
    }
    this.#known = next;
    this.#stored = true;
    if (this.#tagged || !tagger) return;
    const { bucket, key } = this.#ref;
    this.#tagged = true;
    try {
      await tagger.mark({ bucket, key, versionId: this.#body.versionId }, this.#body.tagCount ?? 0);
    } catch (err) {
      logger.warn("cannot tag the object as having delivery state; only a later receive of its message finds it", {
        bucket,
        key,
        ...this.#problem(err),
      });
    }
  }

  #problem(err: unknown): Record<string, unknown> {
    return { pk: this.#pk, code: classifyAwsError(err).code, error: err };
  }
}
