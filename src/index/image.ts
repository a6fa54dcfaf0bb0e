/**
 * An index's stored rows as they are, for saving to disk and restoring without re-encoding
 * each vector: restoring 1M faces from their f32 embeddings spent 2.9 s of a 13 s load
 * converting them to f16 again.
 *
 * Row `slot` belongs to item `ids[slot]`, or to nobody when that is -1 (a slot freed by a
 * removal and not reused yet; its row is garbage). Rows come in blocks of consecutive slots,
 * `blockRows` rows each except the last (an index given blocks of its own chunk size adopts
 * them without a copy); an image taken from a live index is a view of it, valid until the
 * index next changes.
 */
export type RowEncoding = 'f32' | 'f16';

export interface IndexImage {
  readonly encoding: RowEncoding;
  /** Dimensions of a vector; a row may hold more values (padding). */
  readonly dim: number;
  /** Values per row (an f16 row is padded to a multiple of 8). */
  readonly width: number;
  readonly blockRows: number;
  readonly ids: Int32Array;
  readonly blocks: Iterable<Float32Array | Uint16Array>;
}

export const FREE_SLOT = -1;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The f32 value of an IEEE 754 half (exact: every half is an f32). */
export function halfToFloat(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0x1f) u32[0] = sign | 0x7f800000 | (mantissa << 13);
  else if (exponent !== 0) u32[0] = sign | ((exponent + 112) << 23) | (mantissa << 13);
  else if (mantissa === 0) u32[0] = sign;
  else return (sign ? -1 : 1) * mantissa * 2 ** -24; // subnormal
  return f32[0]!;
}
