import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FaceLike } from '../../../bench/index-faces.ts';
import { ExactIndex, QuantizedIndex } from '../../../src/index/index.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { FaceChanges } from '../../../src/store/face-changes.ts';
import { readIndexSnapshot, writeIndexSnapshot } from '../../../src/store/index-snapshot.ts';

const dir = mkdtempSync(join(tmpdir(), 'faceport-snapshot-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('face change log', () => {
  it('logs every face added, removed, rewritten or cascaded away, and trims what a snapshot holds', () => {
    const db = openDatabase(join(dir, 'log'));
    const changes = new FaceChanges(db);
    const now = Date.now();
    const person = db.prepare("INSERT INTO persons (person_id, name, dialect, created_at, updated_at) VALUES (?, ?, 'tencent', ?, ?)");
    const a = Number(person.run('a', 'A', now, now).lastInsertRowid);
    const b = Number(person.run('b', 'B', now, now).lastInsertRowid);
    const face = db.prepare("INSERT INTO faces (person, model, embedding, box, created_at) VALUES (?, 'm', x'00', '[]', ?)");
    assert.equal(changes.last(), 0);
    assert.equal(changes.mark(), undefined);

    const f1 = Number(face.run(a, now).lastInsertRowid);
    const f2 = Number(face.run(a, now).lastInsertRowid);
    const f3 = Number(face.run(b, now).lastInsertRowid);
    db.prepare('DELETE FROM faces WHERE id = ?').run(f1);
    db.prepare('UPDATE faces SET embedding = x\'01\' WHERE id = ?').run(f3);
    db.prepare('UPDATE faces SET quality = 1 WHERE id = ?').run(f3); // not a change the index sees
    db.prepare('DELETE FROM persons WHERE id = ?').run(a); // cascades to f2
    assert.throws(() =>
      db.transaction(() => {
        face.run(b, now);
        throw new Error('rolled back');
      })(),
    );
    assert.deepEqual(changes.after(0), [
      { face: f1, person: a },
      { face: f2, person: a },
      { face: f3, person: b },
      { face: f1, person: a },
      { face: f3, person: b },
      { face: f3, person: b },
      { face: f2, person: a },
    ]);
    assert.equal(changes.last(), 7, 'a rolled-back insert logs nothing');

    changes.snapshotTaken({ token: 't1', seq: 5 });
    assert.deepEqual(changes.mark(), { token: 't1', seq: 5 });
    assert.deepEqual(changes.after(5), [
      { face: f3, person: b },
      { face: f2, person: a },
    ]);
    assert.deepEqual(changes.after(0), changes.after(5), 'what the snapshot holds is forgotten');
    changes.snapshotTaken({ token: 't2', seq: 7 });
    assert.deepEqual(changes.after(0), []);
    assert.equal(changes.last(), 7, 'sequence numbers are never reused');
    db.close();
  });
});

describe('index snapshot file', () => {
  const gen = new FaceLike(64, 11);
  const filled = <T extends ExactIndex | QuantizedIndex>(index: T, n: number): T => {
    for (let i = 0; i < n; i++) index.add(i * 2, [i % 3], gen.randomUnit());
    for (let i = 0; i < n; i += 5) index.remove(i * 2);
    return index;
  };

  it('reads back what was written, block by block', async () => {
    const faces = filled(new QuantizedIndex(64), 9000);
    const persons = filled(new ExactIndex(64), 50);
    const facePersons = faces.image().ids.map((id) => id + 1);
    const path = join(dir, 'roundtrip.snapshot');
    const bytes = await writeIndexSnapshot(path, { token: 'abc', seq: 42, faces: faces.image(), facePersons, persons: persons.image() });
    assert.equal(statSync(path).size, bytes);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');

    readIndexSnapshot(path, (s) => {
      assert.equal(s.token, 'abc');
      assert.equal(s.seq, 42);
      assert.deepEqual(s.facePersons, facePersons);
      for (const [read, live] of [
        [s.faces, faces.image()],
        [s.persons, persons.image()],
      ] as const) {
        assert.deepEqual({ ...read, blocks: undefined }, { ...live, blocks: undefined });
        const want = [...live.blocks];
        const got = [...read.blocks];
        assert.equal(got.length, want.length);
        got.forEach((block, i) => assert.deepEqual(block, want[i]));
      }
    });
  });

  it('refuses a file that is cut short or is not a snapshot', async () => {
    const path = join(dir, 'damaged.snapshot');
    await writeIndexSnapshot(path, { token: 't', seq: 1, faces: filled(new QuantizedIndex(64), 100).image(), facePersons: new Int32Array(100), persons: new ExactIndex(64).image() });
    truncateSync(path, statSync(path).size - 8);
    assert.throws(() => readIndexSnapshot(path, () => 0), /bytes, its header says/);
    writeFileSync(path, 'hello');
    assert.throws(() => readIndexSnapshot(path, () => 0), /./);
    writeFileSync(path, Buffer.alloc(8192));
    assert.throws(() => readIndexSnapshot(path, () => 0), /not a faceport index snapshot/);
    assert.ok(existsSync(path));
  });
});
