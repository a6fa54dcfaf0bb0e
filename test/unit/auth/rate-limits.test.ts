import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRateLimits, RateLimiter } from '../../../src/auth/rate-limits.ts';

test('rates parse as a default and per-action overrides; anything else is refused by name', () => {
  assert.deepEqual(parseRateLimits('20'), { default: 20, perAction: {} });
  assert.deepEqual(parseRateLimits(' 20, SearchFaces=5 ,AddFaces=0.5'), { default: 20, perAction: { SearchFaces: 5, AddFaces: 0.5 } });
  assert.deepEqual(parseRateLimits('CreateGroup=50'), { perAction: { CreateGroup: 50 } });
  for (const bad of ['x', 'SearchFaces=', '=5', '0', 'Search-Faces=1', '-3']) {
    assert.throws(() => parseRateLimits(bad), /FACEPORT_RATE_LIMIT/, bad);
  }
});

test('each key and action has its own bucket: a burst of one second, then the rate', () => {
  const t0 = 1_000_000;
  const l = new RateLimiter(parseRateLimits('2,CreateGroup=50'));
  assert.deepEqual([l.take('a', 'SearchFaces', t0), l.take('a', 'SearchFaces', t0), l.take('a', 'SearchFaces', t0)], [true, true, false]);
  assert.equal(l.take('b', 'SearchFaces', t0), true, 'another key is not slowed');
  assert.equal(l.take('a', 'GetGroupList', t0), true, 'another action is not slowed');
  assert.equal(l.take('a', 'SearchFaces', t0 + 499), false);
  assert.equal(l.take('a', 'SearchFaces', t0 + 500), true, 'one request back every 500 ms at 2/s');
  let created = 0;
  for (let i = 0; i < 60; i++) created += l.take('a', 'CreateGroup', t0) ? 1 : 0;
  assert.equal(created, 50);
});

test('without a configured rate every request passes', () => {
  const l = new RateLimiter(parseRateLimits('SearchFaces=1'));
  for (let i = 0; i < 1000; i++) assert.equal(l.take('a', 'GetGroupList', 0), true);
});
