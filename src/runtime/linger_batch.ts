/**
 * Groups items for one batch call: a group goes out when `max` items wait, or
 * `lingerMs` after the first of them arrived, so items finishing close
 * together share a call. Pure scheduling; what a call does is the caller's.
 *
 * @module
 */

interface Waiting<T> {
  readonly item: T;
  readonly done: () => void;
}

/** Collects items and sends them in groups through `send` (which never rejects: it handles its own failures). */
export class LingerBatch<T> {
  #waiting: Waiting<T>[] = [];
  #timer?: ReturnType<typeof setTimeout>;
  readonly #sending = new Set<Promise<void>>();
  readonly #send: (items: T[]) => Promise<void>;
  readonly #max: number;
  readonly #lingerMs: number;

  constructor(send: (items: T[]) => Promise<void>, options: { readonly max: number; readonly lingerMs: number }) {
    this.#send = send;
    this.#max = options.max;
    this.#lingerMs = options.lingerMs;
  }

  /** Queues `item`; resolves once the call that carried it is done. */
  add(item: T): Promise<void> {
    return new Promise((done) => {
      this.#waiting.push({ item, done });
      if (this.#waiting.length >= this.#max) this.#flushNow();
      else this.#timer ??= setTimeout(() => this.#flushNow(), this.#lingerMs);
    });
  }

  /** Sends everything waiting now and waits for every call in progress. */
  async flush(): Promise<void> {
    this.#flushNow();
    while (this.#sending.size > 0) await Promise.all(this.#sending);
  }

  #flushNow(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#waiting.length > 0) {
      const group = this.#waiting.splice(0, this.#max);
      const call = this.#send(group.map((w) => w.item)).finally(() => {
        this.#sending.delete(call);
        for (const w of group) w.done();
      });
      this.#sending.add(call);
    }
  }
}
