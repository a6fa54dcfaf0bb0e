import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { compareScore, cosine } from '../../src/engine/calibration.ts';
import { createEngine, type Engine, verifyModels } from '../../src/engine/engine.ts';
import { modelsDir } from '../../scripts/model-files.mjs';
import { facesDir } from '../support/faces.ts';

const photo = (rel: string): Uint8Array => new Uint8Array(readFileSync(path.join(facesDir, rel)));
const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: { code?: string }) => e.code === code);

let engine: Engine;
before(async () => {
  engine = createEngine({ workers: 2 });
  await engine.ready();
});
after(() => engine.close());

const embed = async (rel: string): Promise<Float32Array> => {
  const r = await engine.analyze(photo(rel), { embeddings: true });
  assert.equal(r.faces.length, 1, `one face in ${rel}`);
  return r.faces[0]!.embedding!;
};

describe('face engine on real photos', () => {
  it('finds one face with a plausible box and landmarks', async () => {
    const r = await engine.analyze(photo('lfw-dev/George_W_Bush/1.jpg'), { landmarks: true, embeddings: true });
    assert.deepEqual([r.width, r.height, r.format], [150, 150, 'jpeg']);
    assert.equal(r.faces.length, 1);
    const f = r.faces[0]!;
    // LFW crops are centred on the labelled face, which spans roughly a third to a half of the photo
    assert.ok(Math.abs(f.x + f.width / 2 - 75) < 15 && Math.abs(f.y + f.height / 2 - 75) < 20, 'box centred');
    assert.ok(f.width > 40 && f.width < 90 && f.height > 50 && f.height < 110, `box size ${f.width}x${f.height}`);
    assert.ok(f.score >= 0.9 && f.score <= 1);
    const l = f.landmarks68!;
    assert.equal(l.length, 68);
    for (const [x, y] of l) assert.ok(x > f.x - 10 && x < f.x + f.width + 10 && y > f.y - 10 && y < f.y + f.height + 10, 'landmark near the box');
    assert.ok(l[36]![0] < l[45]![0], 'image-left eye corner left of image-right eye corner');
    assert.ok(l[30]![1] > l[36]![1] && l[57]![1] > l[30]![1], 'eyes above nose above mouth');
    const e = f.embedding!;
    assert.equal(e.length, 512);
    assert.ok(Math.abs(Math.hypot(...e) - 1) < 1e-4, 'L2-normalised');
  });

  it('scores the same identity far above different identities', async () => {
    const [a1, a2, b, c] = await Promise.all([
      embed('lfw-dev/Colin_Powell/1.jpg'),
      embed('lfw-dev/Colin_Powell/2.jpg'),
      embed('lfw-dev/Laura_Bush/1.jpg'),
      embed('lfw-dev/Jennifer_Aniston/1.jpg'),
    ]);
    const same = compareScore(cosine(a1, a2));
    const others = [cosine(a1, b), cosine(a1, c), cosine(a2, b), cosine(b, c)].map(compareScore);
    assert.ok(same >= 60, `same person scores ${same}`);
    for (const s of others) assert.ok(s < 40 && s < same - 25, `different people score ${s} vs ${same}`);
  });

  it('finds several faces in a group photo, largest first, and honours maxFaceNum', async () => {
    const r = await engine.analyze(photo('multi/021_linzaer_18.jpg'), { maxFaceNum: 120 });
    assert.ok(r.faces.length >= 5, `${r.faces.length} faces`);
    const areas = r.faces.map((f) => f.width * f.height);
    assert.deepEqual(areas, [...areas].sort((x, y) => y - x));
    const one = await engine.analyze(photo('multi/021_linzaer_18.jpg'), { maxFaceNum: 1 });
    assert.equal(one.faces.length, 1);
    assert.equal(one.faces[0]!.width, r.faces[0]!.width);
  });

  it('finds small faces in a large photo with a zoomed pass', async () => {
    const face = await sharp(photo('lfw-dev/George_W_Bush/1.jpg')).resize(90).toBuffer();
    const big = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#708070' } })
      .composite([{ input: face, left: 1700, top: 1100 }])
      .jpeg()
      .toBuffer();
    const r = await engine.analyze(new Uint8Array(big), { maxFaceNum: 5 });
    assert.equal(r.faces.length, 1);
    assert.ok(r.faces[0]!.x > 1700 && r.faces[0]!.x < 1790 && r.faces[0]!.width < 60);
  });

  it('finds no face where there is none', async () => {
    for (const f of ['noface/035_n02708093_analog_clock.jpg', 'noface/001_n09193705_alp.jpg']) {
      assert.equal((await engine.analyze(photo(f), { maxFaceNum: 120, minFaceSize: 20 })).faces.length, 0, f);
    }
  });

  it('returns attributes, quality, liveness and an aligned crop on request', async () => {
    const r = await engine.analyze(photo('multi/003_ageitgey_kit_with_rose.jpg'), {
      maxFaceNum: 2,
      attributes: true,
      quality: 1,
      liveness: true,
      crop: 'png',
    });
    assert.equal(r.faces.length, 2);
    const [first, second] = r.faces as [(typeof r.faces)[0], (typeof r.faces)[0]];
    const a = first.attributes!;
    assert.ok(a.age > 10 && a.age < 80);
    for (const p of [a.male, a.smile, a.eyeOpen.left, a.eyeOpen.right, first.liveness!]) assert.ok(p >= 0 && p <= 1);
    for (const d of [a.headPose.yaw, a.headPose.pitch, a.headPose.roll]) assert.ok(Math.abs(d) <= 99);
    const q = first.quality!;
    for (const v of [q.score, q.sharpness, q.brightness, ...Object.values(q.completeness)]) assert.ok(v >= 0 && v <= 100);
    assert.equal(second.quality, undefined, 'quality limited to the first face');
    const crop = await sharp(first.crop!).metadata();
    assert.deepEqual([crop.format, crop.width, crop.height], ['png', 112, 112]);
  });

  it('lowers completeness for a face cut by the image edge', async () => {
    const cut = await sharp(photo('lfw-dev/George_W_Bush/1.jpg')).extract({ left: 0, top: 0, width: 150, height: 95 }).png().toBuffer();
    const whole = (await engine.analyze(photo('lfw-dev/George_W_Bush/1.jpg'), { quality: true })).faces[0]!.quality!;
    const q = (await engine.analyze(new Uint8Array(cut), { quality: true })).faces[0]!.quality!;
    assert.equal(whole.completeness.chin, 100);
    assert.ok(q.completeness.chin < 50 && q.completeness.eye === 100, JSON.stringify(q.completeness));
    assert.ok(q.score < whole.score);
  });

  it('reports image errors with their codes', async () => {
    await rejectsWith(engine.analyze(new Uint8Array(0)), 'image.empty');
    await rejectsWith(engine.analyze(new TextEncoder().encode('GIF89a garbage')), 'image.decode_failed');
    const tiny = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#000' } }).png().toBuffer();
    await rejectsWith(engine.analyze(new Uint8Array(tiny)), 'image.resolution_too_small');
  });
});

describe('model files', () => {
  it('names a missing or corrupt model file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'faceport-models-'));
    try {
      for (const f of ['fr_detect.onnx', 'fr_landmark.onnx']) copyFileSync(path.join(modelsDir(), f), path.join(dir, f));
      writeFileSync(path.join(dir, 'fr_feature.onnx'), 'corrupt');
      await assert.rejects(verifyModels(dir), /fr_feature\.onnx: size 7, expected \d+.*fr_liveness\.onnx: missing.*run npm run fetch-models/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
