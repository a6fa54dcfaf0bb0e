import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { GENDER_BALANCE_POINT, maleProbability } from '../../src/engine/age-gender.ts';
import { createEngine, type Engine } from '../../src/engine/engine.ts';

const faces = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/faces');
const photo = (rel: string): Uint8Array => new Uint8Array(readFileSync(path.join(faces, rel)));

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

/**
 * Photos the model gets right with a wide margin on eval/gender.ts's run (P(male) in brackets,
 * taken with the final preprocessing); both classes, several ethnicities.
 */
const WOMEN = [
  'Angelina_Jolie/2.jpg', // 0.02
  'Jennifer_Aniston/6.jpg', // 0.01
  'Hillary_Clinton/4.jpg', // 0.01
  'Halle_Berry/7.jpg', // 0.03
  'Michelle_Yeoh/4.jpg', // 0.03
];
const MEN = [
  'George_W_Bush/8.jpg', // 0.97
  'Colin_Powell/10.jpg', // 0.96
  'Denzel_Washington/2.jpg', // 1.00
  'Roh_Moo-hyun/1.jpg', // 1.00
  'Tom_Cruise/10.jpg', // 0.95
];

describe('gender on real photos', () => {
  let engine: Engine;
  before(async () => {
    engine = createEngine({ workers: 1 });
    await engine.ready();
  });
  after(() => engine.close());

  const male = async (rel: string): Promise<number> => {
    const r = await engine.analyze(photo(`lfw-dev/${rel}`), { attributes: true });
    assert.equal(r.faces.length, 1, `one face in ${rel}`);
    const a = r.faces[0]!.attributes!;
    assert.ok(a.age > 10 && a.age < 80, `${rel}: age ${a.age}`);
    return a.male;
  };

  it('calls these women female with a clear margin', async () => {
    for (const rel of WOMEN) {
      const p = await male(rel);
      assert.ok(p < 0.2, `${rel}: P(male) ${p.toFixed(3)}`);
    }
  });

  it('calls these men male with a clear margin', async () => {
    for (const rel of MEN) {
      const p = await male(rel);
      assert.ok(p > 0.8, `${rel}: P(male) ${p.toFixed(3)}`);
    }
  });
});
