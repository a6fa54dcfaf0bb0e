/**
 * Tencent's FaceShape (AnalyzeFace, 90 points) and DenseFaceShape (AnalyzeDenseLandmarks)
 * derived from our 68 iBUG landmarks by resampling each contour evenly along its length. No
 * new information is invented: points between iBUG landmarks lie on straight segments between
 * them, eyebrows follow only their upper edge (iBUG has no lower brow edge), pupils are
 * eye-contour centres (there is no iris model), and the dense regions nothing locates —
 * forehead and eye bags — are left out. "Left"/"right" are as seen in the image.
 */
export type XY = [number, number];

export interface FaceShape {
  faceProfile: XY[]; // 21
  leftEye: XY[]; // 8
  rightEye: XY[]; // 8
  leftEyeBrow: XY[]; // 8
  rightEyeBrow: XY[]; // 8
  mouth: XY[]; // 22: 14 outer, then 8 inner
  nose: XY[]; // 13: 6 along the bridge, then 7 along the base
  leftPupil: XY[]; // 1
  rightPupil: XY[]; // 1
}

const pick = (l68: readonly (readonly [number, number])[], idx: number[]): XY[] => idx.map((i) => [l68[i]![0], l68[i]![1]]);
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** `n` points evenly spaced by arc length along a polyline (closed: back to the first point, which is not repeated). */
export function resample(points: XY[], n: number, closed = false): XY[] {
  const path = closed ? [...points, points[0]!] : points;
  const cum = [0];
  for (let i = 1; i < path.length; i++) cum.push(cum[i - 1]! + Math.hypot(path[i]![0] - path[i - 1]![0], path[i]![1] - path[i - 1]![1]));
  const total = cum[cum.length - 1]!;
  const out: XY[] = [];
  for (let k = 0; k < n; k++) {
    const t = closed ? (k / n) * total : n === 1 ? 0 : (k / (n - 1)) * total;
    let i = 1;
    while (i < path.length - 1 && cum[i]! < t) i++;
    const span = cum[i]! - cum[i - 1]! || 1;
    const f = Math.min(1, Math.max(0, (t - cum[i - 1]!) / span));
    out.push([path[i - 1]![0] + f * (path[i]![0] - path[i - 1]![0]), path[i - 1]![1] + f * (path[i]![1] - path[i - 1]![1])]);
  }
  return out;
}

const centre = (pts: XY[]): XY => [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];

export function faceShape(l68: readonly (readonly [number, number])[]): FaceShape {
  const leftEye = pick(l68, range(36, 41));
  const rightEye = pick(l68, range(42, 47));
  return {
    faceProfile: resample(pick(l68, range(0, 16)), 21),
    leftEye: resample(leftEye, 8, true),
    rightEye: resample(rightEye, 8, true),
    leftEyeBrow: resample(pick(l68, range(17, 21)), 8),
    rightEyeBrow: resample(pick(l68, range(22, 26)), 8),
    mouth: [...resample(pick(l68, range(48, 59)), 14, true), ...resample(pick(l68, range(60, 67)), 8, true)],
    nose: [...resample(pick(l68, range(27, 30)), 6), ...resample(pick(l68, [31, 32, 33, 34, 35]), 7)],
    leftPupil: [centre(leftEye)],
    rightPupil: [centre(rightEye)],
  };
}

export interface DenseFaceShape {
  leftEye: XY[]; // 32
  rightEye: XY[]; // 32
  leftEyeBrow: XY[]; // 16
  rightEyeBrow: XY[]; // 16
  mouthOutside: XY[]; // 48
  mouthInside: XY[]; // 32
  nose: XY[]; // 32: 12 along the bridge, then 20 along the base
  leftPupil: XY[]; // 1
  rightPupil: XY[]; // 1
  centralAxis: XY[]; // 32: brow centre, nose bridge and tip, lip centres, chin
  chin: XY[]; // 24: jaw from point 5 to 11
}

export function denseFaceShape(l68: readonly (readonly [number, number])[]): DenseFaceShape {
  const leftEye = pick(l68, range(36, 41));
  const rightEye = pick(l68, range(42, 47));
  const browCentre = centre(pick(l68, [21, 22]));
  return {
    leftEye: resample(leftEye, 32, true),
    rightEye: resample(rightEye, 32, true),
    leftEyeBrow: resample(pick(l68, range(17, 21)), 16),
    rightEyeBrow: resample(pick(l68, range(22, 26)), 16),
    mouthOutside: resample(pick(l68, range(48, 59)), 48, true),
    mouthInside: resample(pick(l68, range(60, 67)), 32, true),
    nose: [...resample(pick(l68, range(27, 30)), 12), ...resample(pick(l68, [31, 32, 33, 34, 35]), 20)],
    leftPupil: [centre(leftEye)],
    rightPupil: [centre(rightEye)],
    centralAxis: resample([browCentre, ...pick(l68, [27, 28, 29, 30, 33, 51, 62, 66, 57, 8])], 32),
    chin: resample(pick(l68, range(5, 11)), 24),
  };
}
