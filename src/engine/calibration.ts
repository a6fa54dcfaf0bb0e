/**
 * Cosine similarity → Tencent-style 0-100 score, from the knots eval/fit-calibration.ts
 * fitted on lfw-dev impostor pairs: score = 10 − 10·log10(FAR per comparison), so 40/50/60
 * mean FAR 1e-3/1e-4/1e-5 (CompareFace, model 3.0) and 70/80/90 mean 1e-6/1e-7/1e-8 per
 * comparison, i.e. FAR 1e-2/1e-3/1e-4 for a search over a 10k gallery. Linear between knots,
 * from 0 at cosine −1 to 100 at cosine 1.
 */
import calibration from './calibration.json' with { type: 'json' };

interface Knot {
  cosine: number;
  score: number;
}

const knots: Knot[] = [
  { cosine: -1, score: 0 },
  ...calibration.knots.map((k) => ({ cosine: k.cosine, score: k.score })),
  { cosine: 1, score: 100 },
];

function interpolate(x: number, from: (k: Knot) => number, to: (k: Knot) => number): number {
  if (x <= from(knots[0]!)) return to(knots[0]!);
  for (let i = 1; i < knots.length; i++) {
    const a = knots[i - 1]!;
    const b = knots[i]!;
    if (x <= from(b)) return to(a) + ((x - from(a)) / (from(b) - from(a))) * (to(b) - to(a));
  }
  return to(knots[knots.length - 1]!);
}

/** Cosine similarity of two L2-normalised embeddings (their dot product). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** 0-100 score of the cosine between two L2-normalised embeddings (monotone, clamped). */
export function compareScore(cosine: number): number {
  return interpolate(cosine, (k) => k.cosine, (k) => k.score);
}

/** The cosine at which compareScore reaches `score` (for turning score thresholds into cosine cut-offs). */
export function cosineForScore(score: number): number {
  return interpolate(score, (k) => k.score, (k) => k.cosine);
}

/** Impostor cosine at a per-comparison false-accept rate, for FARs the calibration covers (1e-1..1e-8). */
export function cosineAtFar(far: number): number | undefined {
  return calibration.impostorQuantiles.find((q) => q.far === far)?.cosine;
}
