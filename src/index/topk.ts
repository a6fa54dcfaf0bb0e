import type { SearchHit } from './types.ts';

/**
 * Keeps the k best (cosine, itemId, groupId) offered, best = higher cosine, then lower itemId,
 * so every implementation breaks ties the same way. A min-heap on parallel typed arrays: the
 * hot loops offer up to millions of rows and must not allocate per row.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly items: Int32Array;
  private readonly groups: Int32Array;
  private count = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.items = new Int32Array(k);
    this.groups = new Int32Array(k);
  }

  /** Whether a row scoring `score` could still enter (cheap pre-check before offer). */
  admits(score: number): boolean {
    return this.count < this.k || score >= this.scores[0]!;
  }

  offer(score: number, itemId: number, groupId: number): void {
    if (this.count < this.k) {
      this.siftUp(this.count++, score, itemId, groupId);
    } else if (this.better(score, itemId, 0)) {
      this.siftDown(score, itemId, groupId);
    }
  }

  /** Best first. */
  sorted(): SearchHit[] {
    const hits: SearchHit[] = [];
    for (let i = 0; i < this.count; i++) {
      hits.push({ itemId: this.items[i]!, groupId: this.groups[i]!, cosine: this.scores[i]! });
    }
    return hits.sort((a, b) => b.cosine - a.cosine || a.itemId - b.itemId);
  }

  /** Is (score, itemId) better than the entry at heap position i? */
  private better(score: number, itemId: number, i: number): boolean {
    const s = this.scores[i]!;
    return score > s || (score === s && itemId < this.items[i]!);
  }

  private siftUp(i: number, score: number, itemId: number, groupId: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.better(score, itemId, parent)) break; // the worse entry must sit nearer the root
      this.move(parent, i);
      i = parent;
    }
    this.put(i, score, itemId, groupId);
  }

  private siftDown(score: number, itemId: number, groupId: number): void {
    let i = 0;
    for (;;) {
      let worst = 2 * i + 1;
      if (worst >= this.count) break;
      const right = worst + 1;
      if (right < this.count && this.better(this.scores[worst]!, this.items[worst]!, right)) worst = right;
      if (this.better(score, itemId, worst)) {
        this.move(worst, i);
        i = worst;
      } else break;
    }
    this.put(i, score, itemId, groupId);
  }

  private move(from: number, to: number): void {
    this.scores[to] = this.scores[from]!;
    this.items[to] = this.items[from]!;
    this.groups[to] = this.groups[from]!;
  }

  private put(i: number, score: number, itemId: number, groupId: number): void {
    this.scores[i] = score;
    this.items[i] = itemId;
    this.groups[i] = groupId;
  }
}
