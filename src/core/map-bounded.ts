/**
 * Images read by one call at once. Downloads are mostly waiting, and two reads in flight
 * keep both of a 2-core machine's engine workers busy; more would only crowd the engine's
 * queue, which every other request shares.
 */
export const PARALLEL_READS = 4;

/**
 * `fn` over every item, at most `limit` at a time, results in the items' order. The first
 * failure is thrown once every call already started has settled, and no new call starts
 * after it, so nothing runs on behind the caller's back.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
  return results;
}
