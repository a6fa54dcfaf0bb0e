import { Type } from '@sinclair/typebox';
import { allVersions, defineAction } from '../action.ts';
import { faceIdNumber, FaceRect, faceRect, strict } from './shared.ts';

export const CreateFace = defineAction({
  name: 'CreateFace',
  versions: allVersions,
  request: Type.Object(
    {
      PersonId: Type.String(),
      Images: Type.Optional(Type.Array(Type.String())),
      Urls: Type.Optional(Type.Array(Type.String())),
      FaceMatchThreshold: Type.Optional(Type.Number()),
      QualityControl: Type.Optional(Type.Integer()),
      NeedRotateDetection: Type.Optional(Type.Integer()),
    },
    strict,
  ),
  response: Type.Object(
    {
      SucFaceNum: Type.Integer(),
      SucFaceIds: Type.Array(Type.String()),
      RetCode: Type.Array(Type.Integer()),
      SucIndexes: Type.Array(Type.Integer()),
      SucFaceRects: Type.Array(FaceRect),
      FaceModelVersion: Type.String(),
    },
    strict,
  ),
  handler: async (p, { library }) => {
    // As with a single Image/Url, URLs win when both lists are given.
    const tryRotations = p.NeedRotateDetection === 1;
    const images = p.Urls?.length ? p.Urls.map((url) => ({ url, tryRotations })) : (p.Images ?? []).map((image) => ({ image, tryRotations }));
    const r = await library.faces.add({
      personId: p.PersonId,
      images,
      faceMatchThreshold: p.FaceMatchThreshold,
      qualityControl: p.QualityControl,
    });
    return {
      SucFaceNum: r.faceIds.length,
      SucFaceIds: r.faceIds.map(String),
      RetCode: r.retCodes,
      SucIndexes: r.sucIndexes,
      SucFaceRects: r.boxes.map(faceRect),
      FaceModelVersion: r.modelVersion,
    };
  },
});

export const DeleteFace = defineAction({
  name: 'DeleteFace',
  versions: allVersions,
  request: Type.Object({ PersonId: Type.String(), FaceIds: Type.Array(Type.String()) }, strict),
  response: Type.Object({ SucDeletedNum: Type.Integer(), SucFaceIds: Type.Array(Type.String()) }, strict),
  handler: (p, { library }) => {
    const deleted = library.faces.delete(p.PersonId, p.FaceIds.map(faceIdNumber));
    return { SucDeletedNum: deleted.length, SucFaceIds: deleted.map(String) };
  },
});
