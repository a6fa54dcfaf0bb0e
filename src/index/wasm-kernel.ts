import wabt from 'wabt';

/**
 * The quantised index's inner loops, in WebAssembly SIMD:
 * - `scan`: Hamming distance from the query's sign code to a block of sign codes, 1M x 512
 *   bits in ~4 ms. No maintained package does this from Node 20: usearch's exactSearch takes
 *   only f64/f32/i8 queries and costs ~10 ns a row even at 64 dimensions (~10 ms per 1M).
 * - `select`: the rows under a distance cut-off, found from the histogram `scan` keeps
 *   (1M distances in ~0.2 ms: blocks of 8 with none under the cut are skipped at once).
 * - `rerank`: dot products of the f32 query with f16 rows (widened in SIMD), ~6x faster
 *   than a table-lookup loop in TypeScript (1.3 us a 512-d row).
 * - `halves`: f32 -> f16 with round-to-nearest-even, for storing rows: replacing a
 *   bit-twiddling loop in TypeScript took an add from 4.7 to 4.0 us (512-d).
 * - `signs`: the sign code of an f16 row, one `i16x8.bitmask` a code byte: a TypeScript
 *   loop over the halves' sign bits was 0.9 s of a 3.3 s restore of 1M faces.
 * A wasm function reads only its own linear memory, so codes and scratch live there.
 *
 * The text is generated per dimension, so the query code sits in locals and the code loop is
 * unrolled (25 % faster than looping over 16-byte chunks), then assembled by wabt at import
 * (~30 ms, once per dimension).
 */

/** The slice of the WebAssembly API used here: tsconfig's libs (ES2023, node) do not type it. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (binary: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const wat = await wabt();
const compiled = new Map<number, object>();

/** Per-lane i8 sums take at most 8 per 16-byte chunk: 31 chunks keep them below 256. */
const MAX_CODE_BYTES = 496;
const MAX_DIM = MAX_CODE_BYTES * 8;
const PAGE = 65536;
// Memory layout: query code at 0, distance histogram, query as f32, a row being converted
// (f32 in, f16 out), then the arena.
const HIST_OFFSET = 512;

export class WasmKernel {
  /** Bytes of a sign code: dim bits rounded up to 16-byte SIMD lanes (padding bits are 0). */
  readonly codeBytes: number;
  /** Halves of a stored row: dim rounded up to 8 (padding is 0). */
  readonly rowHalves: number;
  /** First byte the arena may use. */
  readonly reserved: number;
  private readonly memory: WasmMemory;
  private readonly queryOffset: number;
  private readonly convertIn: number;
  private readonly convertOut: number;
  private readonly histLength: number;
  private readonly scanRows: (codes: number, n: number, out: number) => void;
  private readonly selectRows: (dist: number, n: number, cut: number, ties: number, dst: number) => number;
  private readonly rerankRows: (rows: number, n: number, out: number) => void;
  private readonly halves: (src: number, dst: number, n: number) => void;
  private readonly signs: (src: number, dst: number, n: number) => void;
  private bytes: Uint8Array;

  constructor(readonly dim: number) {
    if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) throw new RangeError(`dim must be 1..${MAX_DIM}: ${dim}`);
    this.codeBytes = Math.ceil(dim / 128) * 16;
    this.rowHalves = Math.ceil(dim / 8) * 8;
    this.histLength = this.codeBytes * 8 + 1;
    this.queryOffset = Math.ceil((HIST_OFFSET + 4 * this.histLength) / 16) * 16;
    this.convertIn = this.queryOffset + 4 * this.rowHalves;
    this.convertOut = this.convertIn + 4 * this.rowHalves;
    this.reserved = this.convertOut + 2 * this.rowHalves;
    let module = compiled.get(dim);
    if (!module) {
      const text = kernelText(this.codeBytes, this.rowHalves, this.queryOffset);
      const parsed = wat.parseWat(`kernel${dim}.wat`, text, { simd: true });
      module = new Module(parsed.toBinary({}).buffer);
      parsed.destroy();
      compiled.set(dim, module);
    }
    const exports = new Instance(module, {}).exports;
    this.memory = exports['memory'] as WasmMemory;
    this.scanRows = exports['scan'] as WasmKernel['scanRows'];
    this.selectRows = exports['select'] as WasmKernel['selectRows'];
    this.rerankRows = exports['rerank'] as WasmKernel['rerankRows'];
    this.halves = exports['halves'] as WasmKernel['halves'];
    this.signs = exports['signs'] as WasmKernel['signs'];
    this.bytes = new Uint8Array(this.memory.buffer);
  }

  /** The memory as bytes; a fresh view after growth (growing detaches the old buffer). */
  view(): Uint8Array {
    if (this.bytes.byteLength === 0) this.bytes = new Uint8Array(this.memory.buffer);
    return this.bytes;
  }

  ensureCapacity(byteLength: number): void {
    const missing = byteLength - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
  }

  /** Sets the query of the next scans and reranks, and zeroes the distance histogram. */
  setQuery(code: Uint8Array, vector: Float32Array): void {
    const bytes = this.view();
    bytes.set(code, 0);
    bytes.fill(0, HIST_OFFSET, this.reserved);
    new Float32Array(bytes.buffer, this.queryOffset, vector.length).set(vector);
  }

  /** Distances of `n` code rows at `codes` to the query, as u16 at `out`, counted in the histogram. */
  scan(codes: number, n: number, out: number): void {
    this.scanRows(codes, n, out);
  }

  /**
   * Picks the `want` nearest of the `n` distances at `dist` (list order among equal
   * distances), writes their indices as i32 at `dst` and returns how many.
   */
  select(dist: number, n: number, want: number, dst: number): number {
    const hist = new Uint32Array(this.memory.buffer, HIST_OFFSET, this.histLength);
    let below = 0;
    let cut = 0;
    while (cut < hist.length - 1 && below + hist[cut]! < want) below += hist[cut++]!;
    return this.selectRows(dist, n, cut, want - below, dst);
  }

  /** Writes the vector as `rowHalves` halves (zero padded) into `dst` from `at`. */
  writeHalves(vector: Float32Array, dst: Uint16Array, at: number): void {
    const buffer = this.view().buffer;
    new Float32Array(buffer, this.convertIn, vector.length).set(vector); // padding stays 0: never written
    this.halves(this.convertIn, this.convertOut, this.rowHalves);
    dst.set(new Uint16Array(buffer, this.convertOut, this.rowHalves), at);
  }

  /**
   * Writes the sign code of the f16 row at `row[at]` to `dst` in kernel memory: bit i set when
   * half i is negative (its sign bit), padding bytes past the row's 0.
   */
  writeCode(row: Uint16Array, at: number, dst: number): void {
    const bytes = this.view();
    new Uint16Array(bytes.buffer, this.convertOut, this.rowHalves).set(row.subarray(at, at + this.rowHalves));
    this.signs(this.convertOut, dst, this.rowHalves);
    bytes.fill(0, dst + this.rowHalves / 8, dst + this.codeBytes);
  }

  /** Cosines of the query with `n` f16 rows of `rowHalves` at `rows`, as f32 at `out`. */
  rerank(rows: number, n: number, out: number): void {
    this.rerankRows(rows, n, out);
  }
}

function kernelText(codeBytes: number, rowHalves: number, queryOffset: number): string {
  const chunks = Array.from({ length: codeBytes / 16 }, (_, i) => i);
  const popcounts = chunks.map(
    (i) => `(i8x16.popcnt (v128.xor (v128.load offset=${i * 16} (local.get $row)) (local.get $q${i})))`,
  );
  const splat = (value: string) => `(v128.const i32x4 ${value} ${value} ${value} ${value})`;
  // f16 -> f32 for four halves widened to i32 lanes in $w: move exponent and mantissa into
  // place, rescale by 2^112 (this also makes f16 subnormals exact), then put the sign back.
  const half = `(v128.or
      (f32x4.mul (i32x4.shl (v128.and (local.get $w) ${splat('0x7fff')}) (i32.const 13)) (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112))
      (i32x4.shl (v128.and (local.get $w) ${splat('0x8000')}) (i32.const 16)))`;
  // f32 -> f16 for the four floats in $f into $target (ryg's float_to_half_fast3, in SIMD):
  // normal range by rebiasing with round-to-nearest-even, below 2^-14 by letting an f32 add
  // to 0.5 round the subnormal, beyond the f16 range clamped to its largest finite value.
  const toHalf = (target: string) => `
        (local.set $sign (v128.and (local.get $f) ${splat('0x80000000')}))
        (local.set $abs (v128.xor (local.get $f) (local.get $sign)))
        (local.set ${target} (v128.or (i32x4.shr_u (local.get $sign) (i32.const 16))
          (v128.bitselect
            (i32x4.sub (f32x4.add (local.get $abs) (v128.const f32x4 0.5 0.5 0.5 0.5)) ${splat('0x3f000000')})
            (v128.bitselect
              ${splat('0x7bff')}
              (i32x4.shr_u
                (i32x4.add (i32x4.add (local.get $abs) ${splat('0xc8000fff')})
                  (v128.and (i32x4.shr_u (local.get $abs) (i32.const 13)) ${splat('1')}))
                (i32.const 13))
              (i32x4.ge_u (local.get $abs) ${splat('0x47800000')}))
            (i32x4.lt_u (local.get $abs) ${splat('0x38800000')}))))`;
  const multiplyAdd = (widen: string, queryByteOffset: number) => `
        (local.set $w (${widen} (local.get $h)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul ${half}
          (v128.load offset=${queryOffset + queryByteOffset} (i32.shl (local.get $j) (i32.const 1))))))`;
  return `
(module
  (memory (export "memory") 1)
  (func (export "scan") (param $row i32) (param $n i32) (param $out i32)
    (local $i i32) (local $acc v128) (local $d i32) (local $h i32) ${chunks.map((i) => `(local $q${i} v128)`).join(' ')}
    ${chunks.map((i) => `(local.set $q${i} (v128.load offset=${i * 16} (i32.const 0)))`).join('\n    ')}
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u
          ${popcounts.reduce((sum, term) => `(i8x16.add ${sum} ${term})`)})))
        (local.set $d
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (i32.store16 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 1))) (local.get $d))
        (local.set $h (i32.add (i32.const ${HIST_OFFSET}) (i32.shl (local.get $d) (i32.const 2))))
        (i32.store (local.get $h) (i32.add (i32.load (local.get $h)) (i32.const 1)))
        (local.set $row (i32.add (local.get $row) (i32.const ${codeBytes})))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Indices i < n with dist[i] < cut, then the first $ties with dist[i] = cut, in list order.
  ;; Few rows qualify, so blocks of 8 distances with none <= cut are skipped in one compare.
  (func (export "select") (param $dist i32) (param $n i32) (param $cut i32) (param $ties i32) (param $dst i32)
    (result i32)
    (local $i i32) (local $end i32) (local $d i32) (local $count i32) (local $cuts v128)
    (local.set $cuts (i16x8.splat (local.get $cut)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $end (i32.add (local.get $i) (i32.const 8)))
        (if (i32.and
              (i32.le_u (local.get $end) (local.get $n))
              (i32.eqz (v128.any_true (i16x8.le_u
                (v128.load (i32.add (local.get $dist) (i32.shl (local.get $i) (i32.const 1))))
                (local.get $cuts)))))
          (then
            (local.set $i (local.get $end))
            (br $blocks)))
        (if (i32.gt_u (local.get $end) (local.get $n)) (then (local.set $end (local.get $n))))
        (loop $rows
          (local.set $d (i32.load16_u (i32.add (local.get $dist) (i32.shl (local.get $i) (i32.const 1)))))
          (if (i32.or (i32.lt_u (local.get $d) (local.get $cut))
                      (i32.and (i32.eq (local.get $d) (local.get $cut)) (i32.gt_s (local.get $ties) (i32.const 0))))
            (then
              (if (i32.eq (local.get $d) (local.get $cut))
                (then (local.set $ties (i32.sub (local.get $ties) (i32.const 1)))))
              (i32.store (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 2))) (local.get $i))
              (local.set $count (i32.add (local.get $count) (i32.const 1)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $i) (local.get $end))))
        (br $blocks)))
    (local.get $count))

  ;; out[i] = dot(query, f16 row i), the query being f32 at ${queryOffset}; $j walks row bytes.
  (func (export "rerank") (param $row i32) (param $n i32) (param $out i32)
    (local $i i32) (local $j i32) (local $h v128) (local $w v128) (local $acc v128)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (loop $dims
          (local.set $h (v128.load (i32.add (local.get $row) (local.get $j))))
          ${multiplyAdd('i32x4.extend_low_i16x8_u', 0)}
          ${multiplyAdd('i32x4.extend_high_i16x8_u', 16)}
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $dims (i32.lt_u (local.get $j) (i32.const ${rowHalves * 2}))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $row (i32.add (local.get $row) (i32.const ${rowHalves * 2})))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; dst[i] = f16(src[i]) for i < n (a multiple of 8), eight at a time.
  (func (export "halves") (param $src i32) (param $dst i32) (param $n i32)
    (local $i i32) (local $f v128) (local $sign v128) (local $abs v128) (local $lo v128) (local $hi v128)
    (block $done
      (loop $eights
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $f (v128.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        ${toHalf('$lo')}
        (local.set $f (v128.load offset=16 (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        ${toHalf('$hi')}
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 1)))
          (i16x8.narrow_i32x4_u (local.get $lo) (local.get $hi)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $eights))))

  ;; dst[i / 8] = sign bits of the halves src[i..i+8) for i < n (a multiple of 8).
  (func (export "signs") (param $src i32) (param $dst i32) (param $n i32)
    (local $i i32)
    (block $done
      (loop $eights
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (i32.add (local.get $dst) (i32.shr_u (local.get $i) (i32.const 3)))
          (i16x8.bitmask (v128.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1))))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $eights)))))`;
}
