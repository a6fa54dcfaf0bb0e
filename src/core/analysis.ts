import type { AnalyzedFace, AnalyzeOptions, AnalyzeResult } from '../engine/index.ts';
import { CoreError } from './errors.ts';
import type { FaceEngine, ImageInput, ImageLoader } from './face-engine.ts';
import { passesQuality, checkQualityLevel } from './quality-control.ts';
import { checkFaceModelVersion, checkRange, defaultFaceModelVersion, type FaceModelVersion } from './rules.ts';
import { cosine } from './scores.ts';

/** Faces the cloud analyses in one photo, by action. */
export const analysisLimits = {
  detectFacesMax: 120,
  /** the cloud computes attributes for the 5 largest faces, quality for the 30 largest */
  attributeFaces: 5,
  qualityFaces: 30,
  shapeFacesMax: 10,
  denseShapeFacesMax: 5,
} as const;

export interface DetectInput {
  image: ImageInput;
  maxFaceNum?: number;
  minFaceSize?: number;
  /** the cloud's MinFaceSize choices for this API version (2020-03-03 accepts only 34 or 20) */
  allowedMinFaceSizes?: readonly number[];
  attributes?: boolean;
  quality?: boolean;
  landmarks?: boolean;
  modelVersion?: string;
  /** versions the action accepts (some only take 3.0) */
  modelVersions?: readonly FaceModelVersion[];
}

/** Which face of a photo a 1:1 comparison uses. */
export type FacePick = 'largest' | 'most-confident';

/** Analysis of photos that never touches the library: detection, attributes, 1:1 compare, liveness. */
export class Analysis {
  constructor(
    private readonly engine: FaceEngine,
    private readonly loadImage: ImageLoader,
  ) {}

  modelVersion(v: string | undefined, allowed: readonly FaceModelVersion[] = ['2.0', '3.0']): FaceModelVersion {
    const version = v ?? defaultFaceModelVersion;
    checkFaceModelVersion(version);
    if (!allowed.includes(version)) {
      throw new CoreError('group.model_version.illegal', `This action accepts FaceModelVersion ${allowed.join(' or ')} only.`);
    }
    return version;
  }

  async analyze(image: ImageInput, options: AnalyzeOptions): Promise<AnalyzeResult> {
    const r = await this.engine.analyze(await this.loadImage(image), { ...options, tryRotations: image.tryRotations });
    if (r.faces.length === 0) throw new CoreError('face.none', 'There is no face in the image.');
    return r;
  }

  async detect(input: DetectInput): Promise<AnalyzeResult & { modelVersion: FaceModelVersion }> {
    const modelVersion = this.modelVersion(input.modelVersion, input.modelVersions);
    const maxFaceNum = checkRange('MaxFaceNum', input.maxFaceNum, 1, 1, analysisLimits.detectFacesMax);
    const minFaceSize = input.minFaceSize ?? 34;
    if (input.allowedMinFaceSizes ? !input.allowedMinFaceSizes.includes(minFaceSize) : !(Number.isInteger(minFaceSize) && minFaceSize >= 1)) {
      throw new CoreError('param.invalid', `MinFaceSize must be ${input.allowedMinFaceSizes?.join(' or ') ?? 'a positive integer'}.`);
    }
    const r = await this.analyze(input.image, {
      maxFaceNum,
      minFaceSize,
      attributes: input.attributes ? analysisLimits.attributeFaces : false,
      quality: input.quality ? analysisLimits.qualityFaces : false,
      landmarks: input.landmarks,
    });
    return { ...r, modelVersion };
  }

  /** Cosine similarity of one face from each photo, after the optional quality gate. */
  async compare(a: ImageInput, b: ImageInput, qualityControl: number | undefined, pick: FacePick = 'most-confident'): Promise<number> {
    const level = checkQualityLevel(qualityControl);
    const face = async (image: ImageInput): Promise<AnalyzedFace> => {
      const r = await this.analyze(image, { maxFaceNum: 1, order: pick === 'largest' ? 'size' : 'score', embeddings: true, quality: level > 0 });
      const f = r.faces[0]!;
      if (f.quality && !passesQuality(f.quality, level)) {
        throw new CoreError('face.quality', 'A face does not meet the requested QualityControl level.');
      }
      return f;
    };
    const [fa, fb] = await Promise.all([face(a), face(b)]);
    return cosine(fa.embedding!, fb.embedding!);
  }

  /** Liveness of the largest face, 0..1. */
  async liveness(image: ImageInput): Promise<number> {
    const r = await this.analyze(image, { maxFaceNum: 1, liveness: true });
    return r.faces[0]!.liveness!;
  }
}
