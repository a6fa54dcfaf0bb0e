import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ReplayGuard } from '../../../src/auth/replay-guard.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { UsedSignatureStore } from '../../../src/store/used-signatures.ts';

const dir = mkdtempSync(join(tmpdir(), 'faceport-replay-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const t0 = Date.parse('2026-01-01T00:00:00Z');
const open = () => {
  const db = openDatabase(dir, 'crash');
  return { db, guard: new ReplayGuard(new UsedSignatureStore(db)) };
};

test('a token is new once per scope, and later uses see what it was first bound to', () => {
  const { db, guard } = open();
  assert.equal(guard.firstUse('acs ak', 'n1', '', t0 + 60_000, t0), undefined);
  assert.deepEqual(guard.firstUse('acs ak', 'n1', '', t0 + 60_000, t0 + 1), { binding: '', usedAt: t0 });
  assert.equal(guard.firstUse('acs other', 'n1', '', t0 + 60_000, t0 + 1), undefined, 'another key has its own nonces');
  assert.equal(guard.firstUse('tc3', 'sig', 'GetPersonBaseInfo 2020-03-03', t0 + 60_000, t0), undefined);
  assert.deepEqual(guard.firstUse('tc3', 'sig', 'DeletePerson 2020-03-03', t0 + 60_000, t0 + 1), {
    binding: 'GetPersonBaseInfo 2020-03-03',
    usedAt: t0,
  });
  db.close();
});

test('a token is remembered until it expires, then forgotten and pruned', () => {
  const { db, guard } = open();
  const expiresAt = t0 + 300_000;
  guard.firstUse('acs ak', 'short', '', expiresAt, t0);
  assert.equal(guard.firstUse('acs ak', 'short', '', expiresAt, expiresAt - 1)?.usedAt, t0, 'the last moment it could be replayed');
  assert.equal(guard.firstUse('acs ak', 'short', '', expiresAt + 900_000, expiresAt), undefined, 'expired: usable again');
  const count = () => (db.prepare('SELECT count(*) AS n FROM used_signatures').get() as { n: number }).n;
  const before = count();
  // a call past the prune interval deletes every expired row
  guard.firstUse('acs ak', 'later', '', t0 + 10 * 86_400_000, t0 + 5 * 86_400_000);
  assert.ok(count() < before + 1, `expired rows pruned (${before} → ${count()})`);
  db.close();
});

test('a claimed token is in the file at once: another connection refuses it', () => {
  const first = open();
  first.guard.firstUse('acs ak', 'across-restart', '', Date.now() + 60_000);
  const second = open();
  assert.equal(second.guard.firstUse('acs ak', 'across-restart', '', Date.now() + 60_000)?.binding, '');
  second.db.close();
  first.db.close();
});
