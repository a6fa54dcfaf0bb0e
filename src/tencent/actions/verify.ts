import { Type } from '@sinclair/typebox';
import { allVersions, defineAction } from '../action.ts';
import { ImageFields, imageOf, strict } from './shared.ts';

const request = Type.Object({ PersonId: Type.String(), ...ImageFields }, strict);
const response = Type.Object({ Score: Type.Number(), IsMatch: Type.Boolean(), FaceModelVersion: Type.String() }, strict);

export const VerifyFace = defineAction({
  name: 'VerifyFace',
  versions: allVersions,
  request,
  response,
  handler: async (p, { library }) => {
    const r = await library.verify.verify(p.PersonId, imageOf(p), p.QualityControl, 'faces');
    return { Score: r.score, IsMatch: r.isMatch, FaceModelVersion: r.modelVersion };
  },
});

export const VerifyPerson = defineAction({
  name: 'VerifyPerson',
  versions: allVersions,
  request,
  response,
  handler: async (p, { library }) => {
    const r = await library.verify.verify(p.PersonId, imageOf(p), p.QualityControl, 'fused');
    return { Score: r.score, IsMatch: r.isMatch, FaceModelVersion: r.modelVersion };
  },
});
