import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaceLike } from '../../../bench/index-faces.ts';
import { halfToFloat } from '../../../src/index/image.ts';
import type { IndexImage, VectorIndex } from '../../../src/index/index.ts';
import { implementations } from './implementations.ts';

/**
 * An image restored into a fresh index answers every search like the index it was taken
 * from: exactly (same items, same cosines) when both store rows the same way, within the
 * coarser one's tolerance across encodings. Items are removed before the image is taken, so
 * it has free slots, and the library outgrows one 4,096-row chunk, so whole chunks are
 * adopted and the partial last one copied.
 */
const DIM = 64;
const GROUPS = 6;

function populate(index: VectorIndex, gen: FaceLike, n: number): Map<number, number[]> {
  const groupsOf = new Map<number, number[]>();
  const identities = Array.from({ length: 400 }, () => gen.identity());
  for (let id = 0; id < n; id++) {
    const groups = [...new Set(Array.from({ length: 1 + gen.int(2) }, () => gen.int(GROUPS)))];
    index.add(id * 3 + 1, groups, gen.face(identities[id % identities.length]!));
    groupsOf.set(id * 3 + 1, groups);
  }
  for (let id = 0; id < n; id += 7) {
    index.remove(id * 3 + 1);
    groupsOf.delete(id * 3 + 1);
  }
  return groupsOf;
}

const materialise = (image: IndexImage): IndexImage => ({ ...image, ids: image.ids.slice(), blocks: [...image.blocks].map((b) => b.slice()) });

for (const from of implementations) {
  for (const to of implementations) {
    describe(`index image: ${from.name} -> ${to.name}`, () => {
      it('restores every live item with its groups and scores', () => {
        const gen = new FaceLike(DIM, 99);
        const source = from.create(DIM);
        const groupsOf = populate(source, gen, 4500);
        const target = to.create(DIM);
        target.restore(materialise(source.image()), (_slot, itemId) => groupsOf.get(itemId)!);

        assert.equal(target.size(), source.size());
        for (let g = 0; g < GROUPS; g++) assert.equal(target.groupSize(g), source.groupSize(g));
        // k past every row makes even the quantised index score all of them (no shortlist):
        // the whole ranking, every item with its cosine and group, is compared.
        const all = source.size();
        const same = source.image().encoding === target.image().encoding;
        const tolerance = Math.max(source.scoreTolerance, target.scoreTolerance) * 2;
        for (let q = 0; q < 3; q++) {
          const query = gen.randomUnit();
          const groups = [gen.int(GROUPS), gen.int(GROUPS), gen.int(GROUPS)];
          const want = source.search(query, groups, all);
          const got = target.search(query, groups, all);
          if (same) assert.deepEqual(got, want);
          else {
            const cosineOf = new Map(want.map((h) => [h.itemId, h.cosine]));
            assert.equal(got.length, want.length);
            for (const hit of got) assert.ok(Math.abs(hit.cosine - cosineOf.get(hit.itemId)!) <= tolerance);
          }
        }
      });

      it('keeps taking changes after a restore', () => {
        const gen = new FaceLike(DIM, 5);
        const source = from.create(DIM);
        const groupsOf = populate(source, gen, 300);
        const target = to.create(DIM);
        target.restore(materialise(source.image()), (_slot, itemId) => groupsOf.get(itemId)!);
        const v = gen.randomUnit();
        target.add(2, [0], v); // an id the image does not hold, into a freed slot
        assert.equal(target.remove(4), true);
        assert.equal(target.has(4), false);
        assert.equal(target.size(), source.size());
        assert.equal(target.search(v, [0], 1)[0]!.itemId, 2);
        assert.ok(!target.search(v, [0, 1, 2, 3, 4, 5], 400).some((h) => h.itemId === 4));
      });
    });
  }
}

describe('index image checks', () => {
  const gen = new FaceLike(DIM, 3);
  const make = () => implementations[1]!.create(DIM);

  it('refuses to restore into an index that has ever held items', () => {
    const source = make();
    populate(source, gen, 10);
    const target = make();
    target.add(1, [0], gen.randomUnit());
    target.remove(1);
    assert.throws(() => target.restore(source.image(), () => [0]), /empty/);
  });

  it('refuses an image whose rows do not match its ids, or whose ids repeat', () => {
    const source = make();
    populate(source, gen, 10);
    const image = materialise(source.image());
    assert.throws(() => make().restore({ ...image, ids: image.ids.subarray(1) }, () => [0]), /rows/);
    const twice = image.ids.slice();
    twice[2] = twice[1]!; // slot 0 is free: populate removed its item
    assert.throws(() => make().restore({ ...image, ids: twice }, () => [0]), /twice/);
  });

  it('decodes halves exactly', () => {
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0xc000), -2);
    assert.equal(halfToFloat(0x3555), 0.333251953125);
    assert.equal(halfToFloat(0x0001), 2 ** -24);
    assert.equal(halfToFloat(0x7bff), 65504);
    assert.ok(Object.is(halfToFloat(0x8000), -0));
    assert.equal(halfToFloat(0x7c00), Infinity);
  });
});
