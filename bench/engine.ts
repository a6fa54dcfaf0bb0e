/**
 * Engine speed (not a test: it prints numbers).
 *
 *   npm run bench -- [--faces DIR] [--photo FILE] [--iterations N] [--seconds S] [--workers N] [--compare-settings]
 *
 * 0. The CPU (model name, the vector extensions that matter to ORT), ORT's version, whether
 *    denormals are flushed, and the autotune run afresh (src/engine/autotune.ts): the setting
 *    chosen per model and every candidate's median.
 * 1. Per-stage latency of one single-face photo, resized to 640 px on its long side, on one
 *    thread in this process (the same code a worker runs) with the tuned settings; for the
 *    stages that run a model, how much of the stage is ORT's run() and how much the pipeline
 *    around it (warps, tensor copies, decoding the outputs).
 * 2. With --compare-settings: the same pipeline under every candidate setting (one setting for
 *    all three models) and under the tuned choice, interleaved run by run so that drift on a
 *    shared machine hits every column alike, side by side.
 * 3. Throughput through the worker pool with every worker busy (default: one per core), tuned.
 * The machine may be shared: absolute numbers are noisy, compare ratios within one run.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import sharp from 'sharp';
import { parseFlags, resolveFacesDir } from '../eval/dataset.ts';
import { modelsDir } from '../scripts/model-files.mjs';
import { autotune, candidates, cpuModel, describeTune, settingName } from '../src/engine/autotune.ts';
import { createEngine } from '../src/engine/engine.ts';
import { denormalsFlushedHere, flushDenormals, loadSessions, ortVersion, type SessionSetting, type SessionSettings, type Sessions } from '../src/engine/models.ts';
import { analyzeImage } from '../src/engine/pipeline.ts';
import type { AnalyzeOptions, StageTimings } from '../src/engine/types.ts';

const flags = parseFlags(process.argv.slice(2));
// --photo needs no photo set; the default photo comes from one
const facesDir = flags.has('photo') ? undefined : resolveFacesDir(flags.get('faces'));
const photo = flags.get('photo') ?? path.join(facesDir!, 'lfw-dev/Rose_Leslie/2.jpg');
const iterations = Number(flags.get('iterations') ?? 200);
const seconds = Number(flags.get('seconds') ?? 10);
const workers = flags.has('workers') ? Number(flags.get('workers')) : os.availableParallelism();
const options: AnalyzeOptions = { maxFaceNum: 1, embeddings: true };

// 0. machine, runtime, tune
const cpuFlags = new Set((readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:\s*(.*)$/m)?.[1] ?? '').split(/\s+/));
const vector = ['avx2', 'avx512f', 'avx512_vnni', 'avx_vnni', 'avx512_bf16', 'amx_bf16', 'amx_int8'].filter((f) => cpuFlags.has(f));
console.log(`CPU: ${cpuModel()}, ${os.availableParallelism()} cores (${vector.join(' ') || 'no AVX2'}); onnxruntime-node ${ortVersion}`);
const flushed = await flushDenormals();
console.log(`denormals flushed (DAZ/FTZ) on this thread and the workers: ${flushed ? 'yes' : 'NO'}`);

const tune = await autotune({ dir: modelsDir(), threads: Math.max(1, Math.floor(os.availableParallelism() / workers)) });
console.log(`autotune (${tune.runs} runs per candidate, ${tune.tookMs} ms, thread budget ${tune.key.threads} for ${workers} workers):`);
for (const line of describeTune(tune)) console.log(`  ${line}`);

const bytes = new Uint8Array(
  await sharp(readFileSync(photo)).resize(640, 640, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer(),
);
const meta = await sharp(bytes).metadata();
console.log(`photo: ${facesDir ? path.relative(facesDir, photo) : photo} resized to ${meta.width}x${meta.height} (${bytes.length} bytes JPEG)`);

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]): number => quantile(xs, 0.5);

/** Sessions whose run() adds its wall time to `ort[model]`. */
function timed(sessions: Sessions, ort: Record<string, number>): Sessions {
  const wrap = (name: string, s: InferenceSession): InferenceSession =>
    new Proxy(s, {
      get(target, prop) {
        if (prop === 'run') {
          return async (...args: Parameters<InferenceSession['run']>) => {
            const t = performance.now();
            const r = await target.run(...args);
            ort[name] = (ort[name] ?? 0) + performance.now() - t;
            return r;
          };
        }
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  return Object.fromEntries(Object.entries(sessions).map(([n, s]) => [n, wrap(n, s)])) as Sessions;
}

const stages: (keyof StageTimings)[] = ['decode', 'detect', 'landmarks', 'align', 'embed'];
const stageModel: Partial<Record<keyof StageTimings, string>> = { detect: 'fr_detect', landmarks: 'fr_landmark', embed: 'fr_feature' };
const PIPE = 'detect+landmarks+align+embed';

interface Runner {
  name: string;
  sessions: Sessions;
  ort: Record<string, number>;
  samples: Map<string, number[]>;
}

async function runner(name: string, settings: SessionSettings): Promise<Runner> {
  const ort: Record<string, number> = {};
  return { name, sessions: timed(await loadSessions(modelsDir(), settings), ort), ort, samples: new Map() };
}

const config = { flipEmbedding: false };
async function once(r: Runner, record: boolean): Promise<number> {
  for (const k of Object.keys(r.ort)) r.ort[k] = 0;
  const t = performance.now();
  const res = await analyzeImage(r.sessions, config, bytes, options);
  const total = performance.now() - t;
  if (!record) return res.faces.length;
  const push = (k: string, v: number): void => {
    if (!r.samples.has(k)) r.samples.set(k, []);
    r.samples.get(k)!.push(v);
  };
  for (const s of stages) {
    push(s, res.timings[s]);
    const model = stageModel[s];
    if (model) {
      push(`${s}: ORT run`, r.ort[model] ?? 0);
      push(`${s}: around ORT`, res.timings[s] - (r.ort[model] ?? 0));
    }
  }
  push(PIPE, res.timings.detect + res.timings.landmarks + res.timings.align + res.timings.embed);
  push('total', total);
  return res.faces.length;
}

const all = (s: SessionSetting): SessionSettings => ({ fr_detect: s, fr_landmark: s, fr_feature: s });

// 1. stages on one thread, tuned settings
const tuned = await runner('autotuned', tune.chosen);
for (let i = 0; i < 20; i++) await once(tuned, false); // JIT and ORT warm-up
let faces = 0;
for (let i = 0; i < iterations; i++) faces += await once(tuned, true);
console.log(`one thread, autotuned settings, ${iterations} runs, ${(faces / iterations).toFixed(2)} faces per run (ms):`);
for (const [stage, xs] of tuned.samples) {
  const line = `median ${median(xs).toFixed(2).padStart(7)}   p90 ${quantile(xs, 0.9).toFixed(2).padStart(7)}`;
  console.log(`  ${stage.padEnd(30)} ${line}`);
}
await Promise.all(Object.values(tuned.sessions).map((s) => s.release()));

// 2. every candidate side by side
if (flags.has('compare-settings')) {
  const runners = [await runner('autotuned', tune.chosen)];
  for (const c of candidates(2)) runners.push(await runner(settingName(c), all(c)));
  const rounds = Math.max(20, Math.round(iterations / 4));
  for (const r of runners) for (let i = 0; i < 10; i++) await once(r, false);
  for (let i = 0; i < rounds; i++) for (const r of runners) await once(r, true);
  console.log(`\ncompare settings: one thread of JS, each column one setting for detect/landmark/feature (autotuned: per model), ${rounds} interleaved runs, median ms:`);
  const rows = ['detect', 'detect: ORT run', 'landmarks', 'landmarks: ORT run', 'embed', 'embed: ORT run', PIPE, 'total'];
  const w = 12;
  console.log(`  ${''.padEnd(30)}${runners.map((r) => r.name.padStart(w)).join('')}`);
  for (const row of rows) console.log(`  ${row.padEnd(30)}${runners.map((r) => median(r.samples.get(row)!).toFixed(2).padStart(w)).join('')}`);
  // the guard of the issue: the tune's choice against the best setting fixed for all models,
  // among the ones the pool may use (the thread budget)
  const eligible = runners.slice(1).filter((r) => Number(r.name.split('/')[1]!.replace('t', '')) <= tune.key.threads);
  const best = eligible.reduce((a, b) => (median(a.samples.get(PIPE)!) <= median(b.samples.get(PIPE)!) ? a : b));
  const ratio = median(runners[0]!.samples.get(PIPE)!) / median(best.samples.get(PIPE)!);
  console.log(`  autotuned vs best fixed setting within the thread budget (${best.name}): ${ratio.toFixed(3)}× (${ratio <= 1.1 ? 'within' : 'OUTSIDE'} 10 %)`);
  for (const r of runners) await Promise.all(Object.values(r.sessions).map((s) => s.release()));
}

// 3. throughput through the pool
const engine = createEngine({ workers, sessionSettings: tune.chosen });
await engine.ready();
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
console.log(
  `\npool: ${workers} workers, autotuned, ${inFlight} requests in flight, ${done} photos in ${elapsed.toFixed(1)} s = ${(done / elapsed).toFixed(1)} photos/s` +
    ` (CPU: ${cpuModel()}; DAZ/FTZ here: ${denormalsFlushedHere() ? 'on' : 'off'})`,
);
await engine.close();
