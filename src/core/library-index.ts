import { FREE_SLOT, type IndexImage, type VectorIndex } from '../index/index.ts';
import type { FaceChange } from '../store/face-changes.ts';
import type { FaceStore } from '../store/faces.ts';

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

  /** Fills both indexes from the store (startup); `groupsOf` maps a person to its groups. */
  load(faceStore: FaceStore, groupsOf: ReadonlyMap<number, number[]>): void {
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

  /** Both indexes' rows, with the person of each face slot (from `personOf`), to be saved. */
  image(personOf: ReadonlyMap<number, number>): { faces: IndexImage; facePersons: Int32Array; persons: IndexImage } {
    const faces = this.faces.image();
    const facePersons = faces.ids.map((id) => (id === FREE_SLOT ? FREE_SLOT : personOf.get(id) ?? FREE_SLOT));
    return { faces, facePersons, persons: this.persons.image() };
  }

  /**
   * Fills both (empty) indexes from saved images, then brings them up to the store: every face
   * in `changes` (added, removed or rewritten since the images were taken) is taken out, and
   * each person those changes touched is placed again from its stored faces.
   */
  restore(
    saved: { faces: IndexImage; facePersons: Int32Array; persons: IndexImage },
    groupsOf: ReadonlyMap<number, number[]>,
    changes: readonly FaceChange[],
    faceStore: FaceStore,
  ): void {
    const none: number[] = [];
    this.faces.restore(saved.faces, (slot) => groupsOf.get(saved.facePersons[slot]!) ?? none);
    this.persons.restore(saved.persons, (_slot, person) => groupsOf.get(person) ?? none);
    const touched = new Set<number>();
    for (const c of changes) {
      this.faces.remove(c.face);
      touched.add(c.person);
    }
    for (const person of touched) this.personChanged(person, groupsOf.get(person) ?? none, faceStore.ofPersonWithEmbeddings(person));
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
