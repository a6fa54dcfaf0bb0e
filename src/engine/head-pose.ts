/**
 * Head pose with fr_pose, a HopeNet-style network: 224×224 crop of the box grown by a
 * quarter on each side, ImageNet-normalised; three heads of 66 bins of 3° each, decoded as
 * the softmax expectation·3 − 99 degrees. Output `output` is yaw, `617` pitch, `618` roll:
 * established on lfw-dev by correlation with landmark geometry (nose offset between the jaw
 * ends: r = −0.96 with `output`; eye-line angle: r = 0.86 with `618`; nose height between
 * eyes and mouth: r = −0.79 with `617`), which also fixes the signs documented on HeadPose.
 * RGB order (BGR correlated slightly worse).
 */
import type { InferenceSession } from 'onnxruntime-node';
import { IMAGENET_MEAN, IMAGENET_STD } from './age-gender.ts';
import { marginRect } from './crops.ts';
import type { Box } from './detect.ts';
import { run } from './models.ts';
import { type Pyramid, rectAffine, toChw } from './raster.ts';
import { softmax } from './softmax.ts';
import type { HeadPose } from './types.ts';

const SIDE = 224;

const degrees = (logits: Float32Array): number => softmax(logits).reduce((sum, p, i) => sum + p * i, 0) * 3 - 99;

export async function headPose(session: InferenceSession, pyr: Pyramid, box: Box): Promise<HeadPose> {
  const r = marginRect(box, 0.25, pyr.width, pyr.height);
  const crop = pyr.warp(rectAffine(r.x, r.y, r.w, r.h, SIDE, SIDE), SIDE, SIDE);
  const out = await run(session, toChw(crop, IMAGENET_MEAN, IMAGENET_STD), [1, 3, SIDE, SIDE]);
  return { yaw: degrees(out.output!), pitch: degrees(out['617']!), roll: degrees(out['618']!) };
}
