import { Type } from '@sinclair/typebox';
import { allVersions, defineAction } from '../action.ts';
import type { UpgradeJob } from '../../core/model-upgrades.ts';

const strict = { additionalProperties: false } as const;

/** GetUpgradeGroupFaceModelVersionResult's Status values. */
const STATUS = { done: 1, rolled_back: 2 } as const;

export const UpgradeGroupFaceModelVersion = defineAction({
  name: 'UpgradeGroupFaceModelVersion',
  versions: allVersions,
  request: Type.Object({ GroupId: Type.String(), FaceModelVersion: Type.String() }, strict),
  response: Type.Object({ JobId: Type.String() }),
  handler: (p, { library }) => ({ JobId: library.upgrades.upgrade(p.GroupId, p.FaceModelVersion).jobId }),
});

const UpgradeJobInfo = Type.Object({
  JobId: Type.String(),
  GroupId: Type.String(),
  FromFaceModelVersion: Type.String(),
  ToFaceModelVersion: Type.String(),
  StartTime: Type.Integer(),
  Status: Type.Integer(),
});

const jobInfo = (j: UpgradeJob) => ({
  JobId: j.jobId,
  GroupId: j.groupId,
  FromFaceModelVersion: j.fromVersion,
  ToFaceModelVersion: j.toVersion,
  StartTime: j.startedAt,
  Status: STATUS[j.status],
});

export const GetUpgradeGroupFaceModelVersionJobList = defineAction({
  name: 'GetUpgradeGroupFaceModelVersionJobList',
  versions: allVersions,
  request: Type.Object({ Offset: Type.Optional(Type.Integer()), Limit: Type.Optional(Type.Integer()) }, strict),
  response: Type.Object({ JobInfos: Type.Array(UpgradeJobInfo), JobNum: Type.Integer() }),
  handler: (p, { library }) => {
    const { jobs, total } = library.upgrades.list(p.Offset, p.Limit);
    return { JobInfos: jobs.map(jobInfo), JobNum: total };
  },
});

export const GetUpgradeGroupFaceModelVersionResult = defineAction({
  name: 'GetUpgradeGroupFaceModelVersionResult',
  versions: allVersions,
  request: Type.Object({ JobId: Type.String() }, strict),
  response: Type.Object({
    EndTimestamp: Type.Integer(),
    Progress: Type.Number(),
    Status: Type.Integer(),
    StartTime: Type.Integer(),
    FromFaceModelVersion: Type.String(),
    ToFaceModelVersion: Type.String(),
    GroupId: Type.String(),
    FailedFacesUrl: Type.String(),
  }),
  handler: (p, { library }) => {
    const { JobId: _, ...job } = jobInfo(library.upgrades.get(p.JobId));
    // EndTimestamp is a running job's estimated end; the SDKs document 0 as "the job has
    // finished", which every job here has, at creation (nothing to recompute): so no face
    // ever fails either, and there is no list to link.
    return { ...job, EndTimestamp: 0, Progress: 100, FailedFacesUrl: '' };
  },
});

export const RevertGroupFaceModelVersion = defineAction({
  name: 'RevertGroupFaceModelVersion',
  versions: allVersions,
  request: Type.Object({ JobId: Type.String() }, strict),
  response: Type.Object({}),
  handler: (p, { library }) => {
    library.upgrades.revert(p.JobId);
    return {};
  },
});
