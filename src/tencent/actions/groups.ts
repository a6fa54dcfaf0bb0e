import { Type } from '@sinclair/typebox';
import { allVersions, defineAction } from '../action.ts';
import type { Group } from '../../core/groups.ts';

const strict = { additionalProperties: false } as const;

const GroupInfo = Type.Object({
  GroupName: Type.String(),
  GroupId: Type.String(),
  GroupExDescriptions: Type.Array(Type.String()),
  Tag: Type.String(),
  FaceModelVersion: Type.String(),
  CreationTimestamp: Type.Integer(),
  UpdateTimestamp: Type.Integer(),
});

const groupInfo = (g: Group) => ({
  GroupName: g.name,
  GroupId: g.groupId,
  GroupExDescriptions: g.exDescriptions,
  Tag: g.tag,
  FaceModelVersion: g.modelVersion,
  CreationTimestamp: g.createdAt,
  UpdateTimestamp: g.updatedAt,
});

export const CreateGroup = defineAction({
  name: 'CreateGroup',
  versions: allVersions,
  request: Type.Object(
    {
      GroupName: Type.String(),
      GroupId: Type.String(),
      GroupExDescriptions: Type.Optional(Type.Array(Type.String())),
      Tag: Type.Optional(Type.String()),
      FaceModelVersion: Type.Optional(Type.String()),
    },
    strict,
  ),
  response: Type.Object({ FaceModelVersion: Type.String() }),
  handler: (p, { library }) => {
    const g = library.groups.create(
      {
        groupId: p.GroupId,
        name: p.GroupName,
        exDescriptions: p.GroupExDescriptions,
        tag: p.Tag,
        modelVersion: p.FaceModelVersion,
      },
      'tencent',
    );
    return { FaceModelVersion: g.modelVersion };
  },
});

export const DeleteGroup = defineAction({
  name: 'DeleteGroup',
  versions: allVersions,
  request: Type.Object({ GroupId: Type.String() }, strict),
  response: Type.Object({}),
  handler: (p, { library }) => {
    library.groups.delete(p.GroupId);
    return {};
  },
});

export const GetGroupList = defineAction({
  name: 'GetGroupList',
  versions: allVersions,
  request: Type.Object({ Offset: Type.Optional(Type.Integer()), Limit: Type.Optional(Type.Integer()) }, strict),
  response: Type.Object({ GroupInfos: Type.Array(GroupInfo), GroupNum: Type.Integer() }),
  handler: (p, { library }) => {
    const { groups, total } = library.groups.list(p.Offset, p.Limit);
    return { GroupInfos: groups.map(groupInfo), GroupNum: total };
  },
});

export const GetGroupInfo = defineAction({
  name: 'GetGroupInfo',
  versions: allVersions,
  request: Type.Object({ GroupId: Type.String() }, strict),
  response: Type.Omit(GroupInfo, ['UpdateTimestamp']),
  handler: (p, { library }) => {
    const { UpdateTimestamp: _, ...info } = groupInfo(library.groups.get(p.GroupId));
    return info;
  },
});

export const ModifyGroup = defineAction({
  name: 'ModifyGroup',
  versions: allVersions,
  request: Type.Object(
    {
      GroupId: Type.String(),
      GroupName: Type.Optional(Type.String()),
      GroupExDescriptionInfos: Type.Optional(
        Type.Array(
          Type.Object({ GroupExDescriptionIndex: Type.Integer(), GroupExDescription: Type.String() }, strict),
        ),
      ),
      Tag: Type.Optional(Type.String()),
    },
    strict,
  ),
  response: Type.Object({}),
  handler: (p, { library }) => {
    library.groups.modify({
      groupId: p.GroupId,
      name: p.GroupName,
      tag: p.Tag,
      descriptionRenames: p.GroupExDescriptionInfos?.map((i) => ({
        index: i.GroupExDescriptionIndex,
        name: i.GroupExDescription,
      })),
    });
    return {};
  },
});
