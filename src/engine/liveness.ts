/**
 * Presentation-attack score with fr_liveness (MiniFASNet-style): 128×128 crop of the box
 * scaled 2.7× (context around the face shows screen and paper edges), raw 0..255 BGR,
 * 3-way softmax. Index 0 is "live" per the model package; with BGR input it calls 89 % of
 * lfw-dev's genuine photos live (56 % with RGB), index 2 essentially never wins there.
 * No spoof photos were available, so no threshold is validated.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { contextRect } from './crops.ts';
import type { Box } from './detect.ts';
import { run } from './models.ts';
import { type Pyramid, rectAffine, toChw } from './raster.ts';
import { softmax } from './softmax.ts';

const SIDE = 128;

/** Probability that the face is a live capture, 0..1. */
export async function livenessScore(session: InferenceSession, pyr: Pyramid, box: Box): Promise<number> {
  const r = contextRect(box, 2.7, pyr.width, pyr.height);
  const crop = pyr.warp(rectAffine(r.x, r.y, r.w, r.h, SIDE, SIDE), SIDE, SIDE);
  const out = await run(session, toChw(crop, [0, 0, 0], [1, 1, 1], 'bgr'), [1, 3, SIDE, SIDE]);
  return softmax(out.output!)[0]!;
}
