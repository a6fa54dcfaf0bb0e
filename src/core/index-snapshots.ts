import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
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

/** Faces whose person is read between two event-loop turns while saving (~10 ms at 1M). */
const OWNER_PAGE = 20_000;

export interface SavedSnapshot {
  readonly bytes: number;
  /** The last store change it holds. */
  readonly seq: number;
  readonly ms: number;
}

/**
 * Start-up and saving of the search index. The store stays the truth: a snapshot is used
 * only when the store names it (token and last change), and the changes logged since are
 * replayed on top, so a start after a crash costs the snapshot plus the replay. Anything
 * else (no snapshot, a stale or damaged one) rebuilds the index from the store.
 *
 * Saving runs while requests keep changing the index. It first notes the last change S,
 * then reads the index: an item no change after S touched has the same row, person and
 * groups all along, so whatever the write reads for it is right; an item some later change
 * touched may be read half-changed, but every start replays the changes after S, which
 * takes such items out and places them again from the store.
 */
export class IndexSnapshots {
  /** The snapshot file that holds the index as it was opened or last saved, if any. */
  private current: SnapshotMark | undefined;
  private saving: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
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
    if (existsSync(this.path)) {
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
   * Saves the index unless the snapshot it was opened from (or last saved to) still holds
   * it, i.e. the store has not changed since. One save runs at a time; a call made during
   * one runs after it.
   */
  save(index: LibraryIndex): Promise<SavedSnapshot | undefined> {
    const run = this.saving.then(() => this.write(index));
    this.saving = run.catch(() => undefined);
    return run;
  }

  /** Store changes the saved snapshot does not hold yet. */
  unsaved(): number {
    return this.changes.last() - (this.current?.seq ?? 0);
  }

  private async write(index: LibraryIndex): Promise<SavedSnapshot | undefined> {
    const seq = this.changes.last(); // first: what is read from here on holds at least this
    if (this.current?.seq === seq && this.current.token === this.changes.mark()?.token) return undefined;
    const started = performance.now();
    const personOf = new Map<number, number>();
    for (let after: [number, number] = [-1, -1]; ; await nextTurn()) {
      const page = this.faceStore.ownersAfter(after[1], after[0], OWNER_PAGE);
      for (const [face, person] of page) personOf.set(face, person);
      if (page.length < OWNER_PAGE) break;
      after = page[page.length - 1]!;
    }
    const token = randomBytes(16).toString('hex');
    const bytes = await writeIndexSnapshot(this.path, { token, seq, ...index.image(personOf) });
    this.current = { token, seq };
    this.changes.snapshotTaken(this.current);
    return { bytes, seq, ms: Math.round(performance.now() - started) };
  }
}
