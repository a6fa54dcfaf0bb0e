import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GroupStore } from '../../../src/store/groups.ts';
import { migrations } from '../../../src/store/migrations.ts';
import { openDatabase } from '../../../src/store/database.ts';

const dir = mkdtempSync(join(tmpdir(), 'faceport-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('migrations run once, in WAL mode, and a newer schema is refused', () => {
  const db = openDatabase(dir);
  assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('page_size', { simple: true }), 16384, 'room for several 2 KB embeddings per page');
  db.close();
  const again = openDatabase(dir);
  assert.equal(again.pragma('user_version', { simple: true }), migrations.length);
  again.pragma(`user_version = ${migrations.length + 1}`);
  again.close();
  assert.throws(() => openDatabase(dir), /newer than this faceport/);
});

test('deleting a group deletes the persons (and their faces) that were only in it', () => {
  const db = openDatabase(join(dir, 'cascade'));
  const groups = new GroupStore(db);
  const now = Date.now();
  const group = (groupId: string) =>
    groups.insert({ groupId, name: groupId, tag: '', modelVersion: '3.0', dialect: 'tencent', exDescriptions: [], createdAt: now, updatedAt: now });
  const a = group('a');
  const b = group('b');
  const person = db.prepare("INSERT INTO persons (person_id, name, dialect, created_at, updated_at) VALUES (?, ?, 'tencent', ?, ?)");
  const only = Number(person.run('only-a', 'Only A', now, now).lastInsertRowid);
  const both = Number(person.run('both', 'Both', now, now).lastInsertRowid);
  const member = db.prepare('INSERT INTO person_groups (grp, person, joined_at) VALUES (?, ?, ?)');
  member.run(a.id, only, now);
  member.run(a.id, both, now);
  member.run(b.id, both, now);
  const face = db.prepare("INSERT INTO faces (person, model, embedding, box, created_at) VALUES (?, 'm', x'00', '[]', ?)");
  const onlyFace = Number(face.run(only, now).lastInsertRowid);
  face.run(both, now);

  assert.deepEqual(groups.delete(a.id), { persons: [only], faces: [onlyFace] }, 'reports what left, for the index');
  const persons = db.prepare('SELECT person_id FROM persons ORDER BY person_id').pluck().all();
  assert.deepEqual(persons, ['both']);
  assert.equal(db.prepare('SELECT count(*) FROM faces').pluck().get(), 1);
  assert.deepEqual(db.prepare('SELECT grp FROM person_groups').pluck().all(), [b.id]);
  db.close();
});
