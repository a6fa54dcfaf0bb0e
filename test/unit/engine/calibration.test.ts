import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import calibration from '../../../src/engine/calibration.json' with { type: 'json' };
import { compareScore, cosineAtFar, cosineForScore } from '../../../src/engine/calibration.ts';

describe('score calibration', () => {
  it('maps the fitted FAR knots onto the published scores', () => {
    for (const [far, score] of [[1e-3, 40], [1e-4, 50], [1e-5, 60], [1e-6, 70], [1e-8, 90]] as const) {
      assert.ok(Math.abs(compareScore(cosineAtFar(far)!) - score) < 1e-9, `FAR ${far}`);
      assert.ok(Math.abs(cosineForScore(score) - cosineAtFar(far)!) < 1e-9);
    }
  });

  it('is monotone and clamped to 0..100', () => {
    let last = -1;
    for (let c = -1.2; c <= 1.2; c += 0.01) {
      const s = compareScore(c);
      assert.ok(s >= last && s >= 0 && s <= 100);
      last = s;
    }
    assert.equal(compareScore(-1), 0);
    assert.equal(compareScore(1), 100);
  });

  it('records quantiles down to FAR 1e-8 with their support', () => {
    const fars = calibration.impostorQuantiles.map((q) => q.far);
    for (const f of [1e-4, 1e-5, 1e-6, 1e-7, 1e-8]) assert.ok(fars.includes(f));
    assert.ok(calibration.fittedOn.impostorPairs > 1e6);
  });
});
