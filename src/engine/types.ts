/** Public request/result shapes of the engine, shared by the pipeline, the worker pool and callers. */
import type { ImageFormat } from './image.ts';

export const DEFAULT_MIN_FACE_SIZE = 34;
export const MAX_FACE_NUM = 120;
export const EMBEDDING_DIM = 512;

/**
 * A per-face feature switch: `true` for every returned face, a number for only that many of
 * the first faces (e.g. the cloud computes attributes for the 5 largest only), false/absent off.
 */
export type FeatureRequest = boolean | number;

export interface AnalyzeOptions {
  /** Faces to return, 1..120 (default 1). */
  maxFaceNum?: number;
  /** Smallest face (longer box side, pixels) to find and return (default 34; the cloud allows 34 or 20). */
  minFaceSize?: number;
  /** 'size' (default): largest faces first; 'score': most confident detections first. */
  order?: 'size' | 'score';
  /** 68 iBUG landmarks per face in image pixels. */
  landmarks?: boolean;
  /** L2-normalised 512-d identity embedding. */
  embeddings?: FeatureRequest;
  attributes?: FeatureRequest;
  quality?: FeatureRequest;
  liveness?: FeatureRequest;
  /** Aligned 112×112 face crop, encoded as PNG or JPEG. */
  crop?: 'png' | 'jpeg' | false;
  /**
   * Also look at the photo turned 90°, 180° and 270° and keep the orientation whose face
   * stands upright (about three more detect + landmark + embed runs, ~100 ms); boxes and
   * landmarks are still reported in the photo's own frame.
   */
  tryRotations?: boolean;
  /** Override the threshold on the verified detection score, default 0.9 (tuning and evaluation only). */
  detectThreshold?: number;
}

export interface HeadPose {
  /** Degrees; positive = the face turns towards the image's left. */
  yaw: number;
  /** Degrees; positive = the face looks up. */
  pitch: number;
  /** Degrees; positive = the head tilts clockwise in the image. */
  roll: number;
}

export interface FaceAttributes {
  /** Estimated age in years, 0..100. */
  age: number;
  /** Probability that the face is male, 0..1. */
  male: number;
  /** Probability of a smiling ("happy") expression, 0..1; see expression.ts for what is and isn't known. */
  smile: number;
  /** Probability that each eye is open, 0..1 (left/right as seen in the image). */
  eyeOpen: { left: number; right: number };
  headPose: HeadPose;
}

export interface FaceQualityCompleteness {
  eyebrow: number;
  eye: number;
  nose: number;
  cheek: number;
  mouth: number;
  chin: number;
}

export interface FaceQuality {
  /** Overall 0..100. */
  score: number;
  /** 0..100 from the Laplacian response of the aligned face. */
  sharpness: number;
  /** 0..100 mean luma of the inner face (0 black, 100 white; 30..70 is normal). */
  brightness: number;
  /** 0..100 per region: share of its landmarks inside the image, 100 = wholly visible. */
  completeness: FaceQualityCompleteness;
}

export interface AnalyzedFace {
  /** Detector box in original (EXIF-rotated) image pixels; may extend past the image edge. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Detector confidence 0..1. */
  score: number;
  landmarks68?: [number, number][];
  embedding?: Float32Array;
  attributes?: FaceAttributes;
  quality?: FaceQuality;
  /** fr_liveness probability that the face is a live capture, 0..1 (not validated on spoofs). */
  liveness?: number;
  crop?: Uint8Array;
}

export interface StageTimings {
  decode: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  crop: number;
  attributes: number;
  quality: number;
  liveness: number;
}

export interface AnalyzeResult {
  /** Image size after EXIF rotation. */
  width: number;
  height: number;
  format: ImageFormat;
  faces: AnalyzedFace[];
  /** Milliseconds spent per stage inside the worker (summed over faces). */
  timings: StageTimings;
}
