import { Type, type TSchema } from '@sinclair/typebox';
import type { ImageInput } from '../../core/face-engine.ts';
import type { FaceBox } from '../../store/faces.ts';

/** Schema pieces and mappings several IAI actions share. */
export const strict = { additionalProperties: false } as const;

/** One image, as base64 or URL (the URL wins), and the rotation search flag that comes with it. */
export const ImageSource = {
  Image: Type.Optional(Type.String()),
  Url: Type.Optional(Type.String()),
  NeedRotateDetection: Type.Optional(Type.Integer()),
};

export const ImageFields = { ...ImageSource, QualityControl: Type.Optional(Type.Integer()) };

export const imageOf = (p: { Image?: string; Url?: string; NeedRotateDetection?: number }): ImageInput => ({
  image: p.Image,
  url: p.Url,
  tryRotations: p.NeedRotateDetection === 1,
});

export const FaceRect = Type.Object({ X: Type.Integer(), Y: Type.Integer(), Width: Type.Integer(), Height: Type.Integer() }, strict);

export const faceRect = (b: FaceBox) => ({ X: b.x, Y: b.y, Width: b.width, Height: b.height });

export const PersonExDescriptionInfo = Type.Object(
  { PersonExDescriptionIndex: Type.Integer(), PersonExDescription: Type.String() },
  strict,
);

export const descriptionValues = (infos: { PersonExDescriptionIndex: number; PersonExDescription: string }[] | undefined) =>
  infos?.map((i) => ({ index: i.PersonExDescriptionIndex, value: i.PersonExDescription }));

export const PersonGroupInfo = Type.Object({ GroupId: Type.String(), PersonExDescriptions: Type.Array(Type.String()) }, strict);

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Tencent face ids are decimal strings; anything else names no face. */
export const faceIdNumber = (id: string): number => (/^\d{1,15}$/.test(id) ? Number(id) : -1);
