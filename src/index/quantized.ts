import { Arena } from './arena.ts';
import { BaseIndex, type Pass } from './base-index.ts';
import { ChunkedRows } from './chunked-rows.ts';
import { CodeBlocks } from './code-blocks.ts';
import type { GroupRows } from './group-table.ts';
import type { Stamps } from './stamps.ts';
import type { TopK } from './topk.ts';
import { WasmKernel } from './wasm-kernel.ts';

/**
 * Two-stage search: 1-bit sign codes (dim/8 bytes a group membership, one contiguous block
 * per group, scanned by the wasm kernel) pick a shortlist by Hamming distance; the shortlist
 * is re-ranked with the f16 vectors (2 bytes a dimension) and the score comes from those,
 * never from the code. Searches covering no more rows than the shortlist skip the first stage.
 *
 * Memory at 512 dimensions: 1,024 B of f16 + 64 B of code per membership + ~60 B of
 * bookkeeping, about 1.1 GB for 1M items (a fresh process holding 1M reported 1.27 GB RSS
 * in all). f16 rows stay in JS chunks (the wasm memory is capped at 4 GB; codes alone fit
 * 60M items there) and are copied in per shortlist. The sign bit of each stored half is the
 * code bit, so a code is rebuilt from the f16 row whenever an item joins a group.
 */
export interface QuantizedOptions {
  /**
   * Rows re-ranked exactly: max(shortlist, shortlistPerK * k) for a merged search; for a
   * per-group search each group gets max(shortlist / groups, shortlistPerK * k).
   */
  readonly shortlist?: number;
  readonly shortlistPerK?: number;
}

/**
 * From bench/index.ts at 1M synthetic faces: shortlists 250 / 500 / 1000 / 2000 all give
 * recall@1 1.0 and find every exact top-10 hit >= 0.4, with recall@10 (near-tie strangers
 * included) 0.66 / 0.70 / 0.75 / 0.81, each 1000 rows adding ~0.5-1 ms.
 */
export const DEFAULT_SHORTLIST = 1000;
const DEFAULT_SHORTLIST_PER_K = 20;
/** Rows re-ranked per kernel call: bounds the scratch memory of an exhaustive search. */
const RERANK_BATCH = 4096;

export class QuantizedIndex extends BaseIndex {
  /**
   * Only the stored vector is rounded (relative error <= 2^-11 a component), so for unit
   * vectors |error| <= 2^-11 * sum |q_i x_i| <= 2^-11; ~1e-5 typical at 512-d (bench).
   */
  readonly scoreTolerance = 2 ** -11;
  protected readonly encoding = 'f16';
  protected readonly rows: ChunkedRows<Uint16Array>;
  private readonly kernel: WasmKernel;
  private readonly arena: Arena;
  private readonly blocks: CodeBlocks;
  private readonly queryCode: Uint8Array;
  private shortlist = DEFAULT_SHORTLIST;
  private shortlistPerK = DEFAULT_SHORTLIST_PER_K;

  constructor(dim: number, options: QuantizedOptions = {}) {
    const kernel = new WasmKernel(dim);
    const arena = new Arena(kernel);
    const vectors = new ChunkedRows(kernel.rowHalves, (length) => new Uint16Array(length));
    const blocks = new CodeBlocks(kernel, arena, (slot, offset) => kernel.writeCode(vectors.chunk(slot), vectors.offset(slot), offset));
    super(dim, blocks);
    this.kernel = kernel;
    this.arena = arena;
    this.rows = vectors;
    this.blocks = blocks;
    this.queryCode = new Uint8Array(kernel.codeBytes);
    this.tune(options);
  }

  /** Changes the recall/latency trade-off from the next search on. */
  tune(options: QuantizedOptions): void {
    this.shortlist = options.shortlist ?? this.shortlist;
    this.shortlistPerK = options.shortlistPerK ?? this.shortlistPerK;
  }

  protected writeVector(slot: number, vector: Float32Array): void {
    this.rows.ensure(slot);
    this.kernel.writeHalves(vector, this.rows.chunk(slot), this.rows.offset(slot));
  }

  /** Copies the slots' f16 rows into kernel memory, a batch at a time, and re-ranks them there. */
  protected scoreSlots(query: Float32Array, slots: Int32Array): Float32Array {
    const scores = new Float32Array(slots.length);
    const width = this.rows.width;
    const batch = Math.min(slots.length, RERANK_BATCH);
    const bytes = batch * (2 * width + 4);
    const rows = this.arena.alloc(bytes);
    const out = rows + 2 * width * batch;
    this.setQuery(query);
    for (let from = 0; from < slots.length; from += batch) {
      const n = Math.min(batch, slots.length - from);
      const memory = this.kernel.view().buffer;
      const into = new Uint16Array(memory, rows, n * width);
      for (let i = 0; i < n; i++) {
        const slot = slots[from + i]!;
        const at = this.rows.offset(slot);
        into.set(this.rows.chunk(slot).subarray(at, at + width), i * width);
      }
      this.kernel.rerank(rows, n, out);
      scores.set(new Float32Array(memory, out, n), from);
    }
    this.arena.release(rows, bytes);
    return scores;
  }

  protected override rank(query: Float32Array, groups: readonly number[], top: TopK, pass: Pass): void {
    // A per-group search shares the shortlist between its groups, as long as each still
    // gets shortlistPerK * k.
    const want = Math.max(Math.ceil(this.shortlist * pass.share), this.shortlistPerK * top.k);
    const present: Present[] = [];
    for (const groupId of groups) {
      const rows = this.groups.rows(groupId);
      if (rows) present.push({ groupId, rows });
    }
    const total = present.reduce((n, p) => n + p.rows.count, 0);
    if (total <= want) {
      super.rank(query, groups, top, pass);
      return;
    }

    // Distances of every searched row, group after group, then the nearest rows of them.
    const scratchBytes = align4(2 * total) + 4 * total;
    const distances = this.arena.alloc(scratchBytes);
    const picked = distances + align4(2 * total);
    this.setQuery(query);
    let start = 0;
    for (const { groupId, rows } of present) {
      this.kernel.scan(this.blocks.offset(groupId), rows.count, distances + 2 * start);
      start += rows.count;
    }
    // An item in several searched groups has a row in each: widen the cut until the
    // shortlist holds `want` distinct items (or every row).
    let rows = want;
    let slots: Int32Array;
    for (;;) {
      const count = this.kernel.select(distances, total, rows, picked);
      slots = distinctSlots(present, new Int32Array(this.kernel.view().buffer, picked, count), pass.seen?.next());
      if (slots.length >= want || count >= total) break;
      rows = Math.min(total, rows * Math.ceil((2 * want) / Math.max(slots.length, 1)));
    }
    this.arena.release(distances, scratchBytes);
    this.offer(query, slots, top, pass.minScore);
  }

  private setQuery(query: Float32Array): void {
    const code = this.queryCode.fill(0);
    for (let i = 0; i < query.length; i++) if (query[i]! < 0 || Object.is(query[i], -0)) code[i >>> 3]! |= 1 << (i & 7);
    this.kernel.setQuery(code, query);
  }
}

interface Present {
  readonly groupId: number;
  readonly rows: GroupRows;
}

/** Slots of the picked row indices (ascending, counted across `present` in order), each once. */
function distinctSlots(present: readonly Present[], picked: Int32Array, seen?: Stamps): Int32Array {
  const out = new Int32Array(picked.length);
  let n = 0;
  let group = 0;
  let start = 0;
  for (const index of picked) {
    while (index >= start + present[group]!.rows.count) start += present[group++]!.rows.count;
    const slot = present[group]!.rows.slots[index - start]!;
    if (!seen || seen.first(slot)) out[n++] = slot;
  }
  return out.subarray(0, n);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
