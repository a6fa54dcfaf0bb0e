/**
 * Smile from fr_expression, a 7-class facial expression classifier: 224×224 crop of the box
 * scaled 1.2×, BGR, values /255.
 *
 * Only class 3 is established: its probability rises with the landmark smile geometry on
 * lfw-dev (mouth width r = 0.56, mouth-corner lift r = 0.48; every other class correlates
 * negatively) — "happy" in both usual 7-class orders (FER2013: angry, disgust, fear, happy,
 * sad, surprise, neutral; RAF-DB: surprise, fear, disgust, happy, sad, anger, neutral). The
 * other classes cannot be told apart without labelled expressions, so they are not reported.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { contextRect } from './crops.ts';
import type { Box } from './detect.ts';
import { run } from './models.ts';
import { type Pyramid, rectAffine, toChw } from './raster.ts';
import { softmax } from './softmax.ts';

const SIDE = 224;
const HAPPY = 3;

/** Probability of the "happy" expression, 0..1. */
export async function smileProbability(session: InferenceSession, pyr: Pyramid, box: Box): Promise<number> {
  const r = contextRect(box, 1.2, pyr.width, pyr.height);
  const crop = pyr.warp(rectAffine(r.x, r.y, r.w, r.h, SIDE, SIDE), SIDE, SIDE);
  const out = await run(session, toChw(crop, [0, 0, 0], [255, 255, 255], 'bgr'), [1, 3, SIDE, SIDE]);
  return softmax(out.output!)[HAPPY]!;
}
