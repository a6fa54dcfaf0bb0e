import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxBack, pointBack, turnClockwise, type QuarterTurns } from '../../../src/engine/quarter-turns.ts';

// A 3×2 image whose pixel values encode their own coordinates.
const w = 3;
const h = 2;
const data = new Uint8Array(w * h * 3);
for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x, y, 7], (y * w + x) * 3);
const src = { data, width: w, height: h };

for (const q of [1, 2, 3] as QuarterTurns[]) {
  test(`a turn of ${q * 90}° moves every pixel where pointBack says it came from`, () => {
    const t = turnClockwise(src, q);
    assert.deepEqual([t.width, t.height], q === 2 ? [w, h] : [h, w]);
    for (let v = 0; v < t.height; v++) {
      for (let u = 0; u < t.width; u++) {
        // pixel centres: (u + 0.5, v + 0.5) in the turned frame
        const [x, y] = pointBack(q, w, h, [u + 0.5, v + 0.5]);
        const o = (v * t.width + u) * 3;
        assert.deepEqual([t.data[o], t.data[o + 1], t.data[o + 2]], [Math.floor(x), Math.floor(y), 7], `${u},${v}`);
      }
    }
  });
}

test('boxBack keeps a box covering the same pixels', () => {
  // the whole turned image maps back to the whole original
  for (const q of [1, 2, 3] as QuarterTurns[]) {
    const t = turnClockwise(src, q);
    assert.deepEqual(boxBack(q, w, h, { x: 0, y: 0, width: t.width, height: t.height }), { x: 0, y: 0, width: w, height: h });
  }
});
