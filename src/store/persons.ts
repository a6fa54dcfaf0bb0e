import type { Db } from './database.ts';

export interface PersonRow {
  id: number;
  personId: string;
  name: string;
  gender: number;
  dialect: string;
  /** free text the Alibaba API keeps with a person ('' when none) */
  note: string;
  createdAt: number;
  updatedAt: number;
}

interface RawPerson {
  id: number;
  person_id: string;
  name: string;
  gender: number;
  dialect: string;
  note: string;
  created_at: number;
  updated_at: number;
}

const fromRaw = (r: RawPerson): PersonRow => ({
  id: r.id,
  personId: r.person_id,
  name: r.name,
  gender: r.gender,
  dialect: r.dialect,
  note: r.note,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface Membership {
  /** the group's internal row id */
  grp: number;
  groupId: string;
  exValues: string[];
  joinedAt: number;
}

export interface PersonInGroup extends PersonRow {
  exValues: string[];
}

/** Row access for persons and their group memberships; rules live in the core. */
export class PersonStore {
  private readonly idOfRow;
  private readonly byPersonId;
  private readonly insertRow;
  private readonly updateRow;
  private readonly deleteRow;
  private readonly membershipRow;
  private readonly membershipsOf;
  private readonly membershipsPage;
  private readonly membershipCount;
  private readonly insertMembership;
  private readonly deleteMembership;
  private readonly updateExValues;
  private readonly membersPage;
  private readonly memberCount;
  private readonly everyMembership;

  constructor(db: Db) {
    this.idOfRow = db.prepare<[number], string>('SELECT person_id FROM persons WHERE id = ?').pluck();
    this.byPersonId = db.prepare<[string], RawPerson>('SELECT * FROM persons WHERE person_id = ?');
    this.insertRow = db.prepare(
      `INSERT INTO persons (person_id, name, gender, dialect, note, created_at, updated_at)
       VALUES (@personId, @name, @gender, @dialect, @note, @createdAt, @updatedAt)`,
    );
    this.updateRow = db.prepare(
      `UPDATE persons SET name = coalesce(@name, name), gender = coalesce(@gender, gender), note = coalesce(@note, note),
         updated_at = @updatedAt WHERE id = @id`,
    );
    this.deleteRow = db.prepare('DELETE FROM persons WHERE id = ?');
    const membershipCols = 'pg.grp AS grp, g.group_id AS groupId, pg.ex_values AS exValues, pg.joined_at AS joinedAt';
    this.membershipRow = db.prepare<[number, number], { grp: number; groupId: string; exValues: string; joinedAt: number }>(
      `SELECT ${membershipCols} FROM person_groups pg JOIN groups g ON g.id = pg.grp WHERE pg.grp = ? AND pg.person = ?`,
    );
    this.membershipsOf = db.prepare<[number], { grp: number; groupId: string; exValues: string; joinedAt: number }>(
      `SELECT ${membershipCols} FROM person_groups pg JOIN groups g ON g.id = pg.grp WHERE pg.person = ? ORDER BY pg.joined_at, pg.grp`,
    );
    this.membershipsPage = db.prepare<[number, number, number], { grp: number; groupId: string; exValues: string; joinedAt: number }>(
      `SELECT ${membershipCols} FROM person_groups pg JOIN groups g ON g.id = pg.grp WHERE pg.person = ?
       ORDER BY pg.joined_at, pg.grp LIMIT ? OFFSET ?`,
    );
    this.membershipCount = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM person_groups WHERE person = ?');
    this.insertMembership = db.prepare('INSERT INTO person_groups (grp, person, ex_values, joined_at) VALUES (?, ?, ?, ?)');
    this.deleteMembership = db.prepare('DELETE FROM person_groups WHERE grp = ? AND person = ?');
    this.updateExValues = db.prepare('UPDATE person_groups SET ex_values = ? WHERE grp = ? AND person = ?');
    this.membersPage = db.prepare<[number, number, number], RawPerson & { ex_values: string }>(
      `SELECT p.*, pg.ex_values FROM person_groups pg JOIN persons p ON p.id = pg.person WHERE pg.grp = ?
       ORDER BY pg.joined_at, p.id LIMIT ? OFFSET ?`,
    );
    this.memberCount = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM person_groups WHERE grp = ?');
    this.everyMembership = db.prepare<[], [number, number]>('SELECT person, grp FROM person_groups').raw();
  }

  /** The public id of a person row. */
  personIdOf(id: number): string | undefined {
    return this.idOfRow.get(id);
  }

  get(personId: string): PersonRow | undefined {
    const r = this.byPersonId.get(personId);
    return r && fromRaw(r);
  }

  insert(p: Omit<PersonRow, 'id' | 'note'> & { note?: string }): PersonRow {
    const row = { ...p, note: p.note ?? '' };
    const info = this.insertRow.run(row);
    return { ...row, id: Number(info.lastInsertRowid) };
  }

  update(id: number, c: { name?: string; gender?: number; note?: string; updatedAt: number }): void {
    this.updateRow.run({ id, name: c.name ?? null, gender: c.gender ?? null, note: c.note ?? null, updatedAt: c.updatedAt });
  }

  /** Deletes the person; memberships and faces (with crops) cascade. */
  delete(id: number): void {
    this.deleteRow.run(id);
  }

  membership(grp: number, person: number): Membership | undefined {
    const r = this.membershipRow.get(grp, person);
    return r && { ...r, exValues: JSON.parse(r.exValues) as string[] };
  }

  memberships(person: number, page?: { offset: number; limit: number }): Membership[] {
    const rows = page ? this.membershipsPage.all(person, page.limit, page.offset) : this.membershipsOf.all(person);
    return rows.map((r) => ({ ...r, exValues: JSON.parse(r.exValues) as string[] }));
  }

  groupCount(person: number): number {
    return this.membershipCount.get(person)!.n;
  }

  join(grp: number, person: number, exValues: string[], at: number): void {
    this.insertMembership.run(grp, person, JSON.stringify(exValues), at);
  }

  leave(grp: number, person: number): void {
    this.deleteMembership.run(grp, person);
  }

  setExValues(grp: number, person: number, exValues: string[]): void {
    this.updateExValues.run(JSON.stringify(exValues), grp, person);
  }

  members(grp: number, offset: number, limit: number): PersonInGroup[] {
    return this.membersPage.all(grp, limit, offset).map((r) => ({ ...fromRaw(r), exValues: JSON.parse(r.ex_values) as string[] }));
  }

  memberCountOf(grp: number): number {
    return this.memberCount.get(grp)!.n;
  }

  /** Every person's group row ids (persons in no group are absent). */
  groupsByPerson(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const [person, grp] of this.everyMembership.iterate() as IterableIterator<[number, number]>) {
      const list = out.get(person);
      if (list) list.push(grp);
      else out.set(person, [grp]);
    }
    return out;
  }
}
