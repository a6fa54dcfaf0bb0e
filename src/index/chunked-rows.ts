/**
 * Fixed-width rows indexed by slot, in chunks of CHUNK_SLOTS rows: growth allocates one more
 * chunk instead of doubling (and briefly duplicating) a 1 GB array.
 */
const CHUNK_SHIFT = 12;
const CHUNK_SLOTS = 1 << CHUNK_SHIFT;

export class ChunkedRows<A extends Float32Array | Uint16Array> {
  readonly chunkRows = CHUNK_SLOTS;
  private readonly chunks: A[] = [];

  constructor(
    readonly width: number,
    private readonly allocate: (length: number) => A,
  ) {}

  /** The chunk holding the slot's row; the row starts at `offset(slot)`. */
  chunk(slot: number): A {
    return this.chunks[slot >>> CHUNK_SHIFT]!;
  }

  offset(slot: number): number {
    return (slot & (CHUNK_SLOTS - 1)) * this.width;
  }

  ensure(slot: number): void {
    while (this.chunks.length <= slot >>> CHUNK_SHIFT) this.chunks.push(this.allocate(CHUNK_SLOTS * this.width));
  }

  /** The rows of slots [0, count) as views of the chunks. */
  *views(count: number): Generator<A> {
    for (let slot = 0; slot < count; slot += CHUNK_SLOTS) {
      const chunk = this.chunk(slot);
      yield chunk.subarray(0, Math.min(CHUNK_SLOTS, count - slot) * this.width) as A;
    }
  }

  /**
   * Takes `block` as the chunk starting at `slot` when it is exactly one whole next chunk;
   * returns false (keeping nothing) otherwise.
   */
  adopt(slot: number, block: A): boolean {
    if (slot !== this.chunks.length * CHUNK_SLOTS || block.length !== CHUNK_SLOTS * this.width) return false;
    this.chunks.push(block);
    return true;
  }
}
