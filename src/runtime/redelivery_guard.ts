/**
 * Folds the copies SQS hands out of one message, so that the worker delivers
 * a message once even when SQS gives it out again: its visibility timeout ran
 * out while it was processed (a late heartbeat on a loaded machine), its
 * delete failed or was late, or SQS's at-least-once delivery repeated it.
 *
 * A receive is sorted into new messages (for the lifecycle), copies of
 * messages this worker still holds (kept as the newest copy: the holder's
 * delete and visibility calls use its receipt handle, the one SQS honours),
 * and copies of messages this worker deleted lately (deleted again, not
 * delivered again). Pure; the clock is passed in. A copy another worker
 * receives is not seen here: that one is delivered again (at least once).
 *
 * @module
 */
import { DeliveredIds, type DeliveredIdsOptions } from "./delivered_ids.ts";

/** What one receive holds, sorted. */
export interface SortedReceive<M> {
  /** Messages not held here: for the lifecycle. */
  readonly fresh: M[];
  /** Copies of messages held here: folded into the holder, never processed. */
  readonly held: M[];
  /** Copies of messages deleted here lately: to delete again, never processed. */
  readonly delivered: M[];
}

/** Options of {@link RedeliveryGuard}. */
export interface RedeliveryGuardOptions {
  readonly now: () => number;
  /** How long and how many deleted ids are remembered. */
  readonly memory?: DeliveredIdsOptions;
}

/** The messages a worker holds, by id, with their newest copy; and the ids it deleted lately. */
export class RedeliveryGuard<M extends { readonly messageId: string }> {
  /** Id → the newest copy of a message held here. */
  readonly #newest = new Map<string, M>();
  readonly #deleted: DeliveredIds;
  readonly #now: () => number;

  constructor(options: RedeliveryGuardOptions) {
    this.#now = options.now;
    this.#deleted = new DeliveredIds(options.memory);
  }

  /** Sorts a receive; copies of held messages become their newest copy. */
  sort(messages: readonly M[]): SortedReceive<M> {
    const sorted: SortedReceive<M> = { fresh: [], held: [], delivered: [] };
    for (const m of messages) {
      if (this.#newest.has(m.messageId)) {
        this.#newest.set(m.messageId, m);
        sorted.held.push(m);
      } else if (this.#deleted.has(m.messageId, this.#now())) {
        sorted.delivered.push(m);
      } else {
        this.#newest.set(m.messageId, m);
        sorted.fresh.push(m);
      }
    }
    return sorted;
  }

  /** The newest copy of `m` received (`m` itself if none came again, or once forgotten). */
  newest(m: M): M {
    return this.#newest.get(m.messageId) ?? m;
  }

  /**
   * `m`'s last SQS call is done: it is no longer held here. If that call was
   * its delete, its id is remembered so a copy received later is deleted, not
   * delivered again. Returns the copy received after the call was made with
   * `used`, if any (its receipt handle is the one a delete must use).
   */
  release(m: M, { used, deleted }: { readonly used: M; readonly deleted: boolean }): M | undefined {
    const newest = this.newest(m);
    this.#newest.delete(m.messageId);
    if (deleted) this.#deleted.add(m.messageId, this.#now());
    return newest === used ? undefined : newest;
  }

  /** How many messages are held here. */
  get held(): number {
    return this.#newest.size;
  }
}
