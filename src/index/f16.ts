/**
 * IEEE half-precision storage for re-ranking: 2 bytes a dimension instead of 4. Rounding is
 * to nearest, so each component's relative error is <= 2^-11 (subnormals, below 6e-5, keep an
 * absolute error <= 2^-25).
 */

/** Writes `src` as halves into `dst` from `at` (reading the f32 bits directly: no scratch float). */
export function writeF16(src: Float32Array, dst: Uint16Array, at: number): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) dst[at + i] = halfBits(bits[i]!);
}

function halfBits(b: number): number {
  const sign = (b >>> 16) & 0x8000;
  const exponent = ((b >>> 23) & 0xff) - 112; // rebias 127 -> 15
  const mantissa = b & 0x7fffff;
  if (exponent >= 31) return sign | 0x7bff; // too large for unit vectors: clamp, never infinity
  if (exponent > 0) return sign | ((exponent << 10) + ((mantissa + 0x1000) >>> 13)); // a carry bumps the exponent, as it should
  if (exponent < -10) return sign;
  const shift = 14 - exponent; // subnormal: the implicit 1 becomes explicit
  return sign | (((mantissa | 0x800000) + (1 << (shift - 1))) >>> shift);
}

/** Every half value as f32, so decoding a row is one table load per dimension. */
export const F16_TO_F32: Float32Array = (() => {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    table[h] =
      exponent === 0
        ? sign * mantissa * 2 ** -24
        : exponent === 31
          ? (mantissa ? NaN : sign * Infinity)
          : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
})();
