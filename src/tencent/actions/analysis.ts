import { Type } from '@sinclair/typebox';
import type { AnalyzedFace, FaceAttributes, FaceQuality } from '../../engine/index.ts';
import { denseFaceShape, faceShape } from '../../engine/index.ts';
import { boxOf } from '../../core/enrolment.ts';
import { analysisLimits } from '../../core/analysis.ts';
import { CoreError } from '../../core/errors.ts';
import { allVersions, defineAction } from '../action.ts';
import { faceRect, FaceRect, ImageSource, imageOf, Nullable, strict } from './shared.ts';

const percent = (p: number) => Math.round(p * 100);
/** Whole degrees: every SDK's model types these fields as integers and fails to parse a fraction. */
const headPose = (a: FaceAttributes) => ({
  Pitch: Math.round(a.headPose.pitch),
  Yaw: Math.round(a.headPose.yaw),
  Roll: Math.round(a.headPose.roll),
});

/** Attributes faceport has no model for come back null, never guessed (see README). */
const FaceAttributesInfo = Type.Object(
  {
    Gender: Type.Integer(),
    Age: Type.Integer(),
    Expression: Type.Integer(),
    Glass: Type.Null(),
    Pitch: Type.Integer(),
    Yaw: Type.Integer(),
    Roll: Type.Integer(),
    Beauty: Type.Null(),
    Hat: Type.Null(),
    Mask: Type.Null(),
    Hair: Type.Null(),
    EyeOpen: Type.Boolean(),
  },
  strict,
);

const attributesInfo = (a: FaceAttributes) => ({
  Gender: percent(a.male),
  Age: Math.round(a.age),
  Expression: percent(a.smile),
  Glass: null,
  ...headPose(a),
  Beauty: null,
  Hat: null,
  Mask: null,
  Hair: null,
  // "false if either eye is closed"
  EyeOpen: Math.min(a.eyeOpen.left, a.eyeOpen.right) >= 0.5,
});

const FaceQualityInfo = Type.Object(
  {
    Score: Type.Integer(),
    Sharpness: Type.Integer(),
    Brightness: Type.Integer(),
    Completeness: Type.Object(
      { Eyebrow: Type.Integer(), Eye: Type.Integer(), Nose: Type.Integer(), Cheek: Type.Integer(), Mouth: Type.Integer(), Chin: Type.Integer() },
      strict,
    ),
  },
  strict,
);

const qualityInfo = (q: FaceQuality) => ({
  Score: Math.round(q.score),
  Sharpness: Math.round(q.sharpness),
  Brightness: Math.round(q.brightness),
  Completeness: {
    Eyebrow: Math.round(q.completeness.eyebrow),
    Eye: Math.round(q.completeness.eye),
    Nose: Math.round(q.completeness.nose),
    Cheek: Math.round(q.completeness.cheek),
    Mouth: Math.round(q.completeness.mouth),
    Chin: Math.round(q.completeness.chin),
  },
});

const rect = (f: AnalyzedFace) => faceRect(boxOf(f));

const detectRequest = {
  ...ImageSource,
  MaxFaceNum: Type.Optional(Type.Integer()),
  MinFaceSize: Type.Optional(Type.Integer()),
  NeedFaceAttributes: Type.Optional(Type.Integer()),
  NeedQualityDetection: Type.Optional(Type.Integer()),
  FaceModelVersion: Type.Optional(Type.String()),
};

export const DetectFace = defineAction({
  name: 'DetectFace',
  versions: allVersions,
  request: Type.Object(detectRequest, strict),
  response: Type.Object(
    {
      ImageWidth: Type.Integer(),
      ImageHeight: Type.Integer(),
      FaceInfos: Type.Array(
        Type.Object(
          {
            X: Type.Integer(),
            Y: Type.Integer(),
            Width: Type.Integer(),
            Height: Type.Integer(),
            FaceAttributesInfo: Nullable(FaceAttributesInfo),
            FaceQualityInfo: Nullable(FaceQualityInfo),
          },
          strict,
        ),
      ),
      FaceModelVersion: Type.String(),
    },
    strict,
  ),
  handler: async (p, { library, version }) => {
    const r = await library.analysis.detect({
      image: imageOf(p),
      maxFaceNum: p.MaxFaceNum,
      minFaceSize: p.MinFaceSize,
      allowedMinFaceSizes: version === '2020-03-03' ? [34, 20] : undefined,
      attributes: p.NeedFaceAttributes === 1,
      quality: p.NeedQualityDetection === 1,
      modelVersion: p.FaceModelVersion,
    });
    return {
      ImageWidth: r.width,
      ImageHeight: r.height,
      FaceInfos: r.faces.map((f) => ({
        ...rect(f),
        FaceAttributesInfo: f.attributes ? attributesInfo(f.attributes) : null,
        FaceQualityInfo: f.quality ? qualityInfo(f.quality) : null,
      })),
      FaceModelVersion: r.modelVersion,
    };
  },
});

const AttributeItem = Type.Object({ Type: Type.Integer(), Probability: Type.Number() }, strict);
const item = (type: number, probability: number) => ({ Type: type, Probability: Math.round(probability * 1e4) / 1e4 });
/** A binary attribute as an AttributeItem: the likelier class and its probability. */
const binary = (pFirst: number) => (pFirst >= 0.5 ? item(0, pFirst) : item(1, 1 - pFirst));

/** FaceAttributesType names the cloud accepts, and whether faceport has a model for each. */
const attributeTypes = {
  none: true, age: true, beauty: false, emotion: false, eye: true, eyebrow: false, gender: true, hair: false, hat: false,
  headpose: true, mask: false, mouth: false, moustache: false, nose: false, shape: false, skin: false, smile: true,
} as const;
type AttributeType = keyof typeof attributeTypes;

function requestedTypes(list: string | undefined): Set<AttributeType> {
  const names = (list ?? 'None').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const n of names) {
    if (!(n in attributeTypes)) {
      throw new CoreError('attribute.type_illegal', `Unknown FaceAttributesType \`${n}\`; known: ${Object.keys(attributeTypes).join(', ')}.`);
    }
  }
  return new Set(names as AttributeType[]);
}

const FaceDetailAttributesInfo = Type.Object(
  {
    Age: Nullable(Type.Integer()),
    Beauty: Type.Null(),
    Emotion: Type.Null(),
    Eye: Nullable(Type.Object({ Glass: Type.Null(), EyeOpen: AttributeItem, EyelidType: Type.Null(), EyeSize: Type.Null() }, strict)),
    Eyebrow: Type.Null(),
    Gender: Nullable(AttributeItem),
    Hair: Type.Null(),
    Hat: Type.Null(),
    HeadPose: Nullable(Type.Object({ Pitch: Type.Integer(), Yaw: Type.Integer(), Roll: Type.Integer() }, strict)),
    Mask: Type.Null(),
    Mouth: Type.Null(),
    Moustache: Type.Null(),
    Nose: Type.Null(),
    Shape: Type.Null(),
    Skin: Type.Null(),
    Smile: Nullable(Type.Integer()),
  },
  strict,
);

function detailAttributes(a: FaceAttributes | undefined, want: Set<AttributeType>) {
  const has = (t: AttributeType) => a !== undefined && want.has(t);
  return {
    Age: has('age') ? Math.min(65, Math.round(a!.age)) : null,
    Beauty: null,
    Emotion: null,
    // Type 0 = open; "closed" if either eye is.
    Eye: has('eye') ? { Glass: null, EyeOpen: binary(Math.min(a!.eyeOpen.left, a!.eyeOpen.right)), EyelidType: null, EyeSize: null } : null,
    Eyebrow: null,
    // Type 0 = male here (the opposite of FaceAttributesInfo's convention).
    Gender: has('gender') ? binary(a!.male) : null,
    Hair: null,
    Hat: null,
    HeadPose: has('headpose') ? headPose(a!) : null,
    Mask: null,
    Mouth: null,
    Moustache: null,
    Nose: null,
    Shape: null,
    Skin: null,
    Smile: has('smile') ? percent(a!.smile) : null,
  };
}

export const DetectFaceAttributes = defineAction({
  name: 'DetectFaceAttributes',
  versions: allVersions,
  request: Type.Object(
    {
      ...ImageSource,
      MaxFaceNum: Type.Optional(Type.Integer()),
      FaceAttributesType: Type.Optional(Type.String()),
      FaceModelVersion: Type.Optional(Type.String()),
    },
    strict,
  ),
  response: Type.Object(
    {
      ImageWidth: Type.Integer(),
      ImageHeight: Type.Integer(),
      FaceDetailInfos: Type.Array(Type.Object({ FaceRect, FaceDetailAttributesInfo }, strict)),
      FaceModelVersion: Type.String(),
    },
    strict,
  ),
  handler: async (p, { library }) => {
    const want = requestedTypes(p.FaceAttributesType);
    const r = await library.analysis.detect({
      image: imageOf(p),
      maxFaceNum: p.MaxFaceNum,
      attributes: [...want].some((t) => attributeTypes[t] && t !== 'none'),
      modelVersion: p.FaceModelVersion,
      modelVersions: ['3.0'],
    });
    return {
      ImageWidth: r.width,
      ImageHeight: r.height,
      FaceDetailInfos: r.faces.map((f) => ({ FaceRect: rect(f), FaceDetailAttributesInfo: detailAttributes(f.attributes, want) })),
      FaceModelVersion: r.modelVersion,
    };
  },
});

const Point = Type.Object({ X: Type.Number(), Y: Type.Number() }, strict);

/** Mode 0: every face (up to the action's cap); 1: the largest face only. */
function shapeMode(mode: number | undefined): 0 | 1 {
  const m = mode ?? 0;
  if (m !== 0 && m !== 1) throw new CoreError('param.invalid', 'Mode must be 0 (all faces) or 1 (the largest face).');
  return m;
}
const points = (pts: readonly (readonly [number, number])[]) => pts.map(([x, y]) => ({ X: Math.round(x), Y: Math.round(y) }));

export const AnalyzeFace = defineAction({
  name: 'AnalyzeFace',
  versions: allVersions,
  request: Type.Object(
    { ...ImageSource, Mode: Type.Optional(Type.Integer()), FaceModelVersion: Type.Optional(Type.String()) },
    strict,
  ),
  response: Type.Object(
    {
      ImageWidth: Type.Integer(),
      ImageHeight: Type.Integer(),
      FaceShapeSet: Type.Array(
        Type.Object(
          {
            FaceProfile: Type.Array(Point),
            LeftEye: Type.Array(Point),
            RightEye: Type.Array(Point),
            LeftEyeBrow: Type.Array(Point),
            RightEyeBrow: Type.Array(Point),
            Mouth: Type.Array(Point),
            Nose: Type.Array(Point),
            LeftPupil: Type.Array(Point),
            RightPupil: Type.Array(Point),
          },
          strict,
        ),
      ),
      FaceModelVersion: Type.String(),
    },
    strict,
  ),
  handler: async (p, { library }) => {
    const r = await library.analysis.detect({
      image: imageOf(p),
      maxFaceNum: shapeMode(p.Mode) === 1 ? 1 : analysisLimits.shapeFacesMax,
      landmarks: true,
      modelVersion: p.FaceModelVersion,
    });
    return {
      ImageWidth: r.width,
      ImageHeight: r.height,
      FaceShapeSet: r.faces.map((f) => {
        const s = faceShape(f.landmarks68!);
        return {
          FaceProfile: points(s.faceProfile),
          LeftEye: points(s.leftEye),
          RightEye: points(s.rightEye),
          LeftEyeBrow: points(s.leftEyeBrow),
          RightEyeBrow: points(s.rightEyeBrow),
          Mouth: points(s.mouth),
          Nose: points(s.nose),
          LeftPupil: points(s.leftPupil),
          RightPupil: points(s.rightPupil),
        };
      }),
      FaceModelVersion: r.modelVersion,
    };
  },
});

const DenseFaceShape = Type.Object(
  {
    X: Type.Integer(),
    Y: Type.Integer(),
    Width: Type.Integer(),
    Height: Type.Integer(),
    LeftEye: Type.Array(Point),
    RightEye: Type.Array(Point),
    LeftEyeBrow: Type.Array(Point),
    RightEyeBrow: Type.Array(Point),
    MouthOutside: Type.Array(Point),
    MouthInside: Type.Array(Point),
    Nose: Type.Array(Point),
    LeftPupil: Type.Array(Point),
    RightPupil: Type.Array(Point),
    CentralAxis: Type.Array(Point),
    Chin: Type.Array(Point),
    LeftEyeBags: Type.Array(Point),
    RightEyeBags: Type.Array(Point),
    Forehead: Type.Array(Point),
  },
  strict,
);

/**
 * The densest shape the 68 landmarks support: each contour resampled (see face-shape.ts).
 * Eye bags and forehead are located by no model faceport has, so they come back empty.
 */
export const AnalyzeDenseLandmarks = defineAction({
  name: 'AnalyzeDenseLandmarks',
  versions: allVersions,
  request: Type.Object({ ...ImageSource, Mode: Type.Optional(Type.Integer()), FaceModelVersion: Type.Optional(Type.String()) }, strict),
  response: Type.Object(
    { ImageWidth: Type.Integer(), ImageHeight: Type.Integer(), DenseFaceShapeSet: Type.Array(DenseFaceShape), FaceModelVersion: Type.String() },
    strict,
  ),
  handler: async (p, { library }) => {
    const r = await library.analysis.detect({
      image: imageOf(p),
      maxFaceNum: shapeMode(p.Mode) === 1 ? 1 : analysisLimits.denseShapeFacesMax,
      landmarks: true,
      modelVersion: p.FaceModelVersion,
      modelVersions: ['3.0'],
    });
    return {
      ImageWidth: r.width,
      ImageHeight: r.height,
      DenseFaceShapeSet: r.faces.map((f) => {
        const d = denseFaceShape(f.landmarks68!);
        return {
          ...rect(f),
          LeftEye: points(d.leftEye),
          RightEye: points(d.rightEye),
          LeftEyeBrow: points(d.leftEyeBrow),
          RightEyeBrow: points(d.rightEyeBrow),
          MouthOutside: points(d.mouthOutside),
          MouthInside: points(d.mouthInside),
          Nose: points(d.nose),
          LeftPupil: points(d.leftPupil),
          RightPupil: points(d.rightPupil),
          CentralAxis: points(d.centralAxis),
          Chin: points(d.chin),
          LeftEyeBags: [],
          RightEyeBags: [],
          Forehead: [],
        };
      }),
      FaceModelVersion: r.modelVersion,
    };
  },
});

export const DetectLiveFaceAccurate = defineAction({
  name: 'DetectLiveFaceAccurate',
  versions: ['2020-03-03'],
  request: Type.Object({ Image: Type.Optional(Type.String()), Url: Type.Optional(Type.String()), FaceModelVersion: Type.Optional(Type.String()) }, strict),
  response: Type.Object({ Score: Type.Number(), FaceModelVersion: Type.String() }, strict),
  handler: async (p, { library }) => {
    const modelVersion = library.analysis.modelVersion(p.FaceModelVersion, ['3.0']);
    const live = await library.analysis.liveness(imageOf(p));
    return { Score: Math.round(live * 1e4) / 100, FaceModelVersion: modelVersion };
  },
});
