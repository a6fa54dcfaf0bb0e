/**
 * Fixed-width rows indexed by slot, in chunks of CHUNK_SLOTS rows: growth allocates one more
 * chunk instead of doubling (and briefly duplicating) a 1 GB array.
 */
const CHUNK_SHIFT = 12;
const CHUNK_SLOTS = 1 << CHUNK_SHIFT;

export class ChunkedRows<A extends Float32Array | Uint16Array> {
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
}
