import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { F16_TO_F32, writeF16 } from '../../src/index/f16.ts';

const halves = (values: number[]) => {
  const out = new Uint16Array(values.length);
  writeF16(Float32Array.from(values), out, 0);
  return out;
};

describe('f16 storage', () => {
  it('keeps representable values, signs and zeros exactly', () => {
    const exact = [0, -0, 1, -1, 0.5, -0.25, 2 ** -14, -(2 ** -24), 1 + 2 ** -10, 65504];
    const back = Array.from(halves(exact), (h) => F16_TO_F32[h]!);
    assert.deepEqual(back, exact);
  });

  it('rounds to nearest within 2^-11 relative (2^-25 absolute below the normal range)', () => {
    const values: number[] = [];
    for (let i = 0; i < 20000; i++) values.push((Math.random() - 0.5) * 2 ** (-30 + 31 * Math.random()));
    values.push(1 - 2 ** -12, 2 ** -14 - 2 ** -26, 2 ** -25 * 1.5);
    const stored = Float32Array.from(values); // what the index is given
    halves(values).forEach((h, i) => {
      const x = stored[i]!;
      const error = Math.abs(F16_TO_F32[h]! - x);
      assert.ok(error <= Math.max(Math.abs(x) * 2 ** -11, 2 ** -25), `${x} -> ${F16_TO_F32[h]}`);
    });
  });

  it('writes at an offset and leaves the rest alone', () => {
    const out = new Uint16Array(6).fill(7);
    writeF16(Float32Array.from([1, -2]), out, 3);
    assert.deepEqual(Array.from(out), [7, 7, 7, 0x3c00, 0xc000, 7]);
  });
});
