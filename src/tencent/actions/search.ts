import { Type } from '@sinclair/typebox';
import type { Candidate, SearchInput, SearchResult, SearchTarget } from '../../core/search.ts';
import type { Library } from '../../core/library.ts';
import { allVersions, defineAction } from '../action.ts';
import { FaceRect, faceRect, ImageFields, imageOf, Nullable, PersonGroupInfo, strict } from './shared.ts';

const CandidateSchema = Type.Object(
  {
    PersonId: Type.String(),
    FaceId: Type.String(),
    Score: Type.Number(),
    PersonName: Nullable(Type.String()),
    Gender: Nullable(Type.Integer()),
    PersonGroupInfos: Nullable(Type.Array(PersonGroupInfo)),
  },
  strict,
);

/** Candidate fields are null unless NeedPersonInfo=1, as the cloud answers. */
const candidate = (c: Candidate) => ({
  PersonId: c.personId,
  FaceId: c.faceId === undefined ? '' : String(c.faceId),
  Score: c.score,
  PersonName: c.person?.name ?? null,
  Gender: c.person?.gender ?? null,
  PersonGroupInfos: c.person ? c.person.groups.map((g) => ({ GroupId: g.groupId, PersonExDescriptions: g.exValues })) : null,
});

const ResultSchema = Type.Object({ Candidates: Type.Array(CandidateSchema), FaceRect, RetCode: Type.Integer() }, strict);
const ByGroupSchema = Type.Object(
  {
    FaceRect,
    GroupCandidates: Type.Array(Type.Object({ GroupId: Type.String(), Candidates: Type.Array(CandidateSchema) }, strict)),
    RetCode: Type.Integer(),
  },
  strict,
);

const searchFields = {
  GroupIds: Type.Array(Type.String()),
  ...ImageFields,
  MaxFaceNum: Type.Optional(Type.Integer()),
  MinFaceSize: Type.Optional(Type.Integer()),
  NeedPersonInfo: Type.Optional(Type.Integer()),
  FaceMatchThreshold: Type.Optional(Type.Number()),
};

interface SearchParams {
  GroupIds: string[];
  Image?: string;
  Url?: string;
  MaxFaceNum?: number;
  MinFaceSize?: number;
  QualityControl?: number;
  NeedPersonInfo?: number;
  FaceMatchThreshold?: number;
}

function run(library: Library, p: SearchParams, maxPersonNum: number | undefined, target: SearchTarget, byGroup: boolean): Promise<SearchResult> {
  const input: SearchInput = {
    groupIds: p.GroupIds,
    image: imageOf(p),
    maxFaceNum: p.MaxFaceNum,
    minFaceSize: p.MinFaceSize,
    maxPersonNum,
    qualityControl: p.QualityControl,
    faceMatchThreshold: p.FaceMatchThreshold,
    // "other values are treated as 0"
    needPersonInfo: p.NeedPersonInfo === 1,
  };
  return library.search.search(input, target, byGroup);
}

const merged = (r: SearchResult) =>
  r.results.map((x) => ({ Candidates: x.candidates.map(candidate), FaceRect: faceRect(x.box), RetCode: x.retCode }));

const grouped = (r: SearchResult) =>
  r.results.map((x) => ({
    FaceRect: faceRect(x.box),
    GroupCandidates: x.byGroup.map((g) => ({ GroupId: g.groupId, Candidates: g.candidates.map(candidate) })),
    RetCode: x.retCode,
  }));

export const SearchFaces = defineAction({
  name: 'SearchFaces',
  versions: allVersions,
  request: Type.Object({ ...searchFields, MaxPersonNum: Type.Optional(Type.Integer()) }, strict),
  response: Type.Object({ Results: Type.Array(ResultSchema), FaceNum: Type.Integer(), FaceModelVersion: Type.String() }, strict),
  handler: async (p, { library }) => {
    const r = await run(library, p, p.MaxPersonNum, 'faces', false);
    return { Results: merged(r), FaceNum: r.itemCount, FaceModelVersion: r.modelVersion };
  },
});

export const SearchFacesReturnsByGroup = defineAction({
  name: 'SearchFacesReturnsByGroup',
  versions: allVersions,
  request: Type.Object({ ...searchFields, MaxPersonNumPerGroup: Type.Optional(Type.Integer()) }, strict),
  response: Type.Object(
    { FaceNum: Type.Integer(), ResultsReturnsByGroup: Type.Array(ByGroupSchema), FaceModelVersion: Type.String() },
    strict,
  ),
  handler: async (p, { library }) => {
    const r = await run(library, p, p.MaxPersonNumPerGroup, 'faces', true);
    return { FaceNum: r.itemCount, ResultsReturnsByGroup: grouped(r), FaceModelVersion: r.modelVersion };
  },
});

export const SearchPersons = defineAction({
  name: 'SearchPersons',
  versions: allVersions,
  request: Type.Object({ ...searchFields, MaxPersonNum: Type.Optional(Type.Integer()) }, strict),
  response: Type.Object({ Results: Type.Array(ResultSchema), PersonNum: Type.Integer(), FaceModelVersion: Type.String() }, strict),
  handler: async (p, { library }) => {
    const r = await run(library, p, p.MaxPersonNum, 'persons', false);
    return { Results: merged(r), PersonNum: r.itemCount, FaceModelVersion: r.modelVersion };
  },
});

export const SearchPersonsReturnsByGroup = defineAction({
  name: 'SearchPersonsReturnsByGroup',
  versions: allVersions,
  request: Type.Object({ ...searchFields, MaxPersonNumPerGroup: Type.Optional(Type.Integer()) }, strict),
  response: Type.Object(
    { PersonNum: Type.Integer(), ResultsReturnsByGroup: Type.Array(ByGroupSchema), FaceModelVersion: Type.String() },
    strict,
  ),
  handler: async (p, { library }) => {
    const r = await run(library, p, p.MaxPersonNumPerGroup, 'persons', true);
    return { PersonNum: r.itemCount, ResultsReturnsByGroup: grouped(r), FaceModelVersion: r.modelVersion };
  },
});
