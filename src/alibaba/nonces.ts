import { createHash } from 'node:crypto';

export type NonceUse = 'fresh' | 'replayed' | 'full';

/**
 * Signature nonces seen recently, so a captured request cannot be replayed. A nonce needs
 * remembering only until its request's Date leaves the skew window (from then on a replay is
 * refused as stale), so each entry expires then; entries are bucketed by the second they
 * expire in, and pruning walks the seconds that have passed.
 *
 * Entries are hashes of key id and nonce, so memory is bounded by `capacity` whatever the
 * client sends. When every slot holds a nonce that could still be replayed, the request is
 * refused instead of forgetting one.
 */
export class NonceCache {
  private readonly seen = new Set<string>();
  private readonly expiring = new Map<number, string[]>();
  private prunedThrough: number;

  constructor(
    private readonly windowMs: number,
    private readonly capacity: number,
    now = Date.now(),
  ) {
    this.prunedThrough = Math.floor(now / 1000) - 1;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Records a nonce of a request signed at `dateMs` (already checked to be within the window). */
  use(accessKeyId: string, nonce: string, dateMs: number, now = Date.now()): NonceUse {
    this.prune(now);
    const key = createHash('sha256').update(`${accessKeyId}\n${nonce}`).digest('base64');
    if (this.seen.has(key)) return 'replayed';
    if (this.seen.size >= this.capacity) return 'full';
    this.seen.add(key);
    // Kept through the whole second in which Date + window falls: a replay is stale only after it.
    const second = Math.floor((dateMs + this.windowMs) / 1000);
    const bucket = this.expiring.get(second);
    if (bucket) bucket.push(key);
    else this.expiring.set(second, [key]);
    return 'fresh';
  }

  private prune(now: number): void {
    const current = Math.floor(now / 1000);
    if (this.seen.size === 0) {
      this.expiring.clear();
      this.prunedThrough = current - 1;
      return;
    }
    for (let s = this.prunedThrough + 1; s < current; s++) {
      for (const key of this.expiring.get(s) ?? []) this.seen.delete(key);
      this.expiring.delete(s);
    }
    this.prunedThrough = Math.max(this.prunedThrough, current - 1);
  }
}
