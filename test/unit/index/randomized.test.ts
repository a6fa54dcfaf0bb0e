import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaceLike, normalise, type Identity } from '../../../bench/index-faces.ts';
import { ExactIndex, type SearchHit, type SearchOptions, type VectorIndex } from '../../../src/index/index.ts';
import { implementations } from './implementations.ts';

/**
 * Interleaves adds, re-adds, removes, group changes, group drops and searches (merged and per
 * group) on each implementation and on ExactIndex, checking every answer against the exact
 * one and against a plain model of what is stored:
 * - every hit is live, reachable through a requested group, attributed to the first such
 *   group (merged) and scored within the index's scoreTolerance of the f32 cosine;
 * - ranks whose exact cosine is >= CLEAR (same-identity faces, near-copies) hold exactly the
 *   exact index's item; below that, ranks are near-ties between strangers where a quantised
 *   shortlist may pick another item, so a hit there must merely not beat the exact rank;
 * - the result has as many hits as the exact one, or with minScore at most as many (a
 *   stranger just above minScore may be left out of a shortlist).
 */
const CLEAR = 0.5;
const GROUPS = 10;
const STEPS = 2500;

interface Stored {
  vector: Float32Array;
  groups: number[];
}

for (const dim of [512, 64]) {
  for (const { name, create } of implementations.filter((i) => i.name !== 'exact')) {
    describe(`randomized against exact, dim ${dim}: ${name}`, () => {
      it(`agrees over ${STEPS} interleaved operations`, () => {
        const gen = new FaceLike(dim, 1234 + dim);
        const identities: Identity[] = Array.from({ length: 120 }, () => gen.identity());
        const identityOf = new Map<number, Identity>();
        const model = new Map<number, Stored>();
        const fast = create(dim);
        const exact = new ExactIndex(dim);
        const both = (f: (index: VectorIndex) => void) => [fast, exact].forEach(f);
        const someGroups = (): number[] => Array.from({ length: gen.int(4) }, () => gen.int(GROUPS));
        const liveId = (): number | undefined => [...model.keys()][gen.int(model.size)];
        let nextId = 0;
        let searches = 0;

        for (let step = 0; step < STEPS; step++) {
          const op = gen.uniform();
          if (op < 0.35 || model.size < 20) {
            const identity = identities[gen.int(identities.length)]!;
            const id = nextId++;
            const item = { vector: gen.face(identity), groups: [...new Set(someGroups())] };
            identityOf.set(id, identity);
            model.set(id, item);
            both((index) => index.add(id, item.groups, item.vector));
          } else if (op < 0.42) {
            const id = liveId()!;
            const item = { vector: gen.face(identityOf.get(id)!), groups: [...new Set(someGroups())] };
            model.set(id, item);
            both((index) => index.add(id, item.groups, item.vector));
          } else if (op < 0.55) {
            const id = gen.uniform() < 0.1 ? nextId + 5 : liveId()!;
            assert.equal(fast.remove(id), model.delete(id));
            exact.remove(id);
          } else if (op < 0.65) {
            const id = gen.uniform() < 0.1 ? nextId + 5 : liveId()!;
            const groups = someGroups(); // may repeat a group: the index must dedupe
            const item = model.get(id);
            if (item) item.groups = [...new Set(groups)];
            assert.equal(fast.setGroups(id, groups), item !== undefined);
            exact.setGroups(id, groups);
          } else if (op < 0.66) {
            const groupId = gen.int(GROUPS + 2);
            let members = 0;
            for (const item of model.values()) {
              if (item.groups.includes(groupId)) members++;
              item.groups = item.groups.filter((g) => g !== groupId);
            }
            assert.equal(fast.dropGroup(groupId), members);
            exact.dropGroup(groupId);
          } else {
            searches++;
            const query = pickQuery(gen, model, identities, dim);
            const groups = Array.from({ length: 1 + gen.int(4) }, () => gen.int(GROUPS + 1)); // GROUPS is never used
            const options = gen.uniform() < 0.2 ? { minScore: 0.3 } : undefined;
            if (op < 0.83) {
              const k = [1, 3, 5, 10, 40][gen.int(5)]!;
              const got = fast.search(query, groups, k, options);
              const want = exact.search(query, groups, k, options);
              checkHits(got, want, query, groups, model, fast.scoreTolerance, true, options, `step ${step}`);
            } else {
              const k = 1 + gen.int(10);
              const got = fast.searchByGroup(query, groups, k, options);
              const want = exact.searchByGroup(query, groups, k, options);
              assert.deepEqual([...got.keys()], [...want.keys()]);
              for (const [g, hits] of want) {
                checkHits(got.get(g)!, hits, query, [g], model, fast.scoreTolerance, false, options, `step ${step} group ${g}`);
              }
            }
          }
          if (step % 250 === 0) {
            assert.equal(fast.size(), model.size);
            for (let g = 0; g < GROUPS; g++) {
              assert.equal(fast.groupSize(g), [...model.values()].filter((i) => i.groups.includes(g)).length);
            }
          }
        }
        assert.ok(searches > 700);
      });
    });
  }
}

/** A near-copy of a stored item (its own code, nearly), or a fresh face of an identity. */
function pickQuery(gen: FaceLike, model: Map<number, Stored>, identities: Identity[], dim: number): Float32Array {
  if (gen.uniform() < 0.5) return gen.face(identities[gen.int(identities.length)]!);
  const stored = [...model.values()][gen.int(model.size)]!.vector;
  const noise = gen.randomUnit();
  return normalise(stored.map((x, i) => x + (0.25 * noise[i]!) / Math.sqrt(dim / 64)));
}

function checkHits(
  got: SearchHit[],
  want: SearchHit[],
  query: Float32Array,
  groups: number[],
  model: Map<number, Stored>,
  tolerance: number,
  merged: boolean,
  options: SearchOptions | undefined,
  where: string,
): void {
  if (options?.minScore === undefined) assert.equal(got.length, want.length, `${where}: hit count`);
  else assert.ok(got.length <= want.length, `${where}: hit count`);
  want.forEach((best, rank) => {
    if (best.cosine >= CLEAR) assert.equal(got[rank]?.itemId, best.itemId, `${where}: rank ${rank}`);
  });
  const seen = new Set<number>();
  got.forEach((hit, rank) => {
    const item = model.get(hit.itemId);
    assert.ok(item, `${where}: item ${hit.itemId} was removed`);
    assert.ok(!seen.has(hit.itemId), `${where}: item ${hit.itemId} twice`);
    seen.add(hit.itemId);
    const first = groups.find((g) => item.groups.includes(g));
    assert.equal(hit.groupId, merged ? first : groups[0], `${where}: group of item ${hit.itemId}`);
    let cosine = 0;
    for (let i = 0; i < query.length; i++) cosine += query[i]! * item.vector[i]!;
    assert.ok(Math.abs(hit.cosine - cosine) <= tolerance, `${where}: score ${hit.cosine} vs ${cosine}`);
    assert.ok(hit.cosine <= want[rank]!.cosine + tolerance, `${where}: rank ${rank} beats exact`);
    if (options?.minScore !== undefined) assert.ok(hit.cosine >= options.minScore, `${where}: below minScore`);
    if (rank > 0) assert.ok(hit.cosine <= got[rank - 1]!.cosine, `${where}: order`);
  });
}
