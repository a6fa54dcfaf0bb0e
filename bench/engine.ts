/**
 * Engine speed (not a test: it prints numbers).
 *
 *   npm run bench -- [--faces DIR] [--photo FILE] [--iterations N] [--seconds S]
 *
 * 1. Per-stage latency of one single-face photo, resized to 640 px on its long side, on one
 *    thread in this process (the same code a worker runs; ORT with one intra-op thread).
 * 2. Throughput through the worker pool with every worker busy (default: one per core).
 * The machine may be shared: absolute numbers are noisy, compare ratios between runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { parseFlags, resolveFacesDir } from '../eval/dataset.ts';
import { createEngine } from '../src/engine/engine.ts';
import { loadSessions } from '../src/engine/models.ts';
import { analyzeImage } from '../src/engine/pipeline.ts';
import type { AnalyzeOptions, StageTimings } from '../src/engine/types.ts';

const flags = parseFlags(process.argv.slice(2));
// --photo needs no photo set; the default photo comes from one
const facesDir = flags.has('photo') ? undefined : resolveFacesDir(flags.get('faces'));
const photo = flags.get('photo') ?? path.join(facesDir!, 'lfw-dev/Rose_Leslie/2.jpg');
const iterations = Number(flags.get('iterations') ?? 200);
const seconds = Number(flags.get('seconds') ?? 10);
const options: AnalyzeOptions = { maxFaceNum: 1, embeddings: true };

const bytes = new Uint8Array(
  await sharp(readFileSync(photo)).resize(640, 640, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer(),
);
const meta = await sharp(bytes).metadata();
console.log(`photo: ${facesDir ? path.relative(facesDir, photo) : photo} resized to ${meta.width}x${meta.height} (${bytes.length} bytes JPEG)`);

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

// 1. stages on one thread
const sessions = await loadSessions();
const config = { flipEmbedding: false };
for (let i = 0; i < 20; i++) await analyzeImage(sessions, config, bytes, options); // JIT and ORT warm-up
const stages: (keyof StageTimings)[] = ['decode', 'detect', 'landmarks', 'align', 'embed'];
const samples = new Map<string, number[]>([...stages, 'detect+landmarks+align+embed', 'total'].map((s) => [s, []]));
let faces = 0;
for (let i = 0; i < iterations; i++) {
  const t = performance.now();
  const r = await analyzeImage(sessions, config, bytes, options);
  const total = performance.now() - t;
  faces += r.faces.length;
  for (const s of stages) samples.get(s)!.push(r.timings[s]);
  samples.get('detect+landmarks+align+embed')!.push(r.timings.detect + r.timings.landmarks + r.timings.align + r.timings.embed);
  samples.get('total')!.push(total);
}
console.log(`one thread, ${iterations} runs, ${(faces / iterations).toFixed(2)} faces per run (ms):`);
for (const [stage, xs] of samples) {
  console.log(`  ${stage.padEnd(30)} median ${quantile(xs, 0.5).toFixed(2).padStart(7)}   p90 ${quantile(xs, 0.9).toFixed(2).padStart(7)}`);
}

// 2. throughput through the pool
const engine = createEngine({ workers: flags.has('workers') ? Number(flags.get('workers')) : undefined });
await engine.ready();
const workers = engine.status().workers;
const inFlight = workers * 4;
for (let i = 0; i < workers * 10; i++) await engine.analyze(bytes, options);
let done = 0;
const start = performance.now();
const end = start + seconds * 1000;
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    while (performance.now() < end) {
      await engine.analyze(bytes, options);
      done++;
    }
  }),
);
const elapsed = (performance.now() - start) / 1000;
console.log(`pool: ${workers} workers, ${inFlight} requests in flight, ${done} photos in ${elapsed.toFixed(1)} s = ${(done / elapsed).toFixed(1)} photos/s`);
await engine.close();
