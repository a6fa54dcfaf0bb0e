import type { ChunkedRows } from './chunked-rows.ts';
import { GroupTable, type RowObserver } from './group-table.ts';
import { FREE_SLOT, halfToFloat, type IndexImage, type RowEncoding } from './image.ts';
import { SlotMap } from './slots.ts';
import { Stamps } from './stamps.ts';
import { TopK } from './topk.ts';
import type { IndexItem, SearchHit, SearchOptions, VectorIndex } from './types.ts';
import { checkId, checkK, checkVector, distinctGroups } from './validate.ts';

/** What one call of `rank` is asked for. */
export interface Pass {
  readonly minScore: number;
  /** Present when several groups are ranked into one top: each item counts once. */
  readonly seen?: Stamps;
  /** This call's fraction of the search's work budget (per-group searches split it). */
  readonly share: number;
}

/**
 * Everything the implementations share: ids -> slots, group membership, the VectorIndex
 * semantics (upsert, dedupe, attribution, ordering, minScore), images. A subclass stores
 * vectors by slot in `rows`, scores a batch of slots against a query, and may override
 * `rank` to skip rows it can rule out.
 */
export abstract class BaseIndex implements VectorIndex {
  abstract readonly scoreTolerance: number;
  protected readonly slots = new SlotMap();
  protected readonly groups: GroupTable;
  private readonly stamps = new Stamps();

  protected constructor(
    readonly dim: number,
    observer?: RowObserver,
  ) {
    this.groups = new GroupTable(observer);
  }

  /** How `rows` holds a vector. */
  protected abstract readonly encoding: RowEncoding;
  protected abstract readonly rows: ChunkedRows<Float32Array | Uint16Array>;
  /** Stores the vector of a slot, replacing what a previous item in that slot left. */
  protected abstract writeVector(slot: number, vector: Float32Array): void;
  /** Cosines of the query with the slots' stored vectors, in the same order. */
  protected abstract scoreSlots(query: Float32Array, slots: Int32Array): ArrayLike<number>;

  size(): number {
    return this.slots.size;
  }

  has(itemId: number): boolean {
    return this.slots.slot(itemId) !== undefined;
  }

  groupSize(groupId: number): number {
    return this.groups.size(groupId);
  }

  add(itemId: number, groupIds: readonly number[], vector: Float32Array): void {
    checkId('item', itemId);
    checkVector(this.dim, vector);
    const groups = distinctGroups(groupIds);
    let slot = this.slots.slot(itemId);
    if (slot === undefined) slot = this.slots.allocate(itemId);
    else this.groups.clear(slot); // rows derived from the old vector must go with it
    this.writeVector(slot, vector);
    this.groups.assign(slot, groups);
  }

  remove(itemId: number): boolean {
    const slot = this.slots.release(itemId);
    if (slot === undefined) return false;
    this.groups.clear(slot);
    return true;
  }

  setGroups(itemId: number, groupIds: readonly number[]): boolean {
    const groups = distinctGroups(groupIds);
    const slot = this.slots.slot(itemId);
    if (slot === undefined) return false;
    this.groups.assign(slot, groups);
    return true;
  }

  dropGroup(groupId: number): number {
    return this.groups.drop(groupId).length;
  }

  load(items: Iterable<IndexItem>): void {
    for (const item of items) this.add(item.itemId, item.groupIds, item.vector);
  }

  image(): IndexImage {
    const ids = this.slots.ids();
    const { encoding, rows } = this;
    return { encoding, dim: this.dim, width: rows.width, blockRows: rows.chunkRows, ids, blocks: rows.views(ids.length) };
  }

  restore(image: IndexImage, groupsOf: (slot: number, itemId: number) => readonly number[]): void {
    if (this.slots.highWater > 0) throw new Error('only an empty index can be restored');
    const { ids } = image;
    this.slots.restore(ids);
    this.restoreRows(image);
    for (let slot = 0; slot < ids.length; slot++) {
      const itemId = ids[slot]!;
      if (itemId !== FREE_SLOT) this.groups.assign(slot, distinctGroups(groupsOf(slot, itemId)));
    }
  }

  search(query: Float32Array, groupIds: readonly number[], k: number, options?: SearchOptions): SearchHit[] {
    checkVector(this.dim, query);
    checkK(k);
    const groups = distinctGroups(groupIds);
    const top = new TopK(k);
    const seen = groups.length > 1 ? this.stamps.next() : undefined;
    this.rank(query, groups, top, { minScore: options?.minScore ?? -Infinity, seen, share: 1 });
    return top.sorted().map((hit) => ({ ...hit, groupId: this.firstGroup(hit.itemId, groups) }));
  }

  searchByGroup(
    query: Float32Array,
    groupIds: readonly number[],
    kPerGroup: number,
    options?: SearchOptions,
  ): Map<number, SearchHit[]> {
    checkVector(this.dim, query);
    checkK(kPerGroup);
    const groups = distinctGroups(groupIds);
    const pass = { minScore: options?.minScore ?? -Infinity, share: 1 / groups.length };
    const out = new Map<number, SearchHit[]>();
    for (const groupId of groups) {
      const top = new TopK(kPerGroup);
      this.rank(query, [groupId], top, pass);
      out.set(groupId, top.sorted().map((hit) => ({ ...hit, groupId })));
    }
    return out;
  }

  /**
   * Offers to `top` every item of `groups` scoring >= pass.minScore (once each when
   * pass.seen is given); an override may leave out rows it knows cannot make the top.
   */
  protected rank(query: Float32Array, groups: readonly number[], top: TopK, pass: Pass): void {
    const { seen, minScore } = pass;
    for (const groupId of groups) {
      const rows = this.groups.rows(groupId);
      if (!rows) continue;
      const slots = rows.slots.subarray(0, rows.count);
      this.offer(query, seen ? slots.filter((slot) => seen.first(slot)) : slots, top, minScore);
    }
  }

  /** Scores the slots and offers those scoring >= minScore. */
  protected offer(query: Float32Array, slots: Int32Array, top: TopK, minScore: number): void {
    const scores = this.scoreSlots(query, slots);
    for (let i = 0; i < slots.length; i++) {
      const cosine = scores[i]!;
      if (cosine >= minScore && top.admits(cosine)) top.offer(cosine, this.slots.item(slots[i]!), -1);
    }
  }

  /** Rows in this index's own form are taken as they are; others go through `writeVector`. */
  private restoreRows(image: IndexImage): void {
    const native = image.encoding === this.encoding && image.width === this.rows.width;
    if (image.dim !== this.dim || image.width < this.dim) throw new Error(`image of ${image.dim}-d vectors, the index holds ${this.dim}-d`);
    const vector = new Float32Array(this.dim);
    let slot = 0;
    for (const block of image.blocks) {
      const count = block.length / image.width;
      if (!Number.isInteger(count) || slot + count > image.ids.length) throw new Error('image rows do not match its ids');
      if (native && this.rows.adopt(slot, block)) {
        slot += count;
        continue;
      }
      for (let row = 0; row < count; row++, slot++) {
        const at = row * image.width;
        if (image.ids[slot] === FREE_SLOT) continue;
        if (native) {
          this.rows.ensure(slot);
          this.rows.chunk(slot).set(block.subarray(at, at + image.width), this.rows.offset(slot));
          continue;
        }
        for (let i = 0; i < this.dim; i++) vector[i] = image.encoding === 'f16' ? halfToFloat(block[at + i]!) : block[at + i]!;
        this.writeVector(slot, vector);
      }
    }
    if (slot !== image.ids.length) throw new Error(`image has rows for ${slot} of its ${image.ids.length} slots`);
    if (slot > 0) this.rows.ensure(slot - 1);
  }

  private firstGroup(itemId: number, groups: readonly number[]): number {
    const slot = this.slots.slot(itemId)!;
    return groups.find((g) => this.groups.contains(slot, g))!;
  }
}
