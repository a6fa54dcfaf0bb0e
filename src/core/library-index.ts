import type { VectorIndex } from '../index/types.ts';
import type { FaceStore } from '../store/faces.ts';
import type { Db } from '../store/database.ts';

/** Normalised mean of a person's face embeddings: the one feature person search compares. */
export function fuse(vectors: readonly Float32Array[]): Float32Array {
  const dim = vectors[0]!.length;
  const out = new Float32Array(dim);
  for (const v of vectors) for (let i = 0; i < dim; i++) out[i]! += v[i]!;
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += out[i]! * out[i]!;
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dim; i++) out[i]! *= inv;
  return out;
}

/**
 * The two in-memory indexes search runs on, kept equal to the store: faces (item = face row,
 * groups = its person's groups) and persons (item = person row, vector = fused feature).
 * Callers change the index right after the store transaction commits, with no await in
 * between, so no request ever sees one without the other; after a crash the index is rebuilt
 * from the store.
 */
export class LibraryIndex {
  constructor(
    readonly faces: VectorIndex,
    readonly persons: VectorIndex,
  ) {}

  /** Fills both indexes from the store (startup). */
  load(db: Db, faceStore: FaceStore): void {
    const groupsOf = new Map<number, number[]>();
    for (const r of db.prepare<[], { person: number; grp: number }>('SELECT person, grp FROM person_groups').iterate()) {
      const list = groupsOf.get(r.person);
      if (list) list.push(r.grp);
      else groupsOf.set(r.person, [r.grp]);
    }
    const personItems: { itemId: number; groupIds: number[]; vector: Float32Array }[] = [];
    let current: { person: number; vectors: Float32Array[] } | undefined;
    const flush = () => {
      if (current) personItems.push({ itemId: current.person, groupIds: groupsOf.get(current.person) ?? [], vector: fuse(current.vectors) });
    };
    const faceItems = function* (this: void) {
      for (const f of faceStore.all()) {
        if (current?.person !== f.person) {
          flush();
          current = { person: f.person, vectors: [] };
        }
        current.vectors.push(f.embedding);
        yield { itemId: f.id, groupIds: groupsOf.get(f.person) ?? [], vector: f.embedding };
      }
      flush();
    };
    this.faces.load(faceItems());
    this.persons.load(personItems);
  }

  /** A person's faces or groups changed: re-place its faces and its fused feature. */
  personChanged(person: number, groups: readonly number[], faces: readonly { id: number; embedding: Float32Array }[]): void {
    for (const f of faces) {
      if (this.faces.has(f.id)) this.faces.setGroups(f.id, groups);
      else this.faces.add(f.id, groups, f.embedding);
    }
    if (faces.length > 0) this.persons.add(person, groups, fuse(faces.map((f) => f.embedding)));
    else this.persons.remove(person);
  }

  facesRemoved(faceIds: readonly number[]): void {
    for (const id of faceIds) this.faces.remove(id);
  }

  personRemoved(person: number, faceIds: readonly number[]): void {
    this.facesRemoved(faceIds);
    this.persons.remove(person);
  }

  groupDropped(grp: number): void {
    this.faces.dropGroup(grp);
    this.persons.dropGroup(grp);
  }
}
