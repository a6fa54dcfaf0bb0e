import type { Db } from '../store/database.ts';
import { GroupStore } from '../store/groups.ts';
import { Groups, type GroupLimits } from './groups.ts';

export type LibraryLimits = GroupLimits;

export const defaultLibraryLimits: LibraryLimits = {
  maxGroups: 100_000,
};

/** The protocol-free face library every adapter talks to. */
export class Library {
  readonly groups: Groups;

  constructor(db: Db, limits: LibraryLimits = defaultLibraryLimits) {
    this.groups = new Groups(new GroupStore(db), limits);
  }
}
