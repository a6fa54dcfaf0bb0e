import { randomUUID } from 'node:crypto';
import { CoreError } from './errors.ts';
import { checkFaceModelVersion, checkPage, faceModelVersions } from './rules.ts';
import type { GroupStore } from '../store/groups.ts';
import type { Groups } from './groups.ts';
import type { UpgradeJobRow, UpgradeJobStore } from '../store/upgrade-jobs.ts';
import type { FaceLimits } from './persons.ts';
import type { LibraryIndex } from './library-index.ts';

export type UpgradeJob = UpgradeJobRow;

/**
 * Moving a group to a newer face model, and back once. Every model version here shares one
 * embedding network (see README), so an upgrade has no features to recompute: the job is
 * finished when it is created, and what changes is what the version decides: the score
 * scale of VerifyFace/VerifyPerson, the faces-per-group limit, person search (3.0 only), and
 * the version searches report.
 */
export class ModelUpgrades {
  constructor(
    private readonly groups: Groups,
    private readonly store: GroupStore,
    private readonly jobs: UpgradeJobStore,
    private readonly index: LibraryIndex,
    private readonly limits: FaceLimits,
  ) {}

  upgrade(groupId: string, toVersion: string): UpgradeJob {
    checkFaceModelVersion(toVersion);
    return this.store.transaction(() => {
      const g = this.groups.get(groupId);
      if (rank(toVersion) <= rank(g.modelVersion)) {
        throw new CoreError(
          'group.upgrade.not_allowed',
          `Group ${groupId} uses face model ${g.modelVersion}; an upgrade only goes to a newer version, not ${toVersion}.`,
        );
      }
      const now = Date.now();
      this.store.update(g.id, { modelVersion: toVersion, updatedAt: now });
      return this.jobs.insert({
        jobId: randomUUID(),
        grp: g.id,
        groupId,
        fromVersion: g.modelVersion,
        toVersion,
        status: 'done',
        startedAt: now,
      });
    });
  }

  list(offset?: number, limit?: number): { jobs: UpgradeJob[]; total: number } {
    const page = checkPage(offset, limit);
    return this.store.transaction(() => ({
      jobs: page.limit === 0 ? [] : this.jobs.list(page.offset, page.limit),
      total: this.jobs.count(),
    }));
  }

  get(jobId: string): UpgradeJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new CoreError('upgrade_job.not_found', `The upgrade job ${jobId} does not exist.`);
    return job;
  }

  /** Puts the job's group back on the version it had; a group can be rolled back once. */
  revert(jobId: string): void {
    this.store.transaction(() => {
      const job = this.get(jobId);
      const g = job.grp === null ? undefined : this.store.getByRowId(job.grp);
      if (!g) throw new CoreError('group.not_found', `The group ${job.groupId} of upgrade job ${jobId} no longer exists.`);
      const refuse = (why: string) => {
        throw new CoreError('upgrade_job.cannot_revert', `Upgrade job ${jobId} cannot be rolled back: ${why}.`);
      };
      if (job.status === 'rolled_back') refuse('it was rolled back already');
      if (this.jobs.rollbacks(g.id) > 0) refuse(`group ${g.groupId} has had its one rollback`);
      if (g.modelVersion !== job.toVersion) refuse(`group ${g.groupId} is no longer on face model ${job.toVersion}`);
      const max = this.limits.maxFacesPerGroup[job.fromVersion] ?? Infinity;
      const faces = this.index.faces.groupSize(g.id);
      if (faces > max) refuse(`group ${g.groupId} holds ${faces} faces, more than face model ${job.fromVersion} allows (${max})`);
      const now = Date.now();
      this.store.update(g.id, { modelVersion: job.fromVersion, updatedAt: now });
      this.jobs.rolledBack(job.id, now);
    });
  }
}

const rank = (version: string): number => (faceModelVersions as readonly string[]).indexOf(version);
