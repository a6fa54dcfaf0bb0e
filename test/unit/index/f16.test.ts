import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasmKernel } from '../../../src/index/wasm-kernel.ts';

/** Reference decoder, written from the IEEE 754 binary16 layout (the index decodes in wasm). */
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Stores `values` as one row of halves through the kernel (rows pad to a multiple of 8). */
function halves(values: number[]): Uint16Array {
  const kernel = new WasmKernel(values.length);
  const out = new Uint16Array(kernel.rowHalves);
  kernel.writeHalves(Float32Array.from(values), out, 0);
  return out;
}

describe('f16 storage', () => {
  it('keeps representable values, signs and zeros exactly, and pads with zeros', () => {
    const exact = [0, -0, 1, -1, 0.5, -0.25, 2 ** -14, -(2 ** -24), 1 + 2 ** -10, 65504, 3 * 2 ** -20];
    const stored = halves(exact);
    assert.deepEqual(Array.from(stored.subarray(0, exact.length), halfValue), exact);
    assert.equal(stored.length, 16);
    assert.deepEqual(Array.from(stored.subarray(exact.length)), [0, 0, 0, 0, 0]);
  });

  it('rounds to nearest, ties to even: within 2^-11 relative, 2^-25 absolute below 2^-14', () => {
    const values: number[] = [];
    for (let i = 0; i < 3000; i++) values.push((Math.random() - 0.5) * 2 ** (-30 + 31 * Math.random()));
    values.push(1 - 2 ** -12, 2 ** -14 - 2 ** -26, 2 ** -25 * 1.5, 1 + 2 ** -11, 1 + 3 * 2 ** -11);
    const stored = Float32Array.from(values); // what the index is given
    const out = halves(values);
    stored.forEach((x, i) => {
      const error = Math.abs(halfValue(out[i]!) - x);
      assert.ok(error <= Math.max(Math.abs(x) * 2 ** -11, 2 ** -25), `${x} -> ${halfValue(out[i]!)}`);
    });
    const n = values.length;
    assert.equal(halfValue(out[n - 2]!), 1, 'a tie rounds to the even mantissa (down)');
    assert.equal(halfValue(out[n - 1]!), 1 + 2 * 2 ** -10, 'a tie rounds to the even mantissa (up)');
  });

  it('writes at an offset and leaves the rest alone', () => {
    const kernel = new WasmKernel(8);
    const out = new Uint16Array(12).fill(7);
    kernel.writeHalves(Float32Array.from([1, -2, 0, 0, 0, 0, 0, 0]), out, 3);
    assert.deepEqual(Array.from(out), [7, 7, 7, 0x3c00, 0xc000, 0, 0, 0, 0, 0, 0, 7]);
  });
});
