import { ExactIndex } from './exact.ts';
import { FREE_SLOT, type IndexImage } from './image.ts';
import { QuantizedIndex, type QuantizedOptions } from './quantized.ts';
import type { IndexItem, SearchHit, SearchOptions, VectorIndex } from './types.ts';

/**
 * - 'exact': f32 vectors, every row scored (2 KB an item at 512-d; ~0.6 us a row).
 * - 'quantized': sign-code shortlist + f16 re-rank (~1.1 KB an item; ~1 ms at 100k rows,
 *   ~5 ms at 1M), scores within 2^-11 of f32 (~1e-5 typical).
 * - 'auto' (default): exact while the index holds at most `exactLimit` items (f32 scores,
 *   ~1 ms a query at 2k rows), then moved once to quantized for good, so a library that
 *   grows from empty without a restart never ends up scanning f32 at scale.
 */
export type IndexKind = 'exact' | 'quantized' | 'auto';

export interface IndexConfig {
  readonly dim: number;
  readonly kind?: IndexKind;
  readonly exactLimit?: number;
  readonly quantized?: QuantizedOptions;
}

export const DEFAULT_EXACT_LIMIT = 2_000;

export function createVectorIndex(config: IndexConfig): VectorIndex {
  switch (config.kind ?? 'auto') {
    case 'exact':
      return new ExactIndex(config.dim);
    case 'quantized':
      return new QuantizedIndex(config.dim, config.quantized);
    case 'auto':
      return new AdaptiveIndex(config.dim, config.exactLimit ?? DEFAULT_EXACT_LIMIT, config.quantized);
  }
}

class AdaptiveIndex implements VectorIndex {
  private inner: VectorIndex;
  private exact: ExactIndex | undefined;

  constructor(
    readonly dim: number,
    private readonly exactLimit: number,
    private readonly options: QuantizedOptions | undefined,
  ) {
    this.exact = new ExactIndex(dim);
    this.inner = this.exact;
  }

  get scoreTolerance(): number {
    return this.inner.scoreTolerance;
  }

  size(): number {
    return this.inner.size();
  }

  has(itemId: number): boolean {
    return this.inner.has(itemId);
  }

  groupSize(groupId: number): number {
    return this.inner.groupSize(groupId);
  }

  add(itemId: number, groupIds: readonly number[], vector: Float32Array): void {
    this.inner.add(itemId, groupIds, vector);
    this.outgrow();
  }

  remove(itemId: number): boolean {
    return this.inner.remove(itemId);
  }

  setGroups(itemId: number, groupIds: readonly number[]): boolean {
    return this.inner.setGroups(itemId, groupIds);
  }

  dropGroup(groupId: number): number {
    return this.inner.dropGroup(groupId);
  }

  search(query: Float32Array, groupIds: readonly number[], k: number, options?: SearchOptions): SearchHit[] {
    return this.inner.search(query, groupIds, k, options);
  }

  searchByGroup(
    query: Float32Array,
    groupIds: readonly number[],
    kPerGroup: number,
    options?: SearchOptions,
  ): Map<number, SearchHit[]> {
    return this.inner.searchByGroup(query, groupIds, kPerGroup, options);
  }

  /** Item by item, so a large startup load moves to quantized early, not after 2 KB x N of f32. */
  load(items: Iterable<IndexItem>): void {
    for (const item of items) this.add(item.itemId, item.groupIds, item.vector);
  }

  image(): IndexImage {
    return this.inner.image();
  }

  /**
   * Restored straight into the implementation the image calls for: quantized when it was
   * quantized (the move is for good, restarts included) or when it holds too many items.
   */
  restore(image: IndexImage, groupsOf: (slot: number, itemId: number) => readonly number[]): void {
    if (this.inner.size() > 0) throw new Error('only an empty index can be restored');
    const live = image.ids.reduce((n, id) => (id === FREE_SLOT ? n : n + 1), 0);
    if (image.encoding === 'f16' || live > this.exactLimit) {
      this.inner = new QuantizedIndex(this.dim, this.options);
      this.exact = undefined;
    }
    this.inner.restore(image, groupsOf);
  }

  private outgrow(): void {
    if (!this.exact || this.exact.size() <= this.exactLimit) return;
    const quantized = new QuantizedIndex(this.dim, this.options);
    quantized.load(this.exact.items());
    this.inner = quantized;
    this.exact = undefined;
  }
}
