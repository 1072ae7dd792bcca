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

/**
 * Awaits every promise, then throws the error of the FIRST that failed in the given order
 * (not the first to fail in time), so a slave's error is the same whatever the timing.
 */
export async function settledInOrder<T extends readonly unknown[]>(ps: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const rs = await Promise.allSettled(ps);
  for (const r of rs) if (r.status === "rejected") throw r.reason;
  return rs.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
