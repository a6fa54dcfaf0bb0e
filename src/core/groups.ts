import { CoreError } from './errors.ts';
import {
  checkFaceModelVersion,
  checkGroupDescriptionName,
  checkGroupDescriptions,
  checkGroupName,
  checkGroupTag,
  checkId,
  checkPage,
  defaultFaceModelVersion,
  dialectRules,
  implicitGroupName,
  type Dialect,
} from './rules.ts';
import type { GroupRow, GroupStore } from '../store/groups.ts';
import type { LibraryIndex } from './library-index.ts';

export type Group = GroupRow;

export interface CreateGroupInput {
  groupId: string;
  name: string;
  exDescriptions?: string[];
  tag?: string;
  modelVersion?: string;
}

export interface ModifyGroupInput {
  groupId: string;
  name?: string;
  tag?: string;
  /** renames of custom description fields, by 0-based index */
  descriptionRenames?: { index: number; name: string }[];
}

export interface GroupLimits {
  /** groups per account */
  maxGroups: number;
}

/** Group (person library) rules, independent of any protocol. */
export class Groups {
  constructor(
    private readonly store: GroupStore,
    private readonly limits: GroupLimits,
    private readonly index: LibraryIndex,
  ) {}

  create(input: CreateGroupInput, dialect: Dialect): Group {
    checkId('group', input.groupId, dialect);
    checkGroupName(input.name);
    const exDescriptions = input.exDescriptions ?? [];
    checkGroupDescriptions(exDescriptions);
    const tag = input.tag ?? '';
    checkGroupTag(tag);
    const modelVersion = input.modelVersion ?? defaultFaceModelVersion;
    checkFaceModelVersion(modelVersion);

    return this.store.transaction(() => {
      if (this.store.get(input.groupId)) {
        throw new CoreError('group.id.exists', 'The group ID already exists. It must be unique.');
      }
      if (this.store.getByName(input.name)) {
        throw new CoreError('group.name.exists', 'The group name already exists. It must be unique.');
      }
      if (this.store.count() >= this.limits.maxGroups) {
        throw new CoreError('group.quota', `The number of groups has reached the limit of ${this.limits.maxGroups}.`);
      }
      const now = Date.now();
      return this.store.insert({
        groupId: input.groupId,
        name: input.name,
        tag,
        modelVersion,
        dialect,
        exDescriptions,
        createdAt: now,
        updatedAt: now,
      });
    });
  }

  /**
   * The named groups (duplicates once, in request order), creating the missing ones the way an
   * API without a CreateGroup call does: named after their id, default model version, and
   * counted against the creating API's own group limit.
   */
  ensure(groupIds: readonly string[], dialect: Dialect): Group[] {
    if (groupIds.length === 0) throw new CoreError('param.empty', 'At least one group ID is required.');
    const unique = [...new Set(groupIds)];
    return this.store.transaction(() => {
      const missing = unique.filter((id) => !this.store.get(id));
      for (const id of missing) checkId('group', id, dialect);
      const max = dialectRules[dialect].groupsMax;
      if (missing.length > 0 && this.store.countByDialect(dialect) + missing.length > max) {
        throw new CoreError('group.quota', `The number of groups has reached the limit of ${max}.`);
      }
      return unique.map((groupId) => {
        const existing = this.store.get(groupId);
        if (existing) return existing;
        let attempt = 0;
        while (this.store.getByName(implicitGroupName(groupId, attempt))) attempt++;
        return this.create({ groupId, name: implicitGroupName(groupId, attempt) }, dialect);
      });
    });
  }

  /** Every group id, oldest first. */
  allIds(): string[] {
    return this.store.allIds();
  }

  get(groupId: string): Group {
    const g = this.store.get(groupId);
    if (!g) throw new CoreError('group.not_found', `The group ID ${groupId} does not exist.`);
    return g;
  }

  list(offset?: number, limit?: number): { groups: Group[]; total: number } {
    const page = checkPage(offset, limit);
    return this.store.transaction(() => ({
      groups: page.limit === 0 ? [] : this.store.list(page.offset, page.limit),
      total: this.store.count(),
    }));
  }

  modify(input: ModifyGroupInput): void {
    if (input.name !== undefined) checkGroupName(input.name);
    if (input.tag !== undefined) checkGroupTag(input.tag);
    input.descriptionRenames?.forEach((r) => checkGroupDescriptionName(r.name));

    this.store.transaction(() => {
      const g = this.get(input.groupId);
      if (input.name !== undefined && input.name !== g.name && this.store.getByName(input.name)) {
        throw new CoreError('group.name.exists', 'The group name already exists. It must be unique.');
      }
      let exDescriptions: string[] | undefined;
      if (input.descriptionRenames?.length) {
        exDescriptions = [...g.exDescriptions];
        for (const { index, name } of input.descriptionRenames) {
          // Renaming targets an existing field; index == length appends a new field, the way
          // the console lets a group grow fields after creation, still capped by the limit.
          if (!Number.isInteger(index) || index < 0 || index > exDescriptions.length) {
            throw new CoreError(
              'param.invalid',
              `GroupExDescriptionIndex ${index} is out of range: the group has ${exDescriptions.length} custom description fields.`,
            );
          }
          exDescriptions[index] = name;
        }
        checkGroupDescriptions(exDescriptions);
      }
      this.store.update(g.id, { name: input.name, tag: input.tag, exDescriptions, updatedAt: Date.now() });
    });
  }

  delete(groupId: string): void {
    const g = this.get(groupId);
    const orphans = this.store.delete(g.id);
    this.index.groupDropped(g.id);
    for (const p of orphans.persons) this.index.persons.remove(p);
    this.index.facesRemoved(orphans.faces);
  }
}
