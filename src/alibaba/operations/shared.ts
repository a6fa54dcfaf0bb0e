import { Type } from '@sinclair/typebox';

/** Schema pieces several Green operations share. */
export const strict = { additionalProperties: false } as const;

export const Strings = Type.Array(Type.String());

/** Face ids as clients send them back: JSON numbers (as AddFaces returns them) or decimal strings (as GetPerson does). */
export const FaceIdList = Type.Array(Type.Union([Type.Integer(), Type.String()]));

/** A face id from the client; anything that is not a face row id names no face. */
export const faceIdOf = (id: number | string): number => {
  const n = typeof id === 'number' ? id : /^\d{1,15}$/.test(id) ? Number(id) : -1;
  return Number.isSafeInteger(n) ? n : -1;
};
