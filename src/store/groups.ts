import type { Db } from './database.ts';

export interface GroupRow {
  id: number;
  groupId: string;
  name: string;
  tag: string;
  modelVersion: string;
  dialect: string;
  exDescriptions: string[];
  createdAt: number;
  updatedAt: number;
}

interface RawGroup {
  id: number;
  group_id: string;
  name: string;
  tag: string;
  model_version: string;
  dialect: string;
  ex_descriptions: string;
  created_at: number;
  updated_at: number;
}

const fromRaw = (r: RawGroup): GroupRow => ({
  id: r.id,
  groupId: r.group_id,
  name: r.name,
  tag: r.tag,
  modelVersion: r.model_version,
  dialect: r.dialect,
  exDescriptions: JSON.parse(r.ex_descriptions) as string[],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type NewGroup = Omit<GroupRow, 'id'>;
export type GroupChanges = Partial<Pick<GroupRow, 'name' | 'tag' | 'exDescriptions' | 'modelVersion'>> & { updatedAt: number };

/** Row access for groups; rules live in the core, this only reads and writes. */
export class GroupStore {
  private readonly byGroupId;
  private readonly byRowId;
  private readonly byName;
  private readonly countAll;
  private readonly countOfDialect;
  private readonly everyGroupId;
  private readonly page;
  private readonly insertRow;
  private readonly updateRow;
  private readonly deleteOrphans;
  private readonly deleteRow;
  private readonly orphans;

  constructor(private readonly db: Db) {
    this.byGroupId = db.prepare<[string], RawGroup>('SELECT * FROM groups WHERE group_id = ?');
    this.byRowId = db.prepare<[number], RawGroup>('SELECT * FROM groups WHERE id = ?');
    this.byName = db.prepare<[string], RawGroup>('SELECT * FROM groups WHERE name = ?');
    this.countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM groups');
    this.countOfDialect = db.prepare<[string], number>('SELECT count(*) FROM groups WHERE dialect = ?').pluck();
    this.everyGroupId = db.prepare<[], string>('SELECT group_id FROM groups ORDER BY id').pluck();
    this.page = db.prepare<[number, number], RawGroup>('SELECT * FROM groups ORDER BY id LIMIT ? OFFSET ?');
    this.insertRow = db.prepare(
      `INSERT INTO groups (group_id, name, tag, model_version, dialect, ex_descriptions, created_at, updated_at)
       VALUES (@groupId, @name, @tag, @modelVersion, @dialect, @exDescriptions, @createdAt, @updatedAt)`,
    );
    this.updateRow = db.prepare(
      `UPDATE groups SET name = coalesce(@name, name), tag = coalesce(@tag, tag),
         ex_descriptions = coalesce(@exDescriptions, ex_descriptions),
         model_version = coalesce(@modelVersion, model_version), updated_at = @updatedAt
       WHERE id = @id`,
    );
    // Persons whose only membership is the group being deleted go with it (their faces cascade).
    this.deleteOrphans = db.prepare(
      `DELETE FROM persons WHERE id IN (
         SELECT person FROM person_groups WHERE grp = ?
         EXCEPT SELECT person FROM person_groups WHERE grp <> ?)`,
    );
    this.deleteRow = db.prepare('DELETE FROM groups WHERE id = ?');
    this.orphans = db.prepare<[number, number], { person: number; face: number | null }>(
      `SELECT o.person, f.id AS face FROM (
         SELECT person FROM person_groups WHERE grp = ? EXCEPT SELECT person FROM person_groups WHERE grp <> ?
       ) o LEFT JOIN faces f ON f.person = o.person`,
    );
  }

  get(groupId: string): GroupRow | undefined {
    const r = this.byGroupId.get(groupId);
    return r && fromRaw(r);
  }

  /** The group with this row id. */
  getByRowId(id: number): GroupRow | undefined {
    const r = this.byRowId.get(id);
    return r && fromRaw(r);
  }

  getByName(name: string): GroupRow | undefined {
    const r = this.byName.get(name);
    return r && fromRaw(r);
  }

  count(): number {
    return this.countAll.get()!.n;
  }

  /** Groups created through the given API. */
  countByDialect(dialect: string): number {
    return this.countOfDialect.get(dialect)!;
  }

  /** Every group id, oldest first. */
  allIds(): string[] {
    return this.everyGroupId.all();
  }

  list(offset: number, limit: number): GroupRow[] {
    return this.page.all(limit, offset).map(fromRaw);
  }

  insert(g: NewGroup): GroupRow {
    const info = this.insertRow.run({ ...g, exDescriptions: JSON.stringify(g.exDescriptions) });
    return { ...g, id: Number(info.lastInsertRowid) };
  }

  update(id: number, c: GroupChanges): void {
    this.updateRow.run({
      id,
      name: c.name ?? null,
      tag: c.tag ?? null,
      exDescriptions: c.exDescriptions ? JSON.stringify(c.exDescriptions) : null,
      modelVersion: c.modelVersion ?? null,
      updatedAt: c.updatedAt,
    });
  }

  /**
   * Deletes the group and the persons that belonged to no other group, atomically; returns
   * those persons and their faces so the caller can drop them from the index.
   */
  delete(id: number): { persons: number[]; faces: number[] } {
    return this.db.transaction(() => {
      const rows = this.orphans.all(id, id);
      this.deleteOrphans.run(id, id);
      this.deleteRow.run(id);
      return {
        persons: [...new Set(rows.map((r) => r.person))],
        faces: rows.flatMap((r) => (r.face === null ? [] : [r.face])),
      };
    })();
  }

  /** Runs fn in one transaction: check-then-write sequences never interleave with others. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
