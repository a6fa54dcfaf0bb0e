import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { TUNE_CACHE_FILE } from '../../src/engine/autotune.ts';
import { createEngine } from '../../src/engine/engine.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'faceport-engine-tune-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const start = async () => {
  const engine = createEngine({ workers: 1, dataDir });
  try {
    await engine.ready();
    return engine.settings();
  } finally {
    await engine.close();
  }
};

describe('engine start-up with the real models', () => {
  it('tunes the three per-photo models at the first start, then starts from the cache', async () => {
    const first = await start();
    assert.equal(first.source, 'tuned', first.tuneError);
    assert.equal(first.denormalsFlushed, true);
    assert.deepEqual(Object.keys(first.sessionSettings).sort(), ['fr_detect', 'fr_feature', 'fr_landmark']);
    assert.ok(existsSync(path.join(dataDir, TUNE_CACHE_FILE)));
    const cached = JSON.parse(readFileSync(path.join(dataDir, TUNE_CACHE_FILE), 'utf8'));
    // one worker leaves the other cores to its sessions: every level on 1 and on 2 threads
    assert.equal(cached.figures.fr_feature.length, os.availableParallelism() >= 2 ? 6 : 3);

    const second = await start();
    assert.equal(second.source, 'cache');
    assert.deepEqual(second.sessionSettings, first.sessionSettings);
  });
});
