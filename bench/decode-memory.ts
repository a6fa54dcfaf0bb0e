/**
 * Memory after big decodes (not a test: it prints numbers). Sends rounds of `--concurrency`
 * simultaneous 4000×3000 JPEGs (random noise, made with sharp in a child process, kept in the
 * temp dir) through the engine's worker pool and prints the process's RSS after each round,
 * so a leak (RSS keeps growing round after round) can be told from retention (RSS rises in
 * the first round, then stays flat).
 *
 *   node --import tsx bench/decode-memory.ts [--mode engine|decode] [--workers N]
 *       [--concurrency 16] [--rounds 10] [--width 4000] [--height 3000] [--settle-ms 1000]
 *
 * --mode engine (default) runs the whole analysis (decode, pyramid, detection) in the real
 * engine (createEngine); --mode decode runs only decodeImage, in the same pool with the same
 * sharp settings as the engine's workers. Workers default to FACEPORT_ENGINE_WORKERS or the
 * core count, as the server's. Allocator settings are taken from the environment, e.g.
 * MALLOC_ARENA_MAX=2 (printed in the header). A diagnostic for --mode decode: with
 * `node --expose-gc` and --gc-after-job each worker collects after every job (and the main
 * thread after every round), which tells memory V8 has not collected yet from memory the
 * allocator keeps.
 *
 * Findings (AMD EPYC, 2 cores, 2 workers, 16 concurrent, 10 rounds): no leak, RSS is flat
 * from the first round on. What stayed was (1) dead pixel buffers an idle worker's V8 had
 * not collected, not even after 30 s idle, and (2) glibc keeping freed blocks in its
 * per-thread arenas (its mmap threshold rises to the largest block freed, up to 32 MB, so
 * the 9 MB pyramid levels stop being unmapped). sharp's operation cache was already off in
 * the workers. The workers now collect after every 12 MP of photos (worker.ts):
 *   before: ready 503 MB, after round 1 690, after round 10 644 (+141), peak 757
 *   after:  ready 515 MB, after round 1 604, after round 10 575 (+60),  peak 721
 *   after, MALLOC_ARENA_MAX=2:             473 → 519 (+46), peak 637
 *   after, MALLOC_MMAP_THRESHOLD_=131072:  432 → 432 (+0),  peak 633 (ready is lower too)
 *   16 workers: before 2245 → 3336 (+1091), peak 3761; after 2292 → 2568 (+276), peak 3318
 * A collection costs 5-15 ms against ~425 ms for a 12 MP photo.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { parseFlags } from '../eval/dataset.ts';
import { createEngine } from '../src/engine/engine.ts';
import { configureWorkerSharp, decodeImage } from '../src/engine/image.ts';
import { WorkerPool } from '../src/engine/pool.ts';

function cpuModel(): string {
  try {
    const line = execFileSync('lscpu', { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.startsWith('Model name:'));
    if (line) return line.slice('Model name:'.length).trim();
  } catch {
    // no lscpu: fall back on what Node knows
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

const MB = 1024 * 1024;

/**
 * `count` distinct noise JPEGs (so nothing could be served from a cache of identical inputs),
 * kept in the temp dir between runs and made by a child process, so that sharp's work on
 * them leaves nothing in this process's allocator before the baseline is taken.
 */
function inputs(count: number, width: number, height: number): Uint8Array[] {
  const dir = path.join(os.tmpdir(), `faceport-decode-memory-${width}x${height}`);
  mkdirSync(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `${i}.jpg`));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    const code = `
      const sharp = require('sharp');
      const [w, h, ...files] = process.argv.slice(1);
      (async () => {
        for (const f of files) {
          const i = Number(require('node:path').basename(f, '.jpg'));
          await sharp({ create: { width: +w, height: +h, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 110 + i, sigma: 30 } } })
            .jpeg({ quality: 80 })
            .toFile(f);
        }
      })();`;
    execFileSync(process.execPath, ['-e', code, String(width), String(height), ...missing], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
  }
  return files.map((f) => new Uint8Array(readFileSync(f)));
}

/** RSS, and its anonymous part (heap, buffers; not the mapped model and library files). */
function memory(): { rss: number; anon: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const anonKb = Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { rss: process.memoryUsage().rss / MB, anon: anonKb / 1024 };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const mode = flags.get('mode') ?? 'engine';
  const workers = Number(flags.get('workers') ?? process.env.FACEPORT_ENGINE_WORKERS ?? os.availableParallelism());
  const concurrency = Number(flags.get('concurrency') ?? 16);
  const rounds = Number(flags.get('rounds') ?? 10);
  const width = Number(flags.get('width') ?? 4000);
  const height = Number(flags.get('height') ?? 3000);
  const settleMs = Number(flags.get('settle-ms') ?? 1000);
  const gcAfterJob = flags.has('gc-after-job');
  if (mode !== 'engine' && mode !== 'decode') throw new Error('--mode is engine or decode');

  const glibc = ['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_', 'LD_PRELOAD']
    .filter((k) => process.env[k] !== undefined)
    .map((k) => `${k}=${process.env[k]}`);
  console.log(`cpu: ${cpuModel()} (${os.availableParallelism()} cores), node ${process.version}, sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}`);
  console.log(`mode: ${mode}, ${workers} workers, ${concurrency} concurrent ${width}x${height} JPEGs per round, ${rounds} rounds; allocator env: ${glibc.join(' ') || 'none'}`);

  const images = inputs(concurrency, width, height);
  console.log(`inputs: ${concurrency} JPEGs of ${(images.reduce((s, b) => s + b.length, 0) / concurrency / MB).toFixed(1)} MB each`);

  let run: (bytes: Uint8Array) => Promise<unknown>;
  let close: () => Promise<void>;
  if (mode === 'engine') {
    const engine = createEngine({ workers, queueSize: concurrency });
    await engine.ready();
    run = (bytes) => engine.analyze(bytes, {});
    close = () => engine.close();
  } else {
    const pool = new WorkerPool({
      script: new URL('../src/engine/worker-bootstrap.mjs', import.meta.url),
      workerData: { entry: import.meta.url, decodeOnly: true, gcAfterJob },
      size: workers,
      queueSize: concurrency,
    });
    await pool.ready();
    run = (bytes) => pool.run({ bytes });
    close = () => pool.close();
  }

  const settle = () => new Promise((r) => setTimeout(r, settleMs));
  await settle();
  const base = memory();
  console.log(`ready:    rss ${base.rss.toFixed(0)} MB (anon ${base.anon.toFixed(0)} MB)`);
  const after: number[] = [];
  let peak = base.rss;
  for (let round = 1; round <= rounds; round++) {
    const sampler = setInterval(() => {
      peak = Math.max(peak, memory().rss);
    }, 20);
    const t = performance.now();
    await Promise.all(images.map((b) => run(b)));
    const ms = performance.now() - t;
    clearInterval(sampler);
    await settle();
    if (gcAfterJob) (globalThis as { gc?: () => void }).gc?.();
    const m = memory();
    after.push(m.rss);
    console.log(`round ${String(round).padStart(2)}: rss ${m.rss.toFixed(0)} MB (anon ${m.anon.toFixed(0)} MB), peak so far ${peak.toFixed(0)} MB, ${ms.toFixed(0)} ms`);
  }
  await close();
  const half = Math.floor(rounds / 2);
  const lateGrowth = rounds > 2 ? (after[rounds - 1]! - after[half - 1]!) / (rounds - half) : NaN;
  console.log(
    `summary: ready ${base.rss.toFixed(0)} MB → after round 1 ${after[0]!.toFixed(0)} MB → after round ${rounds} ${after[rounds - 1]!.toFixed(0)} MB; ` +
      `peak ${peak.toFixed(0)} MB; growth over the second half ${lateGrowth.toFixed(1)} MB/round`,
  );
}

if (!isMainThread && (workerData as { decodeOnly?: boolean } | null)?.decodeOnly) {
  // a decode-only engine worker, speaking pool.ts's protocol
  configureWorkerSharp();
  const port = parentPort!;
  port.on('message', async ({ id, payload }: { id: number; payload: { bytes: Uint8Array } }) => {
    try {
      const img = await decodeImage(payload.bytes);
      if ((workerData as { gcAfterJob?: boolean }).gcAfterJob) (globalThis as { gc?: () => void }).gc?.();
      port.postMessage({ id, ok: true, value: { width: img.width, height: img.height } });
    } catch (e) {
      port.postMessage({ id, ok: false, error: { code: (e as { code?: string }).code, message: String(e) } });
    }
  });
  port.postMessage({ type: 'ready' });
} else if (isMainThread) {
  await main();
}
