import type { Db } from './database.ts';

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface NewFace {
  person: number;
  model: string;
  embedding: Float32Array;
  box: FaceBox;
  quality: number | null;
  createdAt: number;
  crop: { mime: string; bytes: Uint8Array } | null;
  /** where the photo was fetched from, when it came by URL */
  url?: string | null;
}

export interface FaceRow {
  id: number;
  person: number;
  embedding: Float32Array;
}

/** A stored embedding as the index loads it: the face and its person. */
export interface StoredFace {
  id: number;
  person: number;
  embedding: Float32Array;
}

const toBlob = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

function fromBlob(b: Buffer): Float32Array {
  // better-sqlite3 hands each blob its own buffer, so a view costs nothing (a copy of every
  // embedding was 1.5 s of a 1M-face start-up); an unaligned one would have to be copied.
  if (b.byteOffset % 4 === 0) return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** Row access for faces, their embeddings and aligned crops. */
export class FaceStore {
  private readonly insertRow;
  private readonly insertCrop;
  private readonly ofPerson;
  private readonly idsOfPerson;
  private readonly countOfPerson;
  private readonly deleteRow;
  private readonly cropOf;
  private readonly everyFace;
  private readonly sourcesOfPerson;
  private readonly ownersPage;

  constructor(db: Db) {
    this.insertRow = db.prepare(
      `INSERT INTO faces (id, person, model, embedding, box, quality, created_at, url)
       VALUES ((SELECT next FROM face_id_seq), ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertCrop = db.prepare('INSERT INTO face_crops (face, mime, bytes) VALUES (?, ?, ?)');
    this.ofPerson = db.prepare<[number], { id: number; person: number; embedding: Buffer }>(
      'SELECT id, person, embedding FROM faces WHERE person = ? ORDER BY id',
    );
    this.idsOfPerson = db.prepare<[number], number>('SELECT id FROM faces WHERE person = ? ORDER BY id').pluck();
    this.countOfPerson = db.prepare<[number], number>('SELECT count(*) FROM faces WHERE person = ?').pluck();
    this.deleteRow = db.prepare('DELETE FROM faces WHERE id = ? AND person = ?');
    this.cropOf = db.prepare<[number], { mime: string; bytes: Buffer }>('SELECT mime, bytes FROM face_crops WHERE face = ?');
    // Rows as arrays, not objects: a million of them are read at every start.
    this.everyFace = db.prepare<[], [number, number, Buffer]>('SELECT id, person, embedding FROM faces ORDER BY person, id').raw();
    // Covered by faces_by_person: reads the small index, not the 2 KB rows.
    this.ownersPage = db
      .prepare<[number, number, number], [number, number]>(
        'SELECT id, person FROM faces INDEXED BY faces_by_person WHERE (person, id) > (?, ?) ORDER BY person, id LIMIT ?',
      )
      .raw();
    this.sourcesOfPerson = db.prepare<[number], { id: number; url: string | null }>(
      'SELECT id, url FROM faces WHERE person = ? ORDER BY id',
    );
  }

  insert(f: NewFace): number {
    const id = Number(
      this.insertRow.run(f.person, f.model, toBlob(f.embedding), JSON.stringify(f.box), f.quality, f.createdAt, f.url ?? null)
        .lastInsertRowid,
    );
    if (f.crop) this.insertCrop.run(id, f.crop.mime, Buffer.from(f.crop.bytes));
    return id;
  }

  ofPersonWithEmbeddings(person: number): FaceRow[] {
    return this.ofPerson.all(person).map((r) => ({ id: r.id, person: r.person, embedding: fromBlob(r.embedding) }));
  }

  idsOf(person: number): number[] {
    return this.idsOfPerson.all(person);
  }

  /** The person's face ids with the URL each photo came from. */
  sourcesOf(person: number): { id: number; url: string | null }[] {
    return this.sourcesOfPerson.all(person);
  }

  countOf(person: number): number {
    return this.countOfPerson.get(person)!;
  }

  /** Deletes a face of the given person; false when it is not that person's face. */
  delete(id: number, person: number): boolean {
    return this.deleteRow.run(id, person).changes === 1;
  }

  crop(id: number): { mime: string; bytes: Buffer } | undefined {
    return this.cropOf.get(id);
  }

  /** Every stored face, ordered by person, streamed so a large library is not held twice. */
  *all(): Generator<StoredFace> {
    for (const [id, person, embedding] of this.everyFace.iterate() as IterableIterator<[number, number, Buffer]>) {
      yield { id, person, embedding: fromBlob(embedding) };
    }
  }

  /**
   * [face, person] of up to `limit` faces after (person, face) in (person, face) order: every
   * face's person, a page at a time, without holding the connection between pages.
   */
  ownersAfter(person: number, face: number, limit: number): [number, number][] {
    return this.ownersPage.all(person, face, limit);
  }
}
