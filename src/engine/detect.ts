/**
 * Face detection with fr_detect (RFB-320 "ultra-light", box decoding inside the graph).
 *
 * The network sees a 320×240 frame, so a whole large photo squashed into it loses small
 * faces. We run the whole-image pass plus, when `minFaceSize` would land below what the
 * detector finds reliably, one or more zoomed passes over overlapping 320×240 tiles.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { run } from './models.ts';
import { type Pyramid, rectAffine, toChw } from './raster.ts';

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

export interface DetectOptions {
  minFaceSize: number;
  /** Threshold on the verified score (geometric mean of the two looks, see secondLook()). */
  threshold: number;
}

const FRAME_W = 320;
const FRAME_H = 240;
const NMS_IOU = 0.4;
/** A box this much inside a more confident one is the same face (IoU misses nested boxes). */
const NMS_CONTAINED = 0.7;
/** First-look threshold: candidates below it are not worth a second look. */
const CANDIDATE_SCORE = 0.65;
/** The second look frames the candidate at this multiple of its size. */
const VERIFY_ZOOM = 2;
/**
 * Zoomed levels bring `minFaceSize` faces to this many frame pixels (the smallest anchor is
 * 10). On multi/ at MinFaceSize 20, 20 px found 219 faces in 245 frames, 18 px 217 in 189,
 * 16 px 209 in 120.
 */
const RELIABLE_SIDE = 18;
/**
 * A zoomed level is added only when it would enlarge faces by at least this factor, i.e. when
 * a `minFaceSize` face would come out under RELIABLE_SIDE / 2 = 9 px at the coarser level. On
 * multi/ at MinFaceSize 34 this ran 4× fewer frames than a factor of 1.3, for one face fewer.
 */
const MIN_LEVEL_GAIN = 2;
/** Zoom step between tiled levels. */
const LEVEL_RATIO = 3;

interface Frame {
  /** Source rectangle in image pixels. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Which frame edges are cut out of the image interior (detections touching them are partial). */
  innerEdges: { left: boolean; top: boolean; right: boolean; bottom: boolean };
}

/** The frames to run: the whole image, then tiles of every zoom level finest-last. */
function planFrames(width: number, height: number, minFaceSize: number): Frame[] {
  const whole: Frame = {
    x: 0,
    y: 0,
    w: width,
    h: height,
    innerEdges: { left: false, top: false, right: false, bottom: false },
  };
  const frames = [whole];
  // Detector pixels per image pixel; the squashed axis decides what is still visible.
  const coarse = Math.min(FRAME_W / width, FRAME_H / height);
  const target = RELIABLE_SIDE / minFaceSize;
  const scales: number[] = [];
  for (let s = target; s > coarse * MIN_LEVEL_GAIN; s /= LEVEL_RATIO) scales.unshift(s);
  let previous = coarse;
  for (const s of scales) {
    // Overlap so that any face too small for the previous level lies wholly inside one tile.
    const overlap = Math.min(FRAME_H / 2, Math.ceil(RELIABLE_SIDE * (s / previous) * 1.15));
    frames.push(...tile(width, height, FRAME_W / s, FRAME_H / s, overlap / s));
    previous = s;
  }
  return frames;
}

function tile(width: number, height: number, tw: number, th: number, overlap: number): Frame[] {
  const starts = (total: number, size: number): number[] => {
    if (size >= total) return [0];
    const n = Math.ceil((total - size) / (size - overlap)) + 1;
    const step = (total - size) / (n - 1);
    return Array.from({ length: n }, (_, i) => i * step);
  };
  const frames: Frame[] = [];
  for (const y of starts(height, th)) {
    for (const x of starts(width, tw)) {
      const w = Math.min(tw, width);
      const h = Math.min(th, height);
      frames.push({
        x,
        y,
        w,
        h,
        innerEdges: { left: x > 0, top: y > 0, right: x + w < width - 0.5, bottom: y + h < height - 0.5 },
      });
    }
  }
  return frames;
}

async function detectFrame(session: InferenceSession, pyr: Pyramid, f: Frame, threshold: number): Promise<Box[]> {
  const img = pyr.warp(rectAffine(f.x, f.y, f.w, f.h, FRAME_W, FRAME_H), FRAME_W, FRAME_H);
  const out = await run(session, toChw(img, [127, 127, 127], [128, 128, 128]), [1, 3, FRAME_H, FRAME_W]);
  const scores = out.scores!;
  const boxes = out.boxes!;
  const found: Box[] = [];
  // a detection within this fraction of an interior tile edge is a cut-off face
  const edge = 2 / FRAME_W;
  for (let i = 0; i < scores.length / 2; i++) {
    const score = scores[2 * i + 1]!;
    if (score < threshold) continue;
    const bx1 = boxes[4 * i]!;
    const by1 = boxes[4 * i + 1]!;
    const bx2 = boxes[4 * i + 2]!;
    const by2 = boxes[4 * i + 3]!;
    const e = f.innerEdges;
    if ((e.left && bx1 < edge) || (e.top && by1 < edge) || (e.right && bx2 > 1 - edge) || (e.bottom && by2 > 1 - edge)) {
      continue;
    }
    found.push({ x1: f.x + bx1 * f.w, y1: f.y + by1 * f.h, x2: f.x + bx2 * f.w, y2: f.y + by2 * f.h, score });
  }
  return found;
}

const area = (b: Box): number => (b.x2 - b.x1) * (b.y2 - b.y1);

function overlap(a: Box, b: Box): { iou: number; contained: number } {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return { iou: 0, contained: 0 };
  const inter = iw * ih;
  return { iou: inter / (area(a) + area(b) - inter), contained: inter / Math.min(area(a), area(b)) };
}

/** Greedy non-maximum suppression, highest score first: drops overlapping and nested boxes. */
function nms(boxes: Box[]): Box[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: Box[] = [];
  for (const b of sorted) {
    if (kept.every((k) => { const o = overlap(k, b); return o.iou <= NMS_IOU && o.contained <= NMS_CONTAINED; })) kept.push(b);
  }
  return kept;
}

/**
 * Second look at a candidate, framed at VERIFY_ZOOM× its size where the detector is most
 * reliable. Returns the best score of a box there matching the candidate. On the shared
 * photos this removed every false face on noface/ (clock faces, fruit, galaxies scored up to
 * 1.0 at first look) for one lost face in 810 LFW photos.
 */
async function secondLook(session: InferenceSession, pyr: Pyramid, b: Box): Promise<number> {
  const h = Math.max(b.x2 - b.x1, b.y2 - b.y1) * VERIFY_ZOOM;
  const w = (h * FRAME_W) / FRAME_H;
  const frame: Frame = {
    x: (b.x1 + b.x2 - w) / 2,
    y: (b.y1 + b.y2 - h) / 2,
    w,
    h,
    innerEdges: { left: false, top: false, right: false, bottom: false },
  };
  let best = 0;
  for (const c of await detectFrame(session, pyr, frame, 0)) {
    if (c.score > best && overlap(c, b).iou >= NMS_IOU) best = c.score;
  }
  return best;
}

/**
 * All faces at least `minFaceSize` on their longer side, in image pixels. Each candidate's
 * score is the geometric mean of its first and second look.
 */
export async function detectFaces(session: InferenceSession, pyr: Pyramid, opts: DetectOptions): Promise<Box[]> {
  const candidates: Box[] = [];
  for (const f of planFrames(pyr.width, pyr.height, opts.minFaceSize)) {
    candidates.push(...(await detectFrame(session, pyr, f, CANDIDATE_SCORE)));
  }
  const faces: Box[] = [];
  for (const c of nms(candidates)) {
    if (Math.max(c.x2 - c.x1, c.y2 - c.y1) < opts.minFaceSize) continue;
    const score = Math.sqrt(c.score * (await secondLook(session, pyr, c)));
    if (score >= opts.threshold) faces.push({ ...c, score });
  }
  return faces;
}
