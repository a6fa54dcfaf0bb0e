/**
 * 68-point iBUG landmarks with fr_landmark: the detector box resampled to a 64×64 grey crop
 * (stretched, not squared: that is how the model was fed by its authors, and it measured
 * better than a square crop), 68 (x, y) pairs normalised to the crop out.
 *
 * The mirrored crop is run too and its points, mirrored back with left/right swapped, are
 * averaged in: it costs a 0.4 ms inference and steadies the alignment (ROC AUC 0.9969 →
 * 0.9977 on lfw-dev).
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { Box } from './detect.ts';
import { run } from './models.ts';
import { luma, mirror, type Point, type Pyramid, type Rgb, rectAffine } from './raster.ts';

const SIDE = 64;

/** For each iBUG point, its counterpart in the mirrored face. */
const MIRRORED = [
  16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, // jaw
  26, 25, 24, 23, 22, 21, 20, 19, 18, 17, // brows
  27, 28, 29, 30, 35, 34, 33, 32, 31, // nose
  45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40, // eyes
  54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55, // outer lips
  64, 63, 62, 61, 60, 67, 66, 65, // inner lips
];

async function infer(session: InferenceSession, crop: Rgb): Promise<Float32Array> {
  const grey = luma(crop);
  for (let i = 0; i < grey.length; i++) grey[i]! /= 256;
  return (await run(session, grey, [1, 1, SIDE, SIDE])).output!;
}

export async function detectLandmarks(session: InferenceSession, pyr: Pyramid, box: Box): Promise<Point[]> {
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  const crop = pyr.warp(rectAffine(box.x1, box.y1, w, h, SIDE, SIDE), SIDE, SIDE);
  const direct = await infer(session, crop);
  const flipped = await infer(session, mirror(crop));
  const points: Point[] = [];
  for (let i = 0; i < 68; i++) {
    const j = MIRRORED[i]!;
    // the model's x is a pixel index / SIDE, so mirroring maps u to (SIDE − 1)/SIDE − u
    const u = (direct[2 * i]! + (1 - 1 / SIDE - flipped[2 * j]!)) / 2;
    const v = (direct[2 * i + 1]! + flipped[2 * j + 1]!) / 2;
    points.push([box.x1 + u * w, box.y1 + v * h]);
  }
  return points;
}
