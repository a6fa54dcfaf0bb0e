/**
 * 512-d identity embedding with fr_feature (MobileFaceNet) on an aligned 112×112 face,
 * L2-normalised so that comparison is a dot product (cosine). The network was trained on
 * BGR input: feeding BGR instead of RGB raised TAR@FAR1e-4 on lfw-dev from 94.8 % to 97.3 %.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { ALIGNED_SIDE } from './align.ts';
import { run } from './models.ts';
import { mirror, type Rgb, toChw } from './raster.ts';

async function rawEmbedding(session: InferenceSession, face: Rgb): Promise<Float32Array> {
  const input = toChw(face, [127, 127, 127], [128, 128, 128], 'bgr');
  return (await run(session, input, [1, 3, ALIGNED_SIDE, ALIGNED_SIDE])).output!;
}

function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const k = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) v[i]! *= k;
  return v;
}

/**
 * How strongly the network answers to a face: the length of its raw embedding. It answers
 * strongly only to upright faces (on 40 lfw-dev photos the upright face had the largest norm
 * of the four quarter turns every time, e.g. 4.6 against at most 2.7), which is what
 * NeedRotateDetection needs: the detector and the landmark model both accept faces upside
 * down.
 */
export async function responseStrength(session: InferenceSession, face: Rgb): Promise<number> {
  const v = await rawEmbedding(session, face);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/**
 * With `flip`, the mirrored crop is embedded too and the two raw vectors are summed before
 * normalising: the mirror image is the same identity, so averaging cancels some pose and
 * lighting asymmetry at the cost of a second inference.
 */
export async function embedFace(session: InferenceSession, face: Rgb, flip: boolean): Promise<Float32Array> {
  const v = await rawEmbedding(session, face);
  if (flip) {
    const m = await rawEmbedding(session, mirror(face));
    for (let i = 0; i < v.length; i++) v[i]! += m[i]!;
  }
  // a copy with its own ArrayBuffer (ORT may hand out views), so it can be transferred
  return l2normalize(new Float32Array(v));
}
