import { Type } from '@sinclair/typebox';
import { allVersions, defineAction } from '../action.ts';
import {
  descriptionValues,
  FaceRect,
  faceRect,
  ImageFields,
  imageOf,
  PersonExDescriptionInfo,
  PersonGroupInfo,
  strict,
} from './shared.ts';

export const CreatePerson = defineAction({
  name: 'CreatePerson',
  versions: allVersions,
  request: Type.Object(
    {
      GroupId: Type.String(),
      PersonName: Type.String(),
      PersonId: Type.String(),
      Gender: Type.Optional(Type.Integer()),
      PersonExDescriptionInfos: Type.Optional(Type.Array(PersonExDescriptionInfo)),
      UniquePersonControl: Type.Optional(Type.Integer()),
      ...ImageFields,
    },
    strict,
  ),
  response: Type.Object(
    { FaceId: Type.String(), FaceRect, SimilarPersonId: Type.String(), FaceModelVersion: Type.String() },
    strict,
  ),
  handler: async (p, { library }) => {
    const r = await library.persons.create(
      {
        groupId: p.GroupId,
        personId: p.PersonId,
        name: p.PersonName,
        gender: p.Gender,
        descriptions: descriptionValues(p.PersonExDescriptionInfos),
        image: imageOf(p),
        uniquePersonControl: p.UniquePersonControl,
        qualityControl: p.QualityControl,
      },
      'tencent',
    );
    return {
      FaceId: r.faceId === undefined ? '' : String(r.faceId),
      FaceRect: faceRect(r.box),
      SimilarPersonId: r.similarPersonId ?? '',
      FaceModelVersion: r.modelVersion,
    };
  },
});

export const DeletePerson = defineAction({
  name: 'DeletePerson',
  versions: allVersions,
  request: Type.Object({ PersonId: Type.String() }, strict),
  response: Type.Object({}, strict),
  handler: (p, { library }) => {
    library.persons.delete(p.PersonId);
    return {};
  },
});

export const DeletePersonFromGroup = defineAction({
  name: 'DeletePersonFromGroup',
  versions: allVersions,
  request: Type.Object({ PersonId: Type.String(), GroupId: Type.String() }, strict),
  response: Type.Object({}, strict),
  handler: (p, { library }) => {
    library.persons.removeFromGroup(p.PersonId, p.GroupId);
    return {};
  },
});

const PersonInfo = Type.Object(
  {
    PersonName: Type.String(),
    PersonId: Type.String(),
    Gender: Type.Integer(),
    PersonExDescriptions: Type.Array(Type.String()),
    FaceIds: Type.Array(Type.String()),
    CreationTimestamp: Type.Integer(),
  },
  strict,
);

export const GetPersonList = defineAction({
  name: 'GetPersonList',
  versions: allVersions,
  request: Type.Object({ GroupId: Type.String(), Offset: Type.Optional(Type.Integer()), Limit: Type.Optional(Type.Integer()) }, strict),
  response: Type.Object(
    { PersonInfos: Type.Array(PersonInfo), PersonNum: Type.Integer(), FaceNum: Type.Integer(), FaceModelVersion: Type.String() },
    strict,
  ),
  handler: (p, { library }) => {
    const r = library.persons.list(p.GroupId, p.Offset, p.Limit);
    return {
      PersonInfos: r.persons.map((x) => ({
        PersonName: x.name,
        PersonId: x.personId,
        Gender: x.gender,
        PersonExDescriptions: x.exValues,
        FaceIds: x.faceIds.map(String),
        CreationTimestamp: x.createdAt,
      })),
      PersonNum: r.personNum,
      FaceNum: r.faceNum,
      FaceModelVersion: r.group.modelVersion,
    };
  },
});

export const GetPersonListNum = defineAction({
  name: 'GetPersonListNum',
  versions: allVersions,
  request: Type.Object({ GroupId: Type.String() }, strict),
  response: Type.Object({ PersonNum: Type.Integer(), FaceNum: Type.Integer() }, strict),
  handler: (p, { library }) => {
    const r = library.persons.counts(p.GroupId);
    return { PersonNum: r.personNum, FaceNum: r.faceNum };
  },
});

export const GetPersonBaseInfo = defineAction({
  name: 'GetPersonBaseInfo',
  versions: allVersions,
  request: Type.Object({ PersonId: Type.String() }, strict),
  response: Type.Object({ PersonName: Type.String(), Gender: Type.Integer(), FaceIds: Type.Array(Type.String()) }, strict),
  handler: (p, { library }) => {
    const r = library.persons.baseInfo(p.PersonId);
    return { PersonName: r.person.name, Gender: r.person.gender, FaceIds: r.faceIds.map(String) };
  },
});

export const GetPersonGroupInfo = defineAction({
  name: 'GetPersonGroupInfo',
  versions: allVersions,
  request: Type.Object({ PersonId: Type.String(), Offset: Type.Optional(Type.Integer()), Limit: Type.Optional(Type.Integer()) }, strict),
  response: Type.Object(
    { PersonGroupInfos: Type.Array(PersonGroupInfo), GroupNum: Type.Integer(), FaceModelVersion: Type.String() },
    strict,
  ),
  handler: (p, { library }) => {
    const r = library.persons.groupInfo(p.PersonId, p.Offset, p.Limit);
    return {
      PersonGroupInfos: r.memberships.map((m) => ({ GroupId: m.groupId, PersonExDescriptions: m.exValues })),
      GroupNum: r.total,
      FaceModelVersion: r.modelVersion,
    };
  },
});

export const ModifyPersonBaseInfo = defineAction({
  name: 'ModifyPersonBaseInfo',
  versions: allVersions,
  request: Type.Object(
    { PersonId: Type.String(), PersonName: Type.Optional(Type.String()), Gender: Type.Optional(Type.Integer()) },
    strict,
  ),
  response: Type.Object({}, strict),
  handler: (p, { library }) => {
    library.persons.modifyBase(p.PersonId, { name: p.PersonName, gender: p.Gender });
    return {};
  },
});

export const ModifyPersonGroupInfo = defineAction({
  name: 'ModifyPersonGroupInfo',
  versions: allVersions,
  request: Type.Object(
    { GroupId: Type.String(), PersonId: Type.String(), PersonExDescriptionInfos: Type.Array(PersonExDescriptionInfo) },
    strict,
  ),
  response: Type.Object({}, strict),
  handler: (p, { library }) => {
    library.persons.modifyGroupInfo(p.GroupId, p.PersonId, descriptionValues(p.PersonExDescriptionInfos)!);
    return {};
  },
});

export const CopyPerson = defineAction({
  name: 'CopyPerson',
  versions: allVersions,
  request: Type.Object({ PersonId: Type.String(), GroupIds: Type.Array(Type.String()) }, strict),
  response: Type.Object({ SucGroupNum: Type.Integer(), SucGroupIds: Type.Array(Type.String()) }, strict),
  handler: (p, { library }) => {
    const joined = library.persons.copy(p.PersonId, p.GroupIds);
    return { SucGroupNum: joined.length, SucGroupIds: joined };
  },
});
