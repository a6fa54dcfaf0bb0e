import type { IndexImage } from './image.ts';

/**
 * The vector index the library searches: items (faces, or persons' fused vectors) with one
 * unit-length embedding each, belonging to zero or more groups. Protocol-free: item and
 * group ids are the store's integer row ids; scores are raw cosines.
 *
 * Semantics every implementation keeps (test/index checks them against ExactIndex):
 * - Vectors are L2-normalised by the caller (query too); cosine is their dot product.
 * - Every mutation is visible to the very next search; a removed item is never returned.
 * - `add` is an upsert: adding a known itemId replaces its vector and its groups.
 * - `remove` of an unknown id and `dropGroup` of an unknown group are no-ops.
 * - An item with no groups stays stored but no search reaches it.
 * - `search` merges the requested groups: an item reachable through several of them appears
 *   once, reported with the first requested group (in request order) that holds it.
 * - `searchByGroup` answers each requested group on its own (an item may appear under
 *   several groups); every requested group is a key of the result, in request order, with
 *   an empty list when the group is unknown or empty.
 * - Unknown groups are empty; duplicate group ids in a request count once.
 * - Hits are ordered by cosine descending, then itemId ascending; at most k of them, fewer
 *   when fewer items qualify; `minScore` keeps hits with cosine >= minScore.
 * - The cosine is computed from the stored vector, never from a coarse code; how exact the
 *   stored vector is depends on the implementation (`scoreTolerance`).
 *
 * Ids are integers in [0, 2^31): the store's rowids fit, and typed arrays stay compact.
 */

export interface SearchHit {
  readonly itemId: number;
  readonly groupId: number;
  readonly cosine: number;
}

export interface IndexItem {
  readonly itemId: number;
  readonly groupIds: readonly number[];
  readonly vector: Float32Array;
}

export interface SearchOptions {
  /** Keep only hits with cosine >= minScore. */
  readonly minScore?: number;
}

export interface VectorIndex {
  readonly dim: number;
  /** Largest |reported cosine - f32 cosine| this implementation can produce. */
  readonly scoreTolerance: number;
  /** Number of stored items, whether or not they are in a group. */
  size(): number;
  has(itemId: number): boolean;
  /** Number of items in a group (0 when unknown). */
  groupSize(groupId: number): number;

  add(itemId: number, groupIds: readonly number[], vector: Float32Array): void;
  /** Returns whether the item existed. */
  remove(itemId: number): boolean;
  /** Replaces the item's groups; returns false (and does nothing) for an unknown item. */
  setGroups(itemId: number, groupIds: readonly number[]): boolean;
  /** Removes the group from every item (items stay); returns how many items were in it. */
  dropGroup(groupId: number): number;

  search(query: Float32Array, groupIds: readonly number[], k: number, options?: SearchOptions): SearchHit[];
  searchByGroup(
    query: Float32Array,
    groupIds: readonly number[],
    kPerGroup: number,
    options?: SearchOptions,
  ): Map<number, SearchHit[]>;

  /** Bulk upsert, same result as `add` for each item, built faster (startup from the store). */
  load(items: Iterable<IndexItem>): void;

  /** The stored rows as they are, to be saved (a view: valid until the next change). */
  image(): IndexImage;
  /**
   * Fills an empty index from an image of any implementation: rows in this index's own
   * encoding are taken as they are, so it scores exactly like the index the image came from.
   * Each live item joins the groups `groupsOf` gives for it (membership is not in the image).
   */
  restore(image: IndexImage, groupsOf: (slot: number, itemId: number) => readonly number[]): void;
}
