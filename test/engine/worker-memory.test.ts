/**
 * Memory of the engine after big photos: RSS must level off (no leak), and the workers must
 * not keep the dead pixel buffers of the photos they analysed (they collect after every
 * 12 MP of photos: see worker.ts). The measurement runs in a child process (this file, with
 * FACEPORT_MEMORY_PROBE set) whose glibc allocator gives large blocks back at once
 * (MALLOC_MMAP_THRESHOLD_), so what remains is what V8 still holds: before the workers
 * collected it was 100-130 MB with 2 workers, now about nothing. Figures under the default
 * allocator, and the whole measurement: bench/decode-memory.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/engine.ts';
import { repoRoot } from '../support/process.ts';

interface Probe {
  ready: number;
  rounds: number[];
}

const MB = 1024 * 1024;
const PHOTOS = 8;
const ROUNDS = 4;

/** 2 workers, ROUNDS rounds of PHOTOS concurrent 4000×3000 noise JPEGs; RSS when ready and after each round. */
async function probe(): Promise<Probe> {
  const rss = (): number => process.memoryUsage().rss / MB;
  const settle = () => new Promise((r) => setTimeout(r, 500));
  // the photos are made in another process, so that sharp's work on them leaves nothing here
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faceport-memory-'));
  const code = `
    const sharp = require('sharp');
    (async () => {
      for (let i = 0; i < ${PHOTOS}; i++) {
        await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 110 + i, sigma: 30 } } })
          .jpeg({ quality: 80 })
          .toFile(require('node:path').join(process.argv[1], i + '.jpg'));
      }
    })();`;
  execFileSync(process.execPath, ['-e', code, dir], { cwd: repoRoot });
  const images = Array.from({ length: PHOTOS }, (_, i) => new Uint8Array(readFileSync(path.join(dir, `${i}.jpg`))));
  rmSync(dir, { recursive: true, force: true });
  const engine = createEngine({ workers: 2, queueSize: PHOTOS });
  try {
    await engine.ready();
    await settle();
    const ready = rss();
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(images.map((b) => engine.analyze(b, {})));
      await settle();
      rounds.push(rss());
    }
    return { ready, rounds };
  } finally {
    await engine.close();
  }
}

if (process.env.FACEPORT_MEMORY_PROBE) {
  console.log(JSON.stringify(await probe()));
} else {
  describe('engine memory after big photos', () => {
    it('levels off, and the workers keep none of the photos once done', (t) => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
        cwd: repoRoot,
        env: { ...process.env, FACEPORT_MEMORY_PROBE: '1', MALLOC_MMAP_THRESHOLD_: '131072' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      const { ready, rounds } = JSON.parse(out.trim().split('\n').pop()!) as Probe;
      const summary = `ready ${ready.toFixed(0)} MB, after each round ${rounds.map((r) => r.toFixed(0)).join(' / ')} MB`;
      t.diagnostic(summary);
      const late = rounds.slice(1);
      // a leak would grow by about a round's worth of pixel buffers (8 × 36 MB decoded) each round
      assert.ok(Math.max(...late) - Math.min(...late) < 50, `RSS does not level off: ${summary}`);
      // what the photos needed (peaks are 200 MB and more above ready) must not stay
      const kept = late.reduce((s, r) => s + r, 0) / late.length - ready;
      assert.ok(kept < 60, `${kept.toFixed(0)} MB kept after the photos: ${summary}`);
    });
  });
}
