import { createVectorIndex } from '../index/index.ts';
import type { Db } from '../store/database.ts';
import { FaceChanges } from '../store/face-changes.ts';
import { FaceStore } from '../store/faces.ts';
import { GroupStore } from '../store/groups.ts';
import { PersonStore } from '../store/persons.ts';
import { UpgradeJobStore } from '../store/upgrade-jobs.ts';
import { Analysis } from './analysis.ts';
import { FaceReader } from './enrolment.ts';
import type { FaceEngine, ImageLoader } from './face-engine.ts';
import { Faces } from './faces.ts';
import { Groups, type GroupLimits } from './groups.ts';
import { IndexSnapshots, type IndexStartup, type SavedSnapshot } from './index-snapshots.ts';
import type { LibraryIndex } from './library-index.ts';
import { ModelUpgrades } from './model-upgrades.ts';
import { Persons, type FaceLimits } from './persons.ts';
import { Search } from './search.ts';
import { Verify } from './verify.ts';

export type LibraryLimits = GroupLimits & FaceLimits;

export const defaultLibraryLimits: LibraryLimits = {
  maxGroups: 100_000,
  maxFacesPerGroup: { '2.0': 1_000_000, '3.0': 3_000_000 },
  maxFacesPerAccount: 50_000_000,
};

export const EMBEDDING_DIM = 512;

/** The protocol-free face library every adapter talks to. */
export class Library {
  readonly groups: Groups;
  readonly persons: Persons;
  readonly faces: Faces;
  readonly search: Search;
  readonly verify: Verify;
  readonly upgrades: ModelUpgrades;
  readonly analysis: Analysis;
  readonly reader: FaceReader;
  readonly index: LibraryIndex;
  readonly startup: IndexStartup;
  private readonly snapshots: IndexSnapshots;

  /** `snapshotPath`: the file the search index is saved to and started from (see IndexSnapshots). */
  constructor(db: Db, engine: FaceEngine, loadImage: ImageLoader, limits: LibraryLimits, snapshotPath: string) {
    const faceStore = new FaceStore(db);
    const personStore = new PersonStore(db);
    this.snapshots = new IndexSnapshots(snapshotPath, new FaceChanges(db), faceStore, personStore);
    ({ index: this.index, startup: this.startup } = this.snapshots.open(() => createVectorIndex({ dim: EMBEDDING_DIM })));
    this.analysis = new Analysis(engine, loadImage);
    this.reader = new FaceReader(this.analysis, engine.embeddingModel);
    const groupStore = new GroupStore(db);
    this.groups = new Groups(groupStore, limits, this.index);
    this.upgrades = new ModelUpgrades(this.groups, groupStore, new UpgradeJobStore(db), this.index, limits);
    this.persons = new Persons(db, personStore, faceStore, this.groups, this.index, this.reader, limits);
    this.faces = new Faces(db, faceStore, personStore, this.persons, this.reader, this.index);
    this.search = new Search(db, this.groups, personStore, this.index, this.reader);
    this.verify = new Verify(this.persons, faceStore, this.reader);
  }

  /** Saves the index for the next start, if the library changed since it was last saved. */
  saveIndex(): Promise<SavedSnapshot | undefined> {
    return this.snapshots.save(this.index);
  }

  /** Library changes the saved index does not hold: what the next start would replay. */
  unsavedIndexChanges(): number {
    return this.snapshots.unsaved();
  }
}
