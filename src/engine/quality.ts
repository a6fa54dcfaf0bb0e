/**
 * Face quality from measurable signals only — no occlusion model ships with the engine:
 * - sharpness: Laplacian energy of the aligned face relative to its contrast, so a small face
 *   blown up to 112 px or a blurred photo scores low whatever its exposure;
 * - brightness: mean luma of the inner face;
 * - completeness per region: how much of that region lies inside the image (and near the
 *   detector box), judged on the landmarks and on where an average face placed by the eyes
 *   would put them — the landmark model squeezes a face cut by the image edge into what is
 *   visible, the eye-anchored average face does not. A hand or mask over a visible region is
 *   NOT detected;
 * - score: completeness (between worst and mean region) × a weighted mean of sharpness,
 *   exposure, face size (eye distance) and frontalness (yaw estimated from the landmarks).
 *   On lfw-dev it correlates only weakly (r = 0.14) with how well a photo matches the same
 *   person's other photos: a plausibility gate, not a recognition-quality predictor.
 */
import { ALIGNED_SIDE, fivePoints, similarity, TEMPLATE } from './align.ts';
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

/** Mean iBUG-68 shape in aligned-crop coordinates, measured on lfw-dev (x0, y0, x1, y1, ...). */
const MEAN_SHAPE = [
  16, 48.4, 16.6, 61.3, 17.6, 73.9, 19.5, 86.3, 23.4, 97.5, 29.9, 106.6, 38.1, 113.6, 46.7, 119.4, 56.3, 121.1, 65.8, 119.3,
  74.5, 113.5, 82.6, 106.4, 89.1, 97.1, 92.9, 85.8, 94.7, 73.4, 95.7, 60.7, 96.1, 47.7, 23.9, 43.4, 29.3, 38.7, 36.3, 38,
  43.4, 39.7, 50.1, 43.1, 61.6, 42.9, 68.3, 39.5, 75.5, 37.7, 82.5, 38.4, 88, 43, 55.9, 51.1, 55.9, 58.3, 55.9, 65.4, 56,
  72.9, 47.6, 78.6, 51.7, 80.1, 56, 81.5, 60.3, 80.1, 64.4, 78.5, 32.1, 51.8, 36.4, 49.8, 41.3, 49.8, 45.7, 53.2, 41, 54.1,
  36.2, 53.9, 66.2, 53.1, 70.6, 49.6, 75.4, 49.6, 79.8, 51.4, 75.7, 53.6, 70.9, 53.9, 40.5, 91.4, 46.5, 89, 52.2, 87.7,
  56.1, 88.9, 59.9, 87.6, 65.7, 88.9, 71.8, 91.2, 65.9, 97.4, 60.3, 100, 56.1, 100.4, 51.9, 100, 46.4, 97.5, 42.8, 91.8,
  52.1, 91.6, 56.1, 92.1, 60, 91.5, 69.5, 91.6, 60.1, 94, 56.1, 94.6, 52.1, 94.1,
];

/** The mean face placed on the image by the eye centres alone. */
function eyeAnchoredShape(l68: readonly Point[]): Point[] {
  const [le, re] = fivePoints(l68);
  const { a, b, tx, ty } = similarity([TEMPLATE[0]!, TEMPLATE[1]!], [le!, re!]);
  const out: Point[] = [];
  for (let i = 0; i < 68; i++) {
    const x = MEAN_SHAPE[2 * i]!;
    const y = MEAN_SHAPE[2 * i + 1]!;
    out.push([a * x - b * y + tx, b * x + a * y + ty]);
  }
  return out;
}

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
  const anchored = eyeAnchoredShape(l68);
  const out = {} as FaceQualityCompleteness;
  for (const [region, idx] of Object.entries(REGIONS) as [keyof FaceQualityCompleteness, number[]][]) {
    const seen = idx.reduce((s, i) => s + Math.min(visibility(l68[i]!), visibility(anchored[i]!)), 0);
    out[region] = Math.round((100 * seen) / idx.length);
  }
  return out;
}

/** Yaw in degrees from landmarks alone, so quality needs no extra network. */
function landmarkYaw(l68: readonly Point[], eyeDistance: number): number {
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
  // between the worst region and the average: a missing chin hurts, but less than a missing face
  const regions = Object.values(completeness);
  const visible = (Math.min(...regions) + regions.reduce((a, b) => a + b, 0) / regions.length) / 200;
  const score = 100 * visible * (0.3 * (sharpness / 100) + 0.2 * clamp01(exposure) + 0.25 * size + 0.25 * frontal);
  return {
    score: Math.round(score),
    sharpness: Math.round(sharpness),
    brightness: Math.round(brightness),
    completeness,
  };
}
