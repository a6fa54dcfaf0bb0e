/**
 * Age and gender with fr_age / fr_gender, two SSR-Net regressors (soft stagewise regression:
 * three stages of 3 bins with learned bin shifts and scale deltas, outputs named
 * prob_stage_N / stageN_delta_k / index_offset_stageN). Both read the same 64×64 crop of the
 * box scaled 1.4×, ImageNet-normalised, in BGR order, and decode with the SSR formula; only
 * the output range V differs (101 years for age, 1 for gender).
 *
 * Gender is P(male): on 78 lfw-dev identities of known gender (680 photos), thresholding it at
 * 0.5 is right for 83 % of photos with BGR input and 72 % with RGB; 1.0× and 1.8× crops did
 * worse than 1.4×. Ages look plausible (mean 41 on lfw-dev's public figures) but there is no
 * age ground truth here to measure them against.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { contextRect } from './crops.ts';
import type { Box } from './detect.ts';
import { run } from './models.ts';
import { type Pyramid, rectAffine, toChw } from './raster.ts';

const SIDE = 64;
export const IMAGENET_MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255];
export const IMAGENET_STD = [0.229 * 255, 0.224 * 255, 0.225 * 255];

/** SSR-Net's output: Σ_stages Σ_bins (bin + offset)·p / Π_(stages so far) (3·(1 + Δk)), times V. */
export function ssrDecode(o: Record<string, Float32Array>, range: number): number {
  let total = 0;
  let divisor = 1;
  for (let stage = 1; stage <= 3; stage++) {
    const p = o[`prob_stage_${stage}`]!;
    const offset = o[`index_offset_stage${stage}`]!;
    const delta = o[`stage${stage}_delta_k`]![0]!;
    divisor *= p.length * (1 + delta);
    let sum = 0;
    for (let i = 0; i < p.length; i++) sum += (i + offset[i]!) * p[i]!;
    total += sum / divisor;
  }
  return total * range;
}

export function ssrInput(pyr: Pyramid, box: Box): Float32Array {
  const r = contextRect(box, 1.4, pyr.width, pyr.height);
  return toChw(pyr.warp(rectAffine(r.x, r.y, r.w, r.h, SIDE, SIDE), SIDE, SIDE), IMAGENET_MEAN, IMAGENET_STD, 'bgr');
}

export async function estimateAgeGender(
  age: InferenceSession,
  gender: InferenceSession,
  pyr: Pyramid,
  box: Box,
): Promise<{ age: number; male: number }> {
  const input = ssrInput(pyr, box);
  const dims = [1, 3, SIDE, SIDE];
  const a = ssrDecode(await run(age, input, dims), 101);
  const g = ssrDecode(await run(gender, input, dims), 1);
  return { age: Math.min(100, Math.max(0, a)), male: Math.min(1, Math.max(0, g)) };
}
