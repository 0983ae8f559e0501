/**
 * Byte buffers kept for reuse across batches and objects. A batch buffer
 * (1-2 MiB) comes from glibc malloc; freeing one raises malloc's dynamic mmap
 * threshold, after which such buffers land on the brk heap, which then grows
 * and fragments while objects stream and never shrinks (docs/performance.md).
 * Reusing a few buffers for the life of the process avoids that.
 *
 * @module
 */

/** Most buffers kept; beyond that the smallest are let go. */
export const POOL_BUFFERS = 4;

/** A bounded set of spare buffers, largest first. */
export class BufferPool {
  readonly #spare: Uint8Array[] = [];
  readonly #max: number;

  constructor(max = POOL_BUFFERS) {
    this.#max = max;
  }

  /** Number of spare buffers. */
  get size(): number {
    return this.#spare.length;
  }

  /** The smallest spare buffer of at least `bytes`, else a new one of `bytes`. Its contents are stale. */
  take(bytes: number): Uint8Array {
    for (let i = this.#spare.length - 1; i >= 0; i--) {
      if (this.#spare[i]!.length >= bytes) return this.#spare.splice(i, 1)[0]!;
    }
    return new Uint8Array(bytes);
  }

  /**
   * Keeps `buffer` (a view of its whole ArrayBuffer) for a later
   * {@link take}, unless enough larger ones are kept. Give a buffer only when
   * nothing reads or writes it any more.
   */
  give(buffer: Uint8Array): void {
    if (this.#spare.some((b) => b.buffer === buffer.buffer)) return;
    const at = this.#spare.findIndex((b) => b.length < buffer.length);
    const index = at < 0 ? this.#spare.length : at;
    if (index >= this.#max) return;
    this.#spare.splice(index, 0, buffer);
    if (this.#spare.length > this.#max) this.#spare.pop();
  }
}

/** The pool every CloudWatch batcher of the process shares by default. */
export const SHARED_BUFFERS: BufferPool = new BufferPool();
