import type { Db } from './database.ts';

/** Which snapshot file the store's change log is kept for, and up to which change it holds. */
export interface SnapshotMark {
  readonly token: string;
  readonly seq: number;
}

export interface FaceChange {
  readonly face: number;
  readonly person: number;
}

/**
 * The faces change log (migration 3): triggers append a row for every face added, removed or
 * rewritten, so this class only reads it and trims what a durable snapshot already holds.
 */
export class FaceChanges {
  private readonly lastSeq;
  private readonly since;
  private readonly markRow;
  private readonly setMark;
  private readonly trim;

  constructor(private readonly db: Db) {
    this.lastSeq = db.prepare<[], number>("SELECT seq FROM sqlite_sequence WHERE name = 'face_changes'").pluck();
    this.since = db.prepare<[number], FaceChange>('SELECT face, person FROM face_changes WHERE seq > ? ORDER BY seq');
    this.markRow = db.prepare<[], SnapshotMark>('SELECT token, seq FROM index_snapshot');
    this.setMark = db.prepare('INSERT OR REPLACE INTO index_snapshot (only, token, seq) VALUES (1, ?, ?)');
    this.trim = db.prepare('DELETE FROM face_changes WHERE seq <= ?');
  }

  /** Sequence number of the latest change (0 before the first). */
  last(): number {
    return this.lastSeq.get() ?? 0;
  }

  /** Changes after `seq`, oldest first. */
  after(seq: number): FaceChange[] {
    return this.since.all(seq);
  }

  mark(): SnapshotMark | undefined {
    return this.markRow.get();
  }

  /** Records a durable snapshot holding every change up to `seq` and forgets those changes. */
  snapshotTaken(mark: SnapshotMark): void {
    this.db.transaction(() => {
      this.setMark.run(mark.token, mark.seq);
      this.trim.run(mark.seq);
    })();
  }
}
