/**
 * Face quality from measurable signals only — no occlusion model ships with the engine:
 * - sharpness: Laplacian energy of the aligned face relative to its contrast, so a small face
 *   blown up to 112 px or a blurred photo scores low whatever its exposure;
 * - brightness: mean luma of the inner face;
 * - completeness per region: how much of that region's landmarks lie inside the image (and
 *   near the detector box). A hand or mask over a visible region is NOT detected;
 * - score: completeness × a weighted mean of sharpness, exposure, face size (eye distance)
 *   and frontalness (yaw estimated from the landmarks).
 */
import { ALIGNED_SIDE } from './align.ts';
import type { Box } from './detect.ts';
import { luma, type Point, type Pyramid, type Rgb } from './raster.ts';
import type { FaceQuality, FaceQualityCompleteness } from './types.ts';

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** 0-based iBUG-68 indices per completeness region. */
const REGIONS: Record<keyof FaceQualityCompleteness, number[]> = {
  eyebrow: range(17, 26),
  eye: range(36, 47),
  nose: range(27, 35),
  cheek: [...range(1, 5), ...range(11, 15)],
  mouth: range(48, 67),
  chin: range(6, 10),
};

/** Inner face of the 112×112 aligned crop (brows to chin, cheek to cheek), little background. */
const INNER = { x0: 24, x1: 88, y0: 36, y1: 100 };

/** Sharpness ratio at which the score reaches ~63; fitted so that LFW's upscaled 60-px faces land mid-range. */
const SHARPNESS_SCALE = 0.1;
/** Eye distance (px in the original image) at which size stops limiting quality. */
const GOOD_EYE_DISTANCE = 40;
/** Yaw (degrees) per unit of nose offset from the jaw midpoint in eye distances (fitted against fr_pose on lfw-dev). */
const YAW_PER_NOSE_OFFSET = 43;

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));
const mean2 = (p: readonly Point[], a: number, b: number): Point => [(p[a]![0] + p[b]![0]) / 2, (p[a]![1] + p[b]![1]) / 2];

function sharpnessOf(grey: Float32Array): number {
  const w = ALIGNED_SIDE;
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let lapSq = 0;
  for (let y = INNER.y0; y < INNER.y1; y++) {
    for (let x = INNER.x0; x < INNER.x1; x++) {
      const i = y * w + x;
      const v = grey[i]!;
      const lap = 4 * v - grey[i - 1]! - grey[i + 1]! - grey[i - w]! - grey[i + w]!;
      lapSq += lap * lap;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  const variance = sumSq / n - (sum / n) ** 2;
  const ratio = lapSq / n / (variance + 25);
  return 100 * (1 - Math.exp(-ratio / SHARPNESS_SCALE));
}

function brightnessOf(grey: Float32Array): number {
  let sum = 0;
  let n = 0;
  for (let y = INNER.y0; y < INNER.y1; y++) {
    for (let x = INNER.x0; x < INNER.x1; x++) {
      sum += grey[y * ALIGNED_SIDE + x]!;
      n++;
    }
  }
  return (100 * sum) / n / 255;
}

function completenessOf(pyr: Pyramid, box: Box, l68: readonly Point[], eyeDistance: number): FaceQualityCompleteness {
  // a point this far outside still counts half: landmarks of a face touching the edge jitter across it
  const soft = Math.max(1, 0.2 * eyeDistance);
  const margin = 0.15 * (box.x2 - box.x1);
  const outside = (v: number, lo: number, hi: number): number => Math.max(0, lo - v, v - hi);
  const visibility = ([x, y]: Point): number => {
    const offImage = Math.max(outside(x, 0, pyr.width - 1), outside(y, 0, pyr.height - 1));
    const offBox = Math.max(outside(x, box.x1 - margin, box.x2 + margin), outside(y, box.y1 - margin, box.y2 + margin));
    return clamp01(1 - offImage / (2 * soft)) * clamp01(1 - offBox / (2 * soft));
  };
  const out = {} as FaceQualityCompleteness;
  for (const [region, idx] of Object.entries(REGIONS) as [keyof FaceQualityCompleteness, number[]][]) {
    out[region] = Math.round((100 * idx.reduce((s, i) => s + visibility(l68[i]!), 0)) / idx.length);
  }
  return out;
}

/** Yaw in degrees from landmarks alone, so quality needs no extra network. */
export function landmarkYaw(l68: readonly Point[], eyeDistance: number): number {
  const jawMid = (l68[0]![0] + l68[16]![0]) / 2;
  return (-YAW_PER_NOSE_OFFSET * (l68[30]![0] - jawMid)) / Math.max(1, eyeDistance);
}

export function assessQuality(pyr: Pyramid, box: Box, l68: readonly Point[], aligned: Rgb): FaceQuality {
  const grey = luma(aligned);
  const le = mean2(l68, 36, 39);
  const re = mean2(l68, 42, 45);
  const eyeDistance = Math.hypot(re[0] - le[0], re[1] - le[1]);
  const sharpness = sharpnessOf(grey);
  const brightness = brightnessOf(grey);
  const completeness = completenessOf(pyr, box, l68, eyeDistance);

  const exposure = brightness < 30 ? brightness / 30 : brightness > 70 ? (100 - brightness) / 30 : 1;
  const size = clamp01((eyeDistance - 10) / (GOOD_EYE_DISTANCE - 10));
  const frontal = clamp01(1 - (Math.abs(landmarkYaw(l68, eyeDistance)) - 10) / 35);
  const visible = Math.min(...Object.values(completeness)) / 100;
  const score = 100 * visible * (0.3 * (sharpness / 100) + 0.2 * clamp01(exposure) + 0.25 * size + 0.25 * frontal);
  return {
    score: Math.round(score),
    sharpness: Math.round(sharpness),
    brightness: Math.round(brightness),
    completeness,
  };
}
