import { Type } from '@sinclair/typebox';
import { allVersions, defineAction } from '../action.ts';
import { ImageFields, imageOf, strict } from './shared.ts';

const request = Type.Object({ PersonId: Type.String(), ...ImageFields }, strict);
const response = Type.Object({ Score: Type.Number(), IsMatch: Type.Boolean(), FaceModelVersion: Type.String() }, strict);

/** faces: best score over the person's faces; fused: against its fused feature. */
const verifyAction = (name: string, mode: 'faces' | 'fused') =>
  defineAction({
    name,
    versions: allVersions,
    request,
    response,
    handler: async (p, { library }) => {
      const r = await library.verify.verify(p.PersonId, imageOf(p), p.QualityControl, mode);
      return { Score: r.score, IsMatch: r.isMatch, FaceModelVersion: r.modelVersion };
    },
  });

export const VerifyFace = verifyAction('VerifyFace', 'faces');
export const VerifyPerson = verifyAction('VerifyPerson', 'fused');
