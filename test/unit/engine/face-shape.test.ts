import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { denseFaceShape, faceShape, resample, type XY } from '../../../src/engine/face-shape.ts';

describe('FaceShape from 68 landmarks', () => {
  it('resamples polylines evenly, keeping the end points', () => {
    assert.deepEqual(resample([[0, 0], [10, 0]], 3), [[0, 0], [5, 0], [10, 0]]);
    const square: XY[] = [[0, 0], [2, 0], [2, 2], [0, 2]];
    assert.deepEqual(resample(square, 8, true), [[0, 0], [1, 0], [2, 0], [2, 1], [2, 2], [1, 2], [0, 2], [0, 1]]);
  });

  it('produces the 90 points of Tencent FaceShape', () => {
    const l68 = Array.from({ length: 68 }, (_, i): XY => [i, 2 * i]);
    const s = faceShape(l68);
    const counts = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.length]));
    assert.deepEqual(counts, { faceProfile: 21, leftEye: 8, rightEye: 8, leftEyeBrow: 8, rightEyeBrow: 8, mouth: 22, nose: 13, leftPupil: 1, rightPupil: 1 });
    assert.deepEqual(s.faceProfile[0], [0, 0]);
    assert.deepEqual(s.faceProfile[20], [16, 32]);
    assert.deepEqual(s.leftPupil[0], [38.5, 77]);
  });

  it('produces dense contours without forehead or eye bags', () => {
    const l68 = Array.from({ length: 68 }, (_, i): XY => [i, 2 * i]);
    const d = denseFaceShape(l68);
    const counts = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.length]));
    assert.deepEqual(counts, {
      leftEye: 32, rightEye: 32, leftEyeBrow: 16, rightEyeBrow: 16, mouthOutside: 48, mouthInside: 32,
      nose: 32, leftPupil: 1, rightPupil: 1, centralAxis: 32, chin: 24,
    });
    assert.deepEqual(d.chin[0], [5, 10]);
    assert.deepEqual(d.centralAxis[31], [8, 16]);
  });
});
