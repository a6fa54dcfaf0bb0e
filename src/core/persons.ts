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
  checkRange,
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
    if (this.store.get(input.personId)) throw new CoreError('person.id.exists', 'The person ID already exists. It must be unique.');

    const face = await this.reader.largest(input.image, quality);

    if (unique > 0) {
      const [best] = this.index.persons.search(face.embedding, [group.id], 1);
      if (best && similarityScore(best.cosine) >= uniquePersonThreshold(unique)) {
        const similar = this.db.prepare<[number], string>('SELECT person_id FROM persons WHERE id = ?').pluck().get(best.itemId);
        return { box: face.box, similarPersonId: similar, modelVersion: group.modelVersion };
      }
    }

    const now = Date.now();
    const { person, faceId, grp } = this.db.transaction(() => {
      // Re-checked inside the transaction: the image was analysed without holding it.
      if (this.store.get(input.personId)) throw new CoreError('person.id.exists', 'The person ID already exists. It must be unique.');
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
      const faceId = this.faces.insert({ person: person.id, model: this.reader.embeddingModel, ...face, createdAt: now });
      return { person, faceId, grp: g.id };
    })();
    this.index.personChanged(person.id, [grp], [{ id: faceId, embedding: face.embedding }]);
    return { faceId, box: face.box, modelVersion: group.modelVersion };
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
    const faceIds = this.faces.idsOf(p.id);
    const removed = this.db.transaction(() => {
      if (!this.store.membership(g.id, p.id)) {
        throw new CoreError('person.not_in_group', `The person ${personId} is not in group ${groupId}.`);
      }
      if (this.store.groupCount(p.id) === 1) {
        this.store.delete(p.id);
        return true;
      }
      this.store.leave(g.id, p.id);
      return false;
    })();
    if (removed) this.index.personRemoved(p.id, faceIds);
    else this.reindex(p.id);
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
    const all = this.store.memberships(person.id);
    return {
      memberships: page.limit === 0 ? [] : this.store.memberships(person.id, page),
      total: all.length,
      modelVersion: all[0] ? this.groups.get(all[0].groupId).modelVersion : '3.0',
    };
  }

  modifyBase(personId: string, change: { name?: string; gender?: number }): void {
    if (change.name !== undefined) checkPersonName(change.name);
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
    const joined = this.db.transaction(() => {
      const current = new Set(this.store.memberships(p.id).map((m) => m.grp));
      const fresh = targets.filter((g) => !current.has(g.id));
      if (current.size + fresh.length > limits.personGroupsMax) {
        throw new CoreError('person.groups.exceed', `A person can be in at most ${limits.personGroupsMax} groups.`);
      }
      this.checkFaceRoom(fresh, this.faces.countOf(p.id));
      const now = Date.now();
      for (const g of fresh) this.store.join(g.id, p.id, [], now);
      return fresh.map((g) => g.groupId);
    })();
    this.reindex(p.id);
    return joined;
  }

  /** Re-places a person's faces and fused feature after its groups or faces changed. */
  reindex(person: number): void {
    const groups = this.store.memberships(person).map((m) => m.grp);
    this.index.personChanged(person, groups, this.faces.ofPersonWithEmbeddings(person));
  }
}
