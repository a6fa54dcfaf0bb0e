import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaceLike } from '../../../bench/index-faces.ts';
import { implementations } from './implementations.ts';

const DIM = 512;

for (const { name, create } of implementations) {
  describe(`vector index edge cases: ${name}`, () => {
    const gen = new FaceLike(DIM, 7);
    const [a, b, c] = [gen.randomUnit(), gen.randomUnit(), gen.randomUnit()];
    const ids = (hits: { itemId: number }[]) => hits.map((h) => h.itemId);

    it('answers empty on an empty index and on unknown groups', () => {
      const index = create(DIM);
      assert.equal(index.size(), 0);
      assert.deepEqual(index.search(a, [1, 2], 10), []);
      assert.deepEqual([...index.searchByGroup(a, [1, 2], 5)], [[1, []], [2, []]]);
      index.add(1, [1], a);
      assert.deepEqual(index.search(a, [9], 10), []);
      assert.deepEqual(index.search(a, [], 10), []);
      assert.equal(index.groupSize(9), 0);
    });

    it('returns the whole group, best first, when k is larger', () => {
      const index = create(DIM);
      index.add(3, [1], c);
      index.add(1, [1], a);
      index.add(2, [1], b);
      const hits = index.search(a, [1], 10);
      assert.equal(hits.length, 3);
      assert.equal(hits[0]!.itemId, 1);
      assert.ok(Math.abs(hits[0]!.cosine - 1) < 1e-4);
      assert.ok(hits[1]!.cosine >= hits[2]!.cosine);
      assert.deepEqual(new Set(hits.map((h) => h.groupId)), new Set([1]));
    });

    it('treats a second add of an id as a replacement of its vector and groups', () => {
      const index = create(DIM);
      index.add(1, [1], a);
      index.add(1, [2], b);
      assert.equal(index.size(), 1);
      assert.deepEqual(index.search(a, [1], 5), []);
      const [hit] = index.search(b, [2], 5);
      assert.equal(hit!.itemId, 1);
      assert.ok(Math.abs(hit!.cosine - 1) < 1e-4);
    });

    it('ignores removal of unknown ids and never returns a removed item', () => {
      const index = create(DIM);
      assert.equal(index.remove(42), false);
      index.add(1, [1], a);
      index.add(2, [1], b);
      assert.equal(index.remove(1), true);
      assert.equal(index.remove(1), false);
      assert.equal(index.has(1), false);
      assert.deepEqual(ids(index.search(a, [1], 10)), [2]);
      assert.equal(index.groupSize(1), 1);
    });

    it('moves items between groups and keeps group-less items unreachable', () => {
      const index = create(DIM);
      assert.equal(index.setGroups(5, [1]), false);
      index.add(1, [1], a);
      assert.equal(index.setGroups(1, [2, 3]), true);
      assert.deepEqual(index.search(a, [1], 5), []);
      assert.deepEqual(ids(index.search(a, [3], 5)), [1]);
      index.setGroups(1, []);
      assert.equal(index.has(1), true);
      assert.deepEqual(index.search(a, [1, 2, 3], 5), []);
      index.add(2, [], b);
      assert.equal(index.size(), 2);
      assert.deepEqual(index.search(b, [1, 2, 3], 5), []);
    });

    it('drops a group but keeps its items in their other groups', () => {
      const index = create(DIM);
      index.add(1, [1, 2], a);
      index.add(2, [1], b);
      assert.equal(index.dropGroup(7), 0);
      assert.equal(index.dropGroup(1), 2);
      assert.equal(index.size(), 2);
      assert.deepEqual(index.search(a, [1], 5), []);
      assert.deepEqual(ids(index.search(a, [2], 5)), [1]);
      index.add(3, [1], c); // the id may be reused as a fresh group
      assert.deepEqual(ids(index.search(a, [1], 5)), [3]);
    });

    it('merges groups once per item, attributing the first requested group', () => {
      const index = create(DIM);
      index.add(1, [1, 2], a);
      index.add(2, [2], b);
      const merged = index.search(a, [2, 1, 2], 5);
      assert.deepEqual(ids(merged), [1, 2]);
      assert.equal(merged[0]!.groupId, 2);
      assert.equal(index.search(a, [1, 2], 5)[0]!.groupId, 1);
      const byGroup = index.searchByGroup(a, [1, 2, 1], 5);
      assert.deepEqual([...byGroup.keys()], [1, 2]);
      assert.deepEqual(ids(byGroup.get(1)!), [1]);
      assert.deepEqual(ids(byGroup.get(2)!), [1, 2]);
      assert.equal(byGroup.get(2)![0]!.groupId, 2);
    });

    it('keeps hits with cosine >= minScore only', () => {
      const index = create(DIM);
      index.add(1, [1], a);
      index.add(2, [1], b);
      const self = index.search(a, [1], 5)[0]!.cosine;
      assert.deepEqual(ids(index.search(a, [1], 5, { minScore: 0.5 })), [1]);
      assert.deepEqual(ids(index.search(a, [1], 5, { minScore: self })), [1]);
      assert.deepEqual(index.search(a, [1], 5, { minScore: 1.01 }), []);
      assert.deepEqual(ids(index.searchByGroup(a, [1], 5, { minScore: 0.5 }).get(1)!), [1]);
    });

    it('rejects malformed arguments', () => {
      const index = create(DIM);
      assert.throws(() => index.add(1, [1], new Float32Array(DIM - 1)), RangeError);
      assert.throws(() => index.add(1, [1], a.map((x, i) => (i === 7 ? NaN : x))), RangeError);
      assert.throws(() => index.add(-1, [1], a), RangeError);
      assert.throws(() => index.add(1.5, [1], a), RangeError);
      assert.throws(() => index.add(2 ** 31, [1], a), RangeError);
      assert.throws(() => index.add(1, [-3], a), RangeError);
      assert.throws(() => index.search(a, [1], 0), RangeError);
      assert.throws(() => index.search(new Float32Array(3), [1], 1), RangeError);
      assert.equal(index.size(), 0);
    });
  });
}
