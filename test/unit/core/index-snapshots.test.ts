import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FaceLike, type Identity } from '../../../bench/index-faces.ts';
import { IndexSnapshots } from '../../../src/core/index-snapshots.ts';
import type { LibraryIndex } from '../../../src/core/library-index.ts';
import { createVectorIndex } from '../../../src/index/index.ts';
import { openDatabase, type Db } from '../../../src/store/database.ts';
import { FaceChanges } from '../../../src/store/face-changes.ts';
import { FaceStore } from '../../../src/store/faces.ts';
import { GroupStore } from '../../../src/store/groups.ts';
import { PersonStore } from '../../../src/store/persons.ts';

/**
 * The index a start builds from a snapshot (plus the store's changes since) must answer
 * exactly like one rebuilt from the store alone. The library here is written through the
 * stores only, as a server that died before updating its index would have left it; past
 * 2,000 faces the face index is the quantised one.
 */
const DIM = 512;
const dir = mkdtempSync(join(tmpdir(), 'faceport-index-snapshots-'));
after(() => rmSync(dir, { recursive: true, force: true }));

class Library {
  readonly groups: GroupStore;
  readonly persons: PersonStore;
  readonly faces: FaceStore;
  readonly groupIds: number[] = [];
  private readonly gen = new FaceLike(DIM, 21);
  private readonly identities = new Map<number, Identity>();
  private next = 0;
  private readonly now = Date.now();

  constructor(readonly db: Db) {
    this.groups = new GroupStore(db);
    this.persons = new PersonStore(db);
    this.faces = new FaceStore(db);
    for (const g of ['a', 'b', 'c']) this.groupIds.push(this.group(g));
  }

  group(groupId: string): number {
    const { now } = this;
    return this.groups.insert({ groupId, name: groupId, tag: '', modelVersion: '3.0', dialect: 'tencent', exDescriptions: [], createdAt: now, updatedAt: now }).id;
  }

  person(groups: number[], faces: number): number {
    const { now } = this;
    const id = this.persons.insert({ personId: `p${this.next++}`, name: 'n', gender: 0, dialect: 'tencent', createdAt: now, updatedAt: now }).id;
    this.identities.set(id, this.gen.identity());
    for (const g of groups) this.persons.join(g, id, [], now);
    for (let i = 0; i < faces; i++) this.face(id);
    return id;
  }

  face(person: number): number {
    const embedding = this.gen.face(this.identities.get(person)!);
    return this.faces.insert({ person, model: 'm', embedding, box: { x: 0, y: 0, width: 1, height: 1 }, quality: null, createdAt: this.now, crop: null });
  }

  probe(): Float32Array {
    const identities = [...this.identities.values()];
    return this.gen.face(identities[this.gen.int(identities.length)]!);
  }
}

/** One server's life: open at start, save at shutdown. */
function open(db: Db, path: string) {
  const snapshots = new IndexSnapshots(path, new FaceChanges(db), new FaceStore(db), new PersonStore(db));
  const { index, startup } = snapshots.open(() => createVectorIndex({ dim: DIM }));
  return { index, startup, save: () => snapshots.save(index) };
}

/** Every search a request can make, exhaustive (k past every item), equal hit for hit. */
function assertSameAnswers(got: LibraryIndex, want: LibraryIndex, library: Library): void {
  assert.equal(got.faces.size(), want.faces.size());
  assert.equal(got.persons.size(), want.persons.size());
  const all = [...library.groupIds, 999];
  for (const g of all) {
    assert.equal(got.faces.groupSize(g), want.faces.groupSize(g), `faces in group ${g}`);
    assert.equal(got.persons.groupSize(g), want.persons.groupSize(g), `persons in group ${g}`);
  }
  for (let q = 0; q < 4; q++) {
    const query = library.probe();
    for (const kind of ['faces', 'persons'] as const) {
      const k = want[kind].size() + 1;
      assert.deepEqual(got[kind].search(query, all, k), want[kind].search(query, all, k), `${kind} search`);
      assert.deepEqual(got[kind].searchByGroup(query, all, k), want[kind].searchByGroup(query, all, k), `${kind} by group`);
    }
  }
}

describe('index snapshots', () => {
  const db = openDatabase(join(dir, 'data'));
  const path = join(dir, 'data', 'index.snapshot');
  const library = new Library(db);
  const [a, b, c] = library.groupIds as [number, number, number];
  const persons = Array.from({ length: 800 }, (_, i) => library.person(i % 5 === 0 ? [a, b] : [[a, b, c][i % 3]!], 4));
  const rebuilt = () => open(db, join(dir, 'no-snapshot')).index;

  it('starts from the store, saves, and starts from the snapshot with the same answers', async () => {
    const first = open(db, path);
    assert.equal(first.startup.from, 'store');
    assert.equal(first.startup.faces, 3200);
    const saved = await first.save();
    assert.ok(saved && saved.bytes === statSync(path).size);
    assert.equal(await first.save(), undefined, 'nothing changed: nothing written');

    const second = open(db, path);
    assert.deepEqual({ ...second.startup, ms: 0 }, { from: 'snapshot', reason: undefined, replayed: 0, faces: 3200, persons: 800, ms: 0 });
    assertSameAnswers(second.index, first.index, library);
    assert.equal(await second.save(), undefined, 'opened from a snapshot that still holds it');
  });

  it('replays what the store changed after the snapshot, as after a crash', () => {
    copyFileSync(path, `${path}.old`);
    for (const p of persons.slice(0, 30)) library.face(p);
    for (const p of persons.slice(30, 40)) library.faces.delete(library.faces.idsOf(p)[0]!, p);
    for (const p of persons.slice(40, 50)) library.persons.delete(p);
    library.person([c], 3);
    library.persons.leave(a, persons[60]!); // membership changes are not logged: read afresh
    library.persons.join(c, persons[61]!, [], Date.now());
    // The newest face deleted, then another added: a new id, never the deleted one again.
    const newest = library.face(persons[70]!);
    library.faces.delete(newest, persons[70]!);
    assert.ok(library.face(persons[71]!) > newest);
    library.groups.delete(b);

    const after = open(db, path);
    assert.equal(after.startup.from, 'snapshot');
    assert.ok(after.startup.replayed > 90, `replayed ${after.startup.replayed}`);
    assertSameAnswers(after.index, rebuilt(), library);
  });

  it('falls back to the store for a snapshot the store does not name, or a damaged one', async () => {
    assert.ok(await open(db, path).save());
    assert.equal(open(db, path).startup.replayed, 0, 'the new snapshot holds every change');

    copyFileSync(`${path}.old`, path); // an older snapshot put back
    const stale = open(db, path);
    assert.deepEqual([stale.startup.from, stale.startup.reason], ['store', 'the store does not name this snapshot']);
    assertSameAnswers(stale.index, rebuilt(), library);

    assert.ok(await stale.save(), 'the stale file is replaced at shutdown');
    truncateSync(path, statSync(path).size - 1024);
    const damaged = open(db, path);
    assert.equal(damaged.startup.from, 'store');
    assert.match(damaged.startup.reason!, /unreadable snapshot/);
    assertSameAnswers(damaged.index, rebuilt(), library);
  });

  it('saves while the library keeps changing, and a start from that snapshot is still exact', async () => {
    const live = open(db, path);
    const groupsOf = (p: number) => library.persons.memberships(p).map((m) => m.grp);
    const placed = (p: number) => live.index.personChanged(p, groupsOf(p), library.faces.ofPersonWithEmbeddings(p));
    const alive = persons.filter((p) => library.persons.personIdOf(p) !== undefined);
    let changes = 0;
    let saved = false;
    const saving = live.save().then((s) => (saved = Boolean(s)));
    // Each turn, what a request would do: commit to the store, then change the index.
    for (let i = 0; !saved; i++, changes++) {
      const p = alive[i % alive.length]!;
      if (i % 3 === 2 && library.faces.countOf(p) > 1) {
        const id = library.faces.idsOf(p)[0]!;
        library.faces.delete(id, p);
        live.index.facesRemoved([id]);
      } else library.face(p);
      placed(p);
      await new Promise((r) => setImmediate(r));
    }
    await saving;
    assert.ok(changes > 1, `${changes} changes made during the save`);
    const next = open(db, path);
    assert.equal(next.startup.from, 'snapshot');
    assertSameAnswers(next.index, rebuilt(), library);
    assertSameAnswers(live.index, rebuilt(), library);
  });
});
