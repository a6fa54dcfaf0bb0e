import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { tinyModel } from '../../../scripts/onnx-prepare.mjs';
import { autotune, candidates, choose, type ModelInput, readTuneCache, TUNE_CACHE_FILE, tuneKey } from '../../../src/engine/autotune.ts';

// two tiny models stand in for the real ones: the tune's bookkeeping, not its figures, is tested
const dir = mkdtempSync(path.join(os.tmpdir(), 'faceport-tune-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'm_mul.onnx'), tinyModel('Mul', Array.from({ length: 64 }, (_, i) => i / 64)));
writeFileSync(path.join(dir, 'm_add.onnx'), tinyModel('Add', Array.from({ length: 64 }, (_, i) => i)));
const models: ModelInput[] = ['m_mul', 'm_add'].map((name) => ({ name, file: path.join(dir, `${name}.onnx`), dims: [64], lo: -1, hi: 1 }));
const cacheFile = path.join(dir, TUNE_CACHE_FILE);
const tune = (threads = 1) => autotune({ dir, cacheFile, threads, runs: 3, models });

describe('session autotune', () => {
  it('offers every optimisation level, on 2 threads only within the thread budget', () => {
    assert.deepEqual(candidates(1).map((c) => `${c.level}/${c.threads}`), ['all/1', 'extended/1', 'basic/1']);
    assert.equal(candidates(2).length, 6);
  });

  it('chooses the fastest candidate per model', () => {
    const chosen = choose({
      a: [
        { setting: { level: 'all', threads: 1 }, ms: 3 },
        { setting: { level: 'basic', threads: 1 }, ms: 1 },
      ],
    });
    assert.deepEqual(chosen, { a: { level: 'basic', threads: 1 } });
  });

  it('tunes at the first start and writes the choice, the figures and the key to the cache', async () => {
    const t = await tune();
    assert.equal(t.source, 'tuned');
    assert.deepEqual(Object.keys(t.chosen).sort(), ['m_add', 'm_mul']);
    assert.equal(t.figures.m_mul!.length, 3);
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8'));
    assert.deepEqual(cached.key, tuneKey(dir, 1, ['m_mul', 'm_add']));
    assert.equal(cached.key.cpu, os.cpus()[0]!.model.trim());
    assert.match(cached.key.ort, /^\d+\.\d+\.\d+/);
    assert.deepEqual(cached.chosen, t.chosen);
  });

  it('reuses a cache with the same key without tuning', async () => {
    const first = JSON.parse(readFileSync(cacheFile, 'utf8'));
    const t = await tune();
    assert.equal(t.source, 'cache');
    assert.equal(t.at, first.at);
    assert.deepEqual(t.chosen, first.chosen);
  });

  it('tunes again when the CPU, ORT version, thread budget or a model changes', async () => {
    const key = tuneKey(dir, 1, ['m_mul', 'm_add']);
    assert.ok(readTuneCache(cacheFile, key));
    assert.equal(readTuneCache(cacheFile, { ...key, cpu: 'Intel(R) Xeon(R) Platinum 8488C' }), null);
    assert.equal(readTuneCache(cacheFile, { ...key, ort: '1.31.0' }), null);
    assert.equal((await autotune({ dir, cacheFile, threads: 1, runs: 3, models, key: { ...key, cpu: 'another CPU' } })).source, 'tuned');
    assert.equal(JSON.parse(readFileSync(cacheFile, 'utf8')).key.cpu, 'another CPU');
    assert.equal((await tune()).source, 'tuned', 'back on this CPU');
    assert.equal((await tune(2)).source, 'tuned', 'another thread budget');
    assert.equal((await tune(2)).figures.m_mul!.length, 6);
    writeFileSync(path.join(dir, 'm_add.onnx'), tinyModel('Add', Array.from({ length: 64 }, (_, i) => -i)));
    assert.equal((await tune(2)).source, 'tuned', 'a model file changed');
    assert.equal((await tune(2)).source, 'cache');
  });

  it('ignores an unreadable cache and replaces it', async () => {
    writeFileSync(cacheFile, '{ not json');
    assert.equal((await tune()).source, 'tuned');
    assert.equal((await tune()).source, 'cache');
  });

  it('still returns its choice when the cache cannot be written', async () => {
    const t = await autotune({ dir, cacheFile: path.join(dir, 'm_mul.onnx', 'cannot', TUNE_CACHE_FILE), threads: 1, runs: 3, models });
    assert.equal(t.source, 'tuned');
    assert.ok(t.cacheError);
    assert.deepEqual(Object.keys(t.chosen).sort(), ['m_add', 'm_mul']);
  });
});
