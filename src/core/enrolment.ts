import type { AnalyzedFace } from '../engine/index.ts';
import { CoreError, isCoreError, type CoreErrorCode } from './errors.ts';
import type { Analysis } from './analysis.ts';
import type { ImageInput } from './face-engine.ts';
import { passesQuality, type QualityLevel } from './quality-control.ts';
import type { FaceBox } from '../store/faces.ts';

/** A face ready to store: the largest face of an enrolment photo. */
export interface EnrolledFace {
  embedding: Float32Array;
  box: FaceBox;
  quality: number | null;
  crop: { mime: string; bytes: Uint8Array } | null;
}

export const CROP_MIME = 'image/jpeg';

export const boxOf = (f: AnalyzedFace): FaceBox => ({
  x: Math.round(f.x),
  y: Math.round(f.y),
  width: Math.round(f.width),
  height: Math.round(f.height),
});

/** Turns image inputs into embedded faces through the engine, applying the quality gate. */
export class FaceReader {
  constructor(
    private readonly analysis: Analysis,
    /** the network behind the embeddings, stored with every face */
    readonly embeddingModel: string,
  ) {}

  /** The largest face of the photo, embedded, with its aligned crop. */
  async largest(input: ImageInput, qualityLevel: QualityLevel, minFaceSize?: number): Promise<EnrolledFace> {
    const [face] = await this.faces(input, { maxFaceNum: 1, minFaceSize, qualityLevel, crop: true });
    const f = face!;
    if (f.passed === false) throw new CoreError('face.quality', 'The face does not meet the requested QualityControl level.');
    return f.face;
  }

  /** Up to maxFaceNum faces, largest first; each says whether it passed the quality gate. */
  async faces(
    input: ImageInput,
    o: { maxFaceNum: number; minFaceSize?: number; qualityLevel: QualityLevel; crop?: boolean },
  ): Promise<{ face: EnrolledFace; passed: boolean }[]> {
    const r = await this.analysis.analyze(input, {
      maxFaceNum: o.maxFaceNum,
      minFaceSize: o.minFaceSize,
      embeddings: true,
      quality: true,
      crop: o.crop ? 'jpeg' : false,
    });
    return r.faces.map((f) => ({
      passed: passesQuality(f.quality!, o.qualityLevel),
      face: {
        embedding: f.embedding!,
        box: boxOf(f),
        quality: f.quality?.score ?? null,
        crop: f.crop ? { mime: CROP_MIME, bytes: f.crop } : null,
      },
    }));
  }
}

/** Tencent CreateFace per-image RetCode for a failed image (spec: CreateFace response). */
const retCodeFor: Partial<Record<CoreErrorCode, number>> = {
  'face.none': -1101,
  'face.too_small': -1101,
  'image.decode_failed': -1102,
  'image.empty': -1102,
  'image.url_illegal': -1102,
  'image.download_failed': -1102,
  'image.download_timeout': -1102,
  'image.size_exceed': -1109,
  'image.resolution_exceed': -1109,
  'image.resolution_too_small': -1109,
  'face.quality': -1601,
};

export const RETCODE_OK = 0;
export const RETCODE_QUALITY = -1601;
export const RETCODE_NOT_SIMILAR = -1604;

/** The per-image code of an image-level failure, or undefined when the whole call must fail. */
export function retCodeOf(e: unknown): number | undefined {
  return isCoreError(e) ? retCodeFor[e.code] : undefined;
}
