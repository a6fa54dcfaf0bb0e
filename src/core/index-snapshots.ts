import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { VectorIndex } from '../index/index.ts';
import type { FaceChanges, SnapshotMark } from '../store/face-changes.ts';
import type { FaceStore } from '../store/faces.ts';
import { readIndexSnapshot, writeIndexSnapshot } from '../store/index-snapshot.ts';
import type { PersonStore } from '../store/persons.ts';
import { LibraryIndex } from './library-index.ts';

/** How the index was filled at start-up, for the log and the benchmarks. */
export interface IndexStartup {
  readonly from: 'snapshot' | 'store';
  /** Why a snapshot file that was there could not be used. */
  readonly reason?: string;
  /** Face changes replayed on top of the snapshot. */
  readonly replayed: number;
  readonly faces: number;
  readonly persons: number;
  readonly ms: number;
}

/**
 * Start-up and shutdown of the search index. The store stays the truth: a snapshot is used
 * only when the store names it (token and last change), and the changes logged since are
 * replayed on top, so a start after a crash costs the snapshot plus the replay. Anything
 * else (no snapshot, a stale or damaged one) rebuilds the index from the store.
 */
export class IndexSnapshots {
  /** The snapshot file that holds the index as it was opened or last saved, if any. */
  private current: SnapshotMark | undefined;

  constructor(
    private readonly path: string | undefined,
    private readonly changes: FaceChanges,
    private readonly faceStore: FaceStore,
    private readonly personStore: PersonStore,
  ) {}

  open(create: () => VectorIndex): { index: LibraryIndex; startup: IndexStartup } {
    const started = performance.now();
    const groupsOf = this.personStore.groupsByPerson();
    const done = (index: LibraryIndex, from: IndexStartup['from'], replayed: number, reason?: string) => ({
      index,
      startup: { from, reason, replayed, faces: index.faces.size(), persons: index.persons.size(), ms: Math.round(performance.now() - started) },
    });
    const mark = this.changes.mark();
    let reason: string | undefined;
    if (this.path && existsSync(this.path)) {
      try {
        const index = new LibraryIndex(create(), create());
        const replayed = readIndexSnapshot(this.path, (snapshot) => {
          if (snapshot.token !== mark?.token || snapshot.seq !== mark.seq) return undefined;
          const changes = this.changes.after(mark.seq);
          index.restore(snapshot, groupsOf, changes, this.faceStore);
          return changes.length;
        });
        if (replayed !== undefined) {
          this.current = mark;
          return done(index, 'snapshot', replayed);
        }
        reason = 'the store does not name this snapshot';
      } catch (e) {
        reason = `unreadable snapshot: ${(e as Error).message}`;
      }
    }
    const index = new LibraryIndex(create(), create());
    index.load(this.faceStore, groupsOf);
    return done(index, 'store', 0, reason);
  }

  /**
   * Saves the index unless the snapshot it was opened from (or last saved to) still holds it,
   * i.e. the store has not changed since. The index must equal
   * the store, i.e. no request may be between its commit and its index update (at shutdown,
   * after the server stopped taking requests).
   */
  save(index: LibraryIndex): { bytes: number; ms: number } | undefined {
    if (!this.path) return undefined;
    const seq = this.changes.last();
    if (this.current?.seq === seq && this.current.token === this.changes.mark()?.token) return undefined;
    const started = performance.now();
    const token = randomBytes(16).toString('hex');
    const bytes = writeIndexSnapshot(this.path, { token, seq, ...index.image(this.faceStore.personOfFaces()) });
    this.current = { token, seq };
    this.changes.snapshotTaken(this.current);
    return { bytes, ms: Math.round(performance.now() - started) };
  }
}
