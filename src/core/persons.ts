import { CoreError } from './errors.ts';
import type { ImageInput } from './face-engine.ts';
import type { FaceReader } from './enrolment.ts';
import type { Groups, Group } from './groups.ts';
import type { LibraryIndex } from './library-index.ts';
import { checkQualityLevel } from './quality-control.ts';
import {
  applyDescriptionValues,
  checkGender,
  checkId,
  checkPage,
  checkPersonName,
  checkPersonNote,
  checkRange,
  defaultFaceModelVersion,
  limits,
  type DescriptionValue,
  type Dialect,
} from './rules.ts';
import { similarityScore, uniquePersonThreshold } from './scores.ts';
import type { FaceBox, FaceStore } from '../store/faces.ts';
import type { Membership, PersonInGroup, PersonRow, PersonStore } from '../store/persons.ts';
import type { Db } from '../store/database.ts';

export type Person = PersonRow;

export interface CreatePersonInput {
  groupId: string;
  personId: string;
  name: string;
  gender?: number;
  descriptions?: DescriptionValue[];
  image: ImageInput;
  /** 0 off, 1-4: refuse when a person this similar is already in the group */
  uniquePersonControl?: number;
  qualityControl?: number;
}

/** A person enrolled without a photo (Alibaba's AddPerson): faces come later, by AddFaces. */
export interface RegisterPersonInput {
  personId: string;
  groupIds: string[];
  name?: string;
  note?: string;
}

export interface PersonDetails {
  person: Person;
  groupIds: string[];
  faceIds: number[];
}

export interface CreatePersonResult {
  /** undefined when UniquePersonControl found a likely duplicate and nothing was created */
  faceId?: number;
  box: FaceBox;
  similarPersonId?: string;
  modelVersion: string;
}

export interface FaceLimits {
  /** faces per group by model version (Tencent: 1M for 2.0, 3M for 3.0) */
  maxFacesPerGroup: Record<string, number>;
  maxFacesPerAccount: number;
}

/** Persons, their group memberships and description values; enrolment of the first face. */
export class Persons {
  constructor(
    private readonly db: Db,
    private readonly store: PersonStore,
    private readonly faces: FaceStore,
    private readonly groups: Groups,
    private readonly index: LibraryIndex,
    private readonly reader: FaceReader,
    private readonly limits: FaceLimits,
  ) {}

  get(personId: string): Person {
    const p = this.store.get(personId);
    if (!p) throw new CoreError('person.not_found', `The person ID ${personId} does not exist.`);
    return p;
  }

  private assertFree(personId: string): void {
    if (this.store.get(personId)) throw new CoreError('person.id.exists', 'The person ID already exists. It must be unique.');
  }

  /** The groups a person is in, in the order it joined them. */
  groupsOf(person: number): Group[] {
    return this.store.memberships(person).map((m) => this.groups.get(m.groupId));
  }

  /** Throws unless `more` faces fit in every given group and in the account. */
  checkFaceRoom(groups: readonly Group[], more: number): void {
    for (const g of groups) {
      const max = this.limits.maxFacesPerGroup[g.modelVersion] ?? Infinity;
      if (this.index.faces.groupSize(g.id) + more > max) {
        throw new CoreError('group.face_quota', `Group ${g.groupId} would exceed its limit of ${max} faces.`);
      }
    }
    if (this.index.faces.size() + more > this.limits.maxFacesPerAccount) {
      throw new CoreError('account.face_quota', `The account would exceed its limit of ${this.limits.maxFacesPerAccount} faces.`);
    }
  }

  async create(input: CreatePersonInput, dialect: Dialect): Promise<CreatePersonResult> {
    checkId('person', input.personId, dialect);
    checkPersonName(input.name);
    checkGender(input.gender);
    const quality = checkQualityLevel(input.qualityControl);
    const unique = checkRange('UniquePersonControl', input.uniquePersonControl, 0, 0, 4, 'unique_person_control.illegal');
    const group = this.groups.get(input.groupId);
    const exValues = applyDescriptionValues(group.exDescriptions, [], input.descriptions ?? []);
    this.assertFree(input.personId);

    const face = await this.reader.largest(input.image, quality);

    if (unique > 0) {
      const [best] = this.index.persons.search(face.embedding, [group.id], 1);
      if (best && similarityScore(best.cosine) >= uniquePersonThreshold(unique)) {
        return { box: face.box, similarPersonId: this.store.personIdOf(best.itemId), modelVersion: group.modelVersion };
      }
    }

    const now = Date.now();
    const { person, faceId, grp } = this.db.transaction(() => {
      // Re-checked inside the transaction: the image was analysed without holding it.
      this.assertFree(input.personId);
      const g = this.groups.get(input.groupId);
      this.checkFaceRoom([g], 1);
      const person = this.store.insert({
        personId: input.personId,
        name: input.name,
        gender: input.gender ?? 0,
        dialect,
        createdAt: now,
        updatedAt: now,
      });
      this.store.join(g.id, person.id, exValues, now);
      const faceId = this.faces.insert({ person: person.id, model: this.reader.embeddingModel, ...face, createdAt: now, url: input.image.url });
      return { person, faceId, grp: g.id };
    })();
    this.index.personChanged(person.id, [grp], [{ id: faceId, embedding: face.embedding }]);
    return { faceId, box: face.box, modelVersion: group.modelVersion };
  }

  /**
   * Creates a person with no face in the given groups, creating missing groups (an API whose
   * groups have no CreateGroup call). Returns the person's groups.
   */
  register(input: RegisterPersonInput, dialect: Dialect): string[] {
    checkId('person', input.personId, dialect);
    if (input.name !== undefined) checkPersonName(input.name);
    if (input.note !== undefined) checkPersonNote(input.note);
    return this.db.transaction(() => {
      this.assertFree(input.personId);
      const groups = this.groups.ensure(input.groupIds, dialect);
      const person = this.insertFaceless(input.personId, dialect, input);
      this.join(person.id, groups);
      // nothing to index: the index holds faces and persons' fused faces
      return this.groupIdsOf(person.id);
    })();
  }

  /**
   * Adds the person to the groups, creating missing groups and, when it does not exist yet, the
   * person itself (with no face): Alibaba's AddGroups takes any id. Returns all its groups.
   */
  joinGroups(personId: string, groupIds: readonly string[], dialect: Dialect): string[] {
    if (!this.store.get(personId)) checkId('person', personId, dialect);
    const person = this.db.transaction(() => {
      const groups = this.groups.ensure(groupIds, dialect);
      const p = this.store.get(personId) ?? this.insertFaceless(personId, dialect, {});
      this.join(p.id, groups);
      return p;
    })();
    this.reindex(person.id);
    return this.groupIdsOf(person.id);
  }

  private insertFaceless(personId: string, dialect: Dialect, info: { name?: string; note?: string }): Person {
    const now = Date.now();
    return this.store.insert({ personId, name: info.name ?? '', note: info.note, gender: 0, dialect, createdAt: now, updatedAt: now });
  }

  private groupIdsOf(person: number): string[] {
    return this.store.memberships(person).map((m) => m.groupId);
  }

  /** The person with its groups and face ids, read together. */
  details(personId: string): PersonDetails {
    return this.db.transaction(() => {
      const person = this.get(personId);
      return { person, groupIds: this.groupIdsOf(person.id), faceIds: this.faces.idsOf(person.id) };
    })();
  }

  delete(personId: string): void {
    const p = this.get(personId);
    const faceIds = this.faces.idsOf(p.id);
    this.store.delete(p.id);
    this.index.personRemoved(p.id, faceIds);
  }

  /** Removes the person from a group; a person left in no group is deleted with its faces. */
  removeFromGroup(personId: string, groupId: string): void {
    const p = this.get(personId);
    const g = this.groups.get(groupId);
    this.leave(p, () => {
      if (!this.store.membership(g.id, p.id)) {
        throw new CoreError('person.not_in_group', `The person ${personId} is not in group ${groupId}.`);
      }
      return [{ grp: g.id, groupId: g.groupId }];
    });
  }

  /**
   * Removes the person from those of the groups it is in (others are ignored); a person left
   * in no group is deleted with its faces. Returns the groups it left, in its join order.
   */
  leaveGroups(personId: string, groupIds: readonly string[]): { left: string[]; deleted: boolean } {
    if (groupIds.length === 0) throw new CoreError('param.empty', 'At least one group ID is required.');
    const p = this.get(personId);
    const wanted = new Set(groupIds);
    return this.leave(p, () => this.store.memberships(p.id).filter((m) => wanted.has(m.groupId)));
  }

  /**
   * Takes the person out of the groups `pick` chooses among its memberships (run in the
   * transaction); every person is in at least one group in both clouds, so one left in none
   * is deleted with its faces.
   */
  private leave(p: Person, pick: () => Pick<Membership, 'grp' | 'groupId'>[]): { left: string[]; deleted: boolean } {
    const faceIds = this.faces.idsOf(p.id);
    const r = this.db.transaction(() => {
      const leaving = pick();
      const deleted = leaving.length > 0 && this.store.groupCount(p.id) <= leaving.length;
      if (deleted) this.store.delete(p.id);
      else for (const m of leaving) this.store.leave(m.grp, p.id);
      return { left: leaving.map((m) => m.groupId), deleted };
    })();
    if (r.deleted) this.index.personRemoved(p.id, faceIds);
    else this.reindex(p.id);
    return r;
  }

  list(groupId: string, offset?: number, limit?: number): { group: Group; persons: (PersonInGroup & { faceIds: number[] })[]; personNum: number; faceNum: number } {
    const page = checkPage(offset, limit);
    return this.db.transaction(() => {
      const group = this.groups.get(groupId);
      const persons = page.limit === 0 ? [] : this.store.members(group.id, page.offset, page.limit);
      return {
        group,
        persons: persons.map((p) => ({ ...p, faceIds: this.faces.idsOf(p.id) })),
        personNum: this.store.memberCountOf(group.id),
        faceNum: this.index.faces.groupSize(group.id),
      };
    })();
  }

  counts(groupId: string): { personNum: number; faceNum: number } {
    const group = this.groups.get(groupId);
    return { personNum: this.store.memberCountOf(group.id), faceNum: this.index.faces.groupSize(group.id) };
  }

  baseInfo(personId: string): { person: Person; faceIds: number[] } {
    const person = this.get(personId);
    return { person, faceIds: this.faces.idsOf(person.id) };
  }

  groupInfo(personId: string, offset?: number, limit?: number): { memberships: Membership[]; total: number; modelVersion: string } {
    const page = checkPage(offset, limit, limits.personGroupInfoLimitMax);
    const person = this.get(personId);
    const [first] = this.store.memberships(person.id, { offset: 0, limit: 1 });
    return {
      memberships: page.limit === 0 ? [] : this.store.memberships(person.id, page),
      total: this.store.groupCount(person.id),
      modelVersion: first ? this.groups.get(first.groupId).modelVersion : defaultFaceModelVersion,
    };
  }

  modifyBase(personId: string, change: { name?: string; gender?: number; note?: string }): void {
    if (change.name !== undefined) checkPersonName(change.name);
    if (change.note !== undefined) checkPersonNote(change.note);
    checkGender(change.gender);
    const p = this.get(personId);
    this.store.update(p.id, { ...change, updatedAt: Date.now() });
  }

  modifyGroupInfo(groupId: string, personId: string, values: DescriptionValue[]): void {
    const g = this.groups.get(groupId);
    const p = this.get(personId);
    this.db.transaction(() => {
      const m = this.store.membership(g.id, p.id);
      if (!m) throw new CoreError('person.not_in_group', `The person ${personId} is not in group ${groupId}.`);
      this.store.setExValues(g.id, p.id, applyDescriptionValues(g.exDescriptions, m.exValues, values));
    })();
  }

  /** Adds the person to more groups; returns the groups it newly joined. */
  copy(personId: string, groupIds: readonly string[]): string[] {
    if (groupIds.length === 0) throw new CoreError('param.empty', 'GroupIds must name at least one group.');
    const p = this.get(personId);
    const targets = [...new Set(groupIds)].map((id) => this.groups.get(id));
    const joined = this.db.transaction(() => this.join(p.id, targets))();
    this.reindex(p.id);
    return joined;
  }

  /** Joins the groups the person is not in yet, within the limits (call in a transaction); returns them. */
  private join(person: number, targets: readonly Group[]): string[] {
    const current = new Set(this.store.memberships(person).map((m) => m.grp));
    const fresh = targets.filter((g) => !current.has(g.id));
    if (current.size + fresh.length > limits.personGroupsMax) {
      throw new CoreError('person.groups.exceed', `A person can be in at most ${limits.personGroupsMax} groups.`);
    }
    this.checkFaceRoom(fresh, this.faces.countOf(person));
    const now = Date.now();
    for (const g of fresh) this.store.join(g.id, person, [], now);
    return fresh.map((g) => g.groupId);
  }

  /** Re-places a person's faces and fused feature after its groups or faces changed. */
  reindex(person: number): void {
    const groups = this.store.memberships(person).map((m) => m.grp);
    this.index.personChanged(person, groups, this.faces.ofPersonWithEmbeddings(person));
  }
}
