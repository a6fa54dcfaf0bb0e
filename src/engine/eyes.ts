/**
 * Eye openness with fr_eye: a 24×24 grey square around each eye (1.6× the corner-to-corner
 * width, centred on the eyelid points), values /255, 2-way softmax. Index 1 is "open": its
 * probability rises with the landmark eye aspect ratio on lfw-dev, and photos it calls closed
 * include the truly closed (Jim_Carrey/2, a man reading with lowered lids) — but also many
 * squints behind glasses or in a broad smile: 29 % of lfw-dev faces have one eye below 0.5.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { run } from './models.ts';
import { luma, type Point, type Pyramid, rectAffine } from './raster.ts';
import { softmax } from './softmax.ts';

const SIDE = 24;

/** [eyelid points, inner/outer corner] of the image-left and image-right eye (0-based iBUG). */
const EYES = [
  { lids: [37, 38, 40, 41], corners: [36, 39] },
  { lids: [43, 44, 46, 47], corners: [42, 45] },
] as const;

async function openProbability(session: InferenceSession, pyr: Pyramid, l68: readonly Point[], eye: (typeof EYES)[number]): Promise<number> {
  let cx = 0;
  let cy = 0;
  for (const i of eye.lids) {
    cx += l68[i]![0] / 4;
    cy += l68[i]![1] / 4;
  }
  const side = Math.max(1, 1.6 * Math.abs(l68[eye.corners[1]]![0] - l68[eye.corners[0]]![0]));
  const grey = luma(pyr.warp(rectAffine(cx - side / 2, cy - side / 2, side, side, SIDE, SIDE), SIDE, SIDE));
  for (let i = 0; i < grey.length; i++) grey[i]! /= 255;
  return softmax((await run(session, grey, [1, 1, SIDE, SIDE])).output!)[1]!;
}

/** Probability that each eye is open; left/right as they appear in the image. */
export async function eyeOpenness(session: InferenceSession, pyr: Pyramid, l68: readonly Point[]): Promise<{ left: number; right: number }> {
  return {
    left: await openProbability(session, pyr, l68, EYES[0]),
    right: await openProbability(session, pyr, l68, EYES[1]),
  };
}
