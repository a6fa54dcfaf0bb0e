import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { facesDir } from '../support/faces.ts';

// maleProbability itself is checked in test/unit/engine/male-probability.test.ts.
const photo = (rel: string): Uint8Array => new Uint8Array(readFileSync(path.join(facesDir, rel)));

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
