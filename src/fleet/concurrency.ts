/** Runs work over many nodes with a bound on how many run at once. */

/**
 * Maps `fn` over `items`, at most `limit` at a time, keeping the input order in the result.
 * Once `signal` is aborted no new item starts; `onSkip` gives the result for those.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  opts: { signal?: AbortSignal; onSkip?: (item: T, index: number) => R } = {},
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      if (opts.signal?.aborted && opts.onSkip) {
        results[i] = opts.onSkip(items[i]!, i);
        continue;
      }
      results[i] = await fn(items[i]!, i);
    }
  };
  const n = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
