import { Type } from '@sinclair/typebox';
import { compareScoreFor, shiftedScore } from '../../core/scores.ts';
import { CoreError } from '../../core/errors.ts';
import type { FacePick } from '../../core/analysis.ts';
import type { Library } from '../../core/library.ts';
import { defineAction } from '../action.ts';
import { strict } from './shared.ts';

const pairFields = {
  ImageA: Type.Optional(Type.String()),
  ImageB: Type.Optional(Type.String()),
  UrlA: Type.Optional(Type.String()),
  UrlB: Type.Optional(Type.String()),
  QualityControl: Type.Optional(Type.Integer()),
};

interface PairParams {
  ImageA?: string;
  ImageB?: string;
  UrlA?: string;
  UrlB?: string;
  QualityControl?: number;
  NeedRotateDetection?: number;
}

const compare = (library: Library, p: PairParams, pick?: FacePick) => {
  const tryRotations = p.NeedRotateDetection === 1;
  return library.analysis.compare({ image: p.ImageA, url: p.UrlA, tryRotations }, { image: p.ImageB, url: p.UrlB, tryRotations }, p.QualityControl, pick);
};

const scoreResponse = Type.Object({ Score: Type.Number(), FaceModelVersion: Type.String() }, strict);

const compareFace = async (library: Library, p: PairParams & { FaceModelVersion?: string; FaceMatchingStrategy?: number }) => {
  const version = library.analysis.modelVersion(p.FaceModelVersion);
  const strategy = p.FaceMatchingStrategy ?? 0;
  if (strategy !== 0 && strategy !== 1) throw new CoreError('param.invalid', 'FaceMatchingStrategy must be 0 or 1.');
  const cos = await compare(library, p, strategy === 1 ? 'largest' : 'most-confident');
  return { Score: compareScoreFor(cos, version), FaceModelVersion: version };
};

const compareRequest = { ...pairFields, FaceModelVersion: Type.Optional(Type.String()), NeedRotateDetection: Type.Optional(Type.Integer()) };

/** 2018-03-01 has no FaceMatchingStrategy: the one field-level difference between the versions. */
export const CompareFace2018 = defineAction({
  name: 'CompareFace',
  versions: ['2018-03-01'],
  request: Type.Object(compareRequest, strict),
  response: scoreResponse,
  handler: (p, { library }) => compareFace(library, p),
});

export const CompareFace2020 = defineAction({
  name: 'CompareFace',
  versions: ['2020-03-03'],
  request: Type.Object({ ...compareRequest, FaceMatchingStrategy: Type.Optional(Type.Integer()) }, strict),
  response: scoreResponse,
  handler: (p, { library }) => compareFace(library, p),
});

/** No mask-specific model ships offline: the same embedding compares masked faces (see README). */
export const CompareMaskFace = defineAction({
  name: 'CompareMaskFace',
  versions: ['2020-03-03'],
  request: Type.Object({ ...pairFields, FaceModelVersion: Type.Optional(Type.String()) }, strict),
  response: scoreResponse,
  handler: async (p, { library }) => {
    const version = library.analysis.modelVersion(p.FaceModelVersion, ['3.0']);
    return { Score: compareScoreFor(await compare(library, p), version), FaceModelVersion: version };
  },
});

export const DetectFaceSimilarity = defineAction({
  name: 'DetectFaceSimilarity',
  versions: ['2020-03-03'],
  request: Type.Object(pairFields, strict),
  response: Type.Object({ Score: Type.Number() }, strict),
  handler: async (p, { library }) => ({ Score: shiftedScore(await compare(library, p)) }),
});
