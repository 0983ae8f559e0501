/**
 * Maps over items with at most `limit` calls in flight, keeping input order.
 *
 * @module
 */

/** How {@link mapConcurrent} runs. */
export interface MapOptions {
  /** Calls in flight at most (at least one runs). */
  readonly limit: number;
  /**
   * Asked before each item starts; once it answers false no further item
   * starts (a deadline), and those items' results stay undefined.
   */
  readonly startWhile?: () => boolean;
}

/**
 * Runs `fn` on every item, `options.limit` at a time; results in input order.
 *
 * @example
 * ```ts
 * const sizes = await mapConcurrent(keys, (key) => headObject(key), { limit: 4 });
 * ```
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  options: MapOptions,
): Promise<(R | undefined)[]> {
  const results = new Array<R | undefined>(items.length);
  const startWhile = options.startWhile ?? (() => true);
  let next = 0;
  const worker = async () => {
    while (next < items.length && startWhile()) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.limit, items.length)) }, worker));
  return results;
}
