import { Type } from '@sinclair/typebox';
import type { FaceOutcome } from '../../core/faces.ts';
import { defineOperation } from '../operation.ts';
import { businessErrorOf } from '../errors.ts';
import { FaceIdList, faceIdOf, Strings, strict } from './shared.ts';

const FaceImageItem = Type.Object(
  {
    faceId: Type.Optional(Type.Integer()),
    success: Type.Boolean(),
    url: Type.String(),
    code: Type.Optional(Type.Integer()),
    msg: Type.Optional(Type.String()),
  },
  strict,
);

function faceImageItem(url: string, o: FaceOutcome) {
  if (o.status === 'added') return { faceId: o.faceId, success: true, url };
  const e = businessErrorOf(o.error)!;
  return { success: false, url, code: e.code, msg: e.message };
}

export const AddFaces = defineOperation({
  name: 'AddFaces',
  path: '/green/sface/face/add',
  request: Type.Object({ personId: Type.String(), urls: Strings, bizType: Type.Optional(Type.String()) }),
  response: Type.Object(
    { personId: Type.String(), groupId: Strings, groupIds: Strings, faceImageItems: Type.Array(FaceImageItem) },
    strict,
  ),
  handler: async (b, { library }) => {
    const r = await library.faces.addEach({ personId: b.personId, images: b.urls.map((url) => ({ url })) });
    return {
      personId: b.personId,
      // The documentation names this field groupId in one place and groupIds in another.
      groupId: r.groupIds,
      groupIds: r.groupIds,
      faceImageItems: r.outcomes.map((o, i) => faceImageItem(b.urls[i]!, o)),
    };
  },
});

export const DeleteFaces = defineOperation({
  name: 'DeleteFaces',
  path: '/green/sface/face/delete',
  request: Type.Object({ personId: Type.String(), faceIds: FaceIdList }),
  response: Type.Object({ personId: Type.String(), faceIds: Strings, deleteCount: Type.Integer() }, strict),
  handler: (b, { library }) => {
    const deleted = library.faces.delete(b.personId, b.faceIds.map(faceIdOf));
    return { personId: b.personId, faceIds: deleted.map(String), deleteCount: deleted.length };
  },
});

export const GetFaces = defineOperation({
  name: 'GetFaces',
  path: '/green/sface/faces',
  request: Type.Object({ personId: Type.String(), faceIds: Type.Optional(FaceIdList) }),
  response: Type.Object({ personId: Type.String(), faceImageItems: Type.Array(FaceImageItem) }, strict),
  handler: (b, { library }) => ({
    personId: b.personId,
    faceImageItems: library.faces.of(b.personId, b.faceIds?.map(faceIdOf)).map((f) => ({ faceId: f.faceId, success: true, url: f.url ?? '' })),
  }),
});
