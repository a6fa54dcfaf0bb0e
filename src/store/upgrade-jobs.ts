import type { Db } from './database.ts';

export type UpgradeJobStatus = 'done' | 'rolled_back';

export interface UpgradeJobRow {
  id: number;
  jobId: string;
  /** the group's row id; null once the group is deleted */
  grp: number | null;
  groupId: string;
  fromVersion: string;
  toVersion: string;
  status: UpgradeJobStatus;
  /** a job finishes as it starts (see ModelUpgrades) */
  startedAt: number;
  rolledBackAt: number | null;
}

const columns = `id, job_id AS jobId, grp, group_id AS groupId, from_version AS fromVersion, to_version AS toVersion,
  status, started_at AS startedAt, rolled_back_at AS rolledBackAt`;

/** Row access for group model-upgrade jobs; rules live in the core. */
export class UpgradeJobStore {
  private readonly insertRow;
  private readonly byJobId;
  private readonly page;
  private readonly countAll;
  private readonly rollbacksOf;
  private readonly markRolledBack;

  constructor(db: Db) {
    this.insertRow = db.prepare(
      `INSERT INTO upgrade_jobs (job_id, grp, group_id, from_version, to_version, status, started_at)
       VALUES (@jobId, @grp, @groupId, @fromVersion, @toVersion, @status, @startedAt)`,
    );
    this.byJobId = db.prepare<[string], UpgradeJobRow>(`SELECT ${columns} FROM upgrade_jobs WHERE job_id = ?`);
    this.page = db.prepare<[number, number], UpgradeJobRow>(`SELECT ${columns} FROM upgrade_jobs ORDER BY id LIMIT ? OFFSET ?`);
    this.countAll = db.prepare<[], number>('SELECT count(*) FROM upgrade_jobs').pluck();
    this.rollbacksOf = db.prepare<[number], number>("SELECT count(*) FROM upgrade_jobs WHERE grp = ? AND status = 'rolled_back'").pluck();
    this.markRolledBack = db.prepare("UPDATE upgrade_jobs SET status = 'rolled_back', rolled_back_at = ? WHERE id = ?");
  }

  insert(job: Omit<UpgradeJobRow, 'id' | 'rolledBackAt'>): UpgradeJobRow {
    const id = Number(this.insertRow.run(job).lastInsertRowid);
    return { ...job, id, rolledBackAt: null };
  }

  get(jobId: string): UpgradeJobRow | undefined {
    return this.byJobId.get(jobId);
  }

  list(offset: number, limit: number): UpgradeJobRow[] {
    return this.page.all(limit, offset);
  }

  count(): number {
    return this.countAll.get()!;
  }

  /** How many of the group's upgrades were rolled back. */
  rollbacks(grp: number): number {
    return this.rollbacksOf.get(grp)!;
  }

  rolledBack(id: number, at: number): void {
    this.markRolledBack.run(at, id);
  }
}
