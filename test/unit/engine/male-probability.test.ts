import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GENDER_BALANCE_POINT, maleProbability } from '../../../src/engine/age-gender.ts';

describe('maleProbability: recalibration of fr_gender', () => {
  it('reads the balanced-error point as 0.5 and keeps the ends and the order', () => {
    assert.ok(Math.abs(maleProbability(GENDER_BALANCE_POINT) - 0.5) < 1e-12);
    assert.equal(maleProbability(0), 0);
    assert.equal(maleProbability(1), 1);
    assert.equal(maleProbability(1.1), 1, 'raw output above 1 is clamped');
    assert.equal(maleProbability(-0.05), 0);
    assert.equal(maleProbability(Number.NaN), 0.5, 'a non-finite output is undecided');
    let prev = -1;
    for (let r = 0; r <= 1.0001; r += 0.01) {
      const p = maleProbability(r);
      assert.ok(p > prev || (p === prev && p === 1), `monotone at ${r}`);
      prev = p;
    }
    // a raw 0.6 (what the uncorrected model called male) is below the balance point: female
    assert.ok(maleProbability(0.6) < 0.5);
  });
});
