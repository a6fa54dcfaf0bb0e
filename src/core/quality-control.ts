import type { FaceQuality } from '../engine/index.ts';
import { CoreError } from './errors.ts';

/**
 * Tencent's QualityControl levels, read as gates on the engine's quality signals (0-100 each,
 * Tencent's recommended ranges: sharpness ≥ 80, brightness 30-70, completeness ≥ 80):
 * 1 refuses very blurry faces and faces with eyes, nose or mouth hidden; 2 also refuses faces
 * with three or more moderate problems (too bright, too dark, blurry, eyebrows, cheeks or chin
 * hidden); 3 refuses any moderate problem; 4 wants every dimension good, allowing one slight flaw.
 */
export type QualityLevel = 0 | 1 | 2 | 3 | 4;

export function checkQualityLevel(level: number | undefined): QualityLevel {
  const l = level ?? 0;
  if (![0, 1, 2, 3, 4].includes(l)) throw new CoreError('quality_control.illegal', 'QualityControl must be 0, 1, 2, 3 or 4.');
  return l as QualityLevel;
}

function severe(q: FaceQuality): boolean {
  const c = q.completeness;
  return q.sharpness < 20 || c.eye < 50 || c.nose < 50 || c.mouth < 50;
}

function moderateProblems(q: FaceQuality): number {
  const c = q.completeness;
  return [q.brightness > 70, q.brightness < 30, q.sharpness < 50, c.eyebrow < 80, c.cheek < 80, c.chin < 80].filter(Boolean).length;
}

function slightProblems(q: FaceQuality): number {
  const c = q.completeness;
  const regions = [c.eyebrow, c.eye, c.nose, c.cheek, c.mouth, c.chin];
  return [q.sharpness < 80, q.brightness < 35 || q.brightness > 65, regions.some((r) => r < 90)].filter(Boolean).length;
}

export function passesQuality(q: FaceQuality, level: QualityLevel): boolean {
  switch (level) {
    case 0:
      return true;
    case 1:
      return !severe(q);
    case 2:
      return !severe(q) && moderateProblems(q) < 3;
    case 3:
      return !severe(q) && moderateProblems(q) === 0;
    case 4:
      return !severe(q) && moderateProblems(q) === 0 && slightProblems(q) <= 1;
  }
}
