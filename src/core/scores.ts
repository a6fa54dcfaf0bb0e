import { compareScore, cosineForScore } from '../engine/index.ts';
import { CoreError } from './errors.ts';

export { cosine } from '../engine/index.ts';

/**
 * Every similarity the APIs report uses one scale, the engine's calibration
 * (score = 10 − 10·log10 FAR per comparison, fitted on lfw-dev): Tencent's compare table
 * (40/50/60 ≈ FAR 1e-3/1e-4/1e-5) and its search table (70/80/90 ≈ FAR 1e-2/1e-3/1e-4 per
 * search over a 10k gallery, i.e. 1e-6/1e-7/1e-8 per comparison) are both this law, so a
 * client's existing thresholds keep their meaning on either.
 */
export function similarityScore(cos: number): number {
  return Math.round(compareScore(cos) * 1e4) / 1e4;
}

/**
 * Tencent's older scales read the same FAR law 30 points higher: compare/verify with
 * FaceModelVersion 2.0 puts FAR 1e-3/1e-4/1e-5 at 70/80/90, and DetectFaceSimilarity puts
 * FAR 1e-4 at 70. Clamped to 100.
 */
export function shiftedScore(cos: number): number {
  return Math.min(100, Math.round((compareScore(cos) + 30) * 1e4) / 1e4);
}

/** The compare/verify score for a group or request of the given model version. */
export const compareScoreFor = (cos: number, modelVersion: string): number =>
  modelVersion === '2.0' ? shiftedScore(cos) : similarityScore(cos);

/** The smallest cosine whose score reaches `score`, less rounding slack (an index pre-filter). */
export function cosineAtScore(score: number): number {
  return cosineForScore(score) - 1e-4;
}

/**
 * CreatePerson's UniquePersonControl levels 1-4 name a FAR of 1e-2…1e-5 for its duplicate
 * check, which is a search over the group: read on the 10k-gallery search scale (70/80/90/100).
 */
export function uniquePersonThreshold(level: number): number {
  if (level < 1 || level > 4) throw new CoreError('unique_person_control.illegal', 'UniquePersonControl must be 0-4.');
  return 60 + 10 * level;
}
