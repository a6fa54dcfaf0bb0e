/**
 * The per-image analysis run inside a worker: decode → detect → landmarks → align → embed,
 * plus optional attributes, quality and liveness per face. Pure computation on loaded
 * sessions; threading and queueing live in pool.ts.
 */
import sharp from 'sharp';
import { alignFace } from './align.ts';
import { estimateAttributes } from './attributes.ts';
import { detectFaces } from './detect.ts';
import { embedFace, responseStrength } from './embed.ts';
import { decodeImage } from './image.ts';
import { detectLandmarks } from './landmarks.ts';
import { livenessScore } from './liveness.ts';
import type { Sessions } from './models.ts';
import { assessQuality } from './quality.ts';
import { boxBack, pointBack, turnClockwise, type QuarterTurns } from './quarter-turns.ts';
import { Pyramid, type Rgb } from './raster.ts';
import { type AnalyzedFace, type AnalyzeOptions, type AnalyzeResult, DEFAULT_MIN_FACE_SIZE, MAX_FACE_NUM, type StageTimings } from './types.ts';

/** Verified detection score (see detect.ts); see eval/README.md for the miss / false-face trade-off. */
const DEFAULT_DETECT_THRESHOLD = 0.9;

/** How many of the (ordered) faces a per-face feature applies to. */
function featureLimit(f: boolean | number | undefined): number {
  if (f === true) return MAX_FACE_NUM;
  return typeof f === 'number' ? f : 0;
}

async function encodeCrop(face: Rgb, format: 'png' | 'jpeg'): Promise<Uint8Array> {
  const img = sharp(face.data, { raw: { width: face.width, height: face.height, channels: 3 } });
  const buf = await (format === 'png' ? img.png() : img.jpeg({ quality: 92 })).toBuffer();
  // a copy with its own ArrayBuffer, so the worker can transfer it
  return new Uint8Array(buf);
}

/** Engine-wide settings: they change what embeddings mean, so they are not per request. */
export interface PipelineConfig {
  /** Embed the mirrored face too and average the two (see embed.ts). */
  flipEmbedding: boolean;
}

export async function analyzeImage(
  s: Sessions,
  config: PipelineConfig,
  bytes: Uint8Array,
  opts: AnalyzeOptions = {},
): Promise<AnalyzeResult> {
  const timings: StageTimings = { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, crop: 0, attributes: 0, quality: 0, liveness: 0 };
  let t = performance.now();
  const lap = (stage: keyof StageTimings): void => {
    const now = performance.now();
    timings[stage] += now - t;
    t = now;
  };

  const image = await decodeImage(bytes);
  let pyr = new Pyramid(image);
  lap('decode');

  const maxFaceNum = Math.min(Math.max(1, opts.maxFaceNum ?? 1), MAX_FACE_NUM);
  const detect = (p: Pyramid) =>
    detectFaces(s.fr_detect, p, {
      minFaceSize: opts.minFaceSize ?? DEFAULT_MIN_FACE_SIZE,
      threshold: opts.detectThreshold ?? DEFAULT_DETECT_THRESHOLD,
    });
  let boxes = await detect(pyr);
  // The cloud searches other orientations on request; the detector and the landmark model
  // accept faces upside down, so the turn kept is the one whose most confident face the
  // embedding network answers to most strongly (see responseStrength).
  let turned: QuarterTurns | undefined;
  if (opts.tryRotations) {
    const strength = async (p: Pyramid, found: typeof boxes): Promise<number> => {
      const top = found.reduce<(typeof found)[number] | undefined>((a, b) => (a && a.score >= b.score ? a : b), undefined);
      return top ? responseStrength(s.fr_feature, alignFace(p, await detectLandmarks(s.fr_landmark, p, top))) : 0;
    };
    let best = await strength(pyr, boxes);
    for (const q of [1, 2, 3] as const) {
      const p = new Pyramid(turnClockwise(image, q));
      const found = await detect(p);
      const st = await strength(p, found);
      if (st > best) [best, boxes, pyr, turned] = [st, found, p, q];
    }
  }
  const area = (b: (typeof boxes)[number]): number => (b.x2 - b.x1) * (b.y2 - b.y1);
  boxes.sort(opts.order === 'score' ? (a, b) => b.score - a.score : (a, b) => area(b) - area(a));
  boxes.length = Math.min(boxes.length, maxFaceNum);
  lap('detect');

  const limits = {
    embedding: featureLimit(opts.embeddings),
    attributes: featureLimit(opts.attributes),
    quality: featureLimit(opts.quality),
    liveness: featureLimit(opts.liveness),
    crop: opts.crop ? MAX_FACE_NUM : 0,
  };
  const faces: AnalyzedFace[] = [];
  for (const [i, box] of boxes.entries()) {
    const l68 = await detectLandmarks(s.fr_landmark, pyr, box);
    lap('landmarks');
    const rect = { x: box.x1, y: box.y1, width: box.x2 - box.x1, height: box.y2 - box.y1 };
    const face: AnalyzedFace = { ...(turned ? boxBack(turned, image.width, image.height, rect) : rect), score: box.score };
    if (opts.landmarks) face.landmarks68 = l68.map((pt) => (turned ? pointBack(turned, image.width, image.height, pt) : [pt[0], pt[1]]));
    const needAligned = i < limits.embedding || i < limits.quality || i < limits.crop;
    const aligned = needAligned ? alignFace(pyr, l68) : null;
    lap('align');
    if (aligned && i < limits.embedding) {
      face.embedding = await embedFace(s.fr_feature, aligned, config.flipEmbedding);
      lap('embed');
    }
    if (aligned && opts.crop) {
      face.crop = await encodeCrop(aligned, opts.crop);
      lap('crop');
    }
    if (i < limits.attributes) {
      face.attributes = await estimateAttributes(s, pyr, box, l68);
      lap('attributes');
    }
    if (aligned && i < limits.quality) {
      face.quality = assessQuality(pyr, box, l68, aligned);
      lap('quality');
    }
    if (i < limits.liveness) {
      face.liveness = await livenessScore(s.fr_liveness, pyr, box);
      lap('liveness');
    }
    faces.push(face);
  }
  return { width: image.width, height: image.height, format: image.format, faces, timings };
}
