/**
 * Per-model session settings chosen by measurement, not by a table of CPU names: the best
 * graph optimisation level differs by CPU family (on an Intel Sapphire Rapids fr_feature ran 3×
 * slower with 'all' than with 'basic', while 'all' stayed best for fr_detect and fr_landmark; on
 * AMD EPYC 'all' is best for all three). At the first start every candidate setting of the
 * three per-photo models is timed a few times, round-robin so that drift on a shared machine
 * hits every candidate alike, and the fastest per model is kept; the choice and the figures
 * are cached in the data dir under a key of CPU model, ORT version, thread budget and the
 * models' sha256, so a start with a valid cache does not tune, and a new CPU, ORT or model
 * tunes again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { type OptLevel, ortVersion, type SessionSetting, type SessionSettings, sessionOptions } from './models.ts';

export const TUNE_CACHE_FILE = 'engine-tune.json';

/** The models every photo runs, with the input shape and value range the pipeline feeds them. */
export const TUNED_MODELS = {
  fr_detect: { dims: [1, 3, 240, 320], lo: -1, hi: 1 },
  fr_landmark: { dims: [1, 1, 64, 64], lo: 0, hi: 1 },
  fr_feature: { dims: [1, 3, 112, 112], lo: -1, hi: 1 },
} as const;
export type TunedModel = keyof typeof TUNED_MODELS;

export const LEVELS: readonly OptLevel[] = ['all', 'extended', 'basic'];

/** Every level on 1 thread, and on 2 (spinning off) when the thread budget allows. */
export function candidates(maxThreads: number): SessionSetting[] {
  const threads = maxThreads >= 2 ? [1, 2] : [1];
  return threads.flatMap((t) => LEVELS.map((level) => ({ level, threads: t })));
}

export const settingName = (s: SessionSetting): string => `${s.level}/${s.threads}t`;

export interface TuneKey {
  cpu: string;
  ort: string;
  /** intra-op threads a session may use: cores / engine workers */
  threads: number;
  /** sha256 of each tuned model file */
  models: Record<string, string>;
}

export interface TuneFigure {
  setting: SessionSetting;
  /** median of the timed runs, ms */
  ms: number;
}

export interface TuneResult {
  key: TuneKey;
  chosen: SessionSettings;
  figures: Record<string, TuneFigure[]>;
  /** runs timed per candidate */
  runs: number;
  tookMs: number;
  at: string;
}

export interface TuneOutcome extends TuneResult {
  source: 'cache' | 'tuned';
  /** why the result could not be cached (it is used all the same) */
  cacheError?: string;
}

export function cpuModel(): string {
  return os.cpus()[0]?.model.trim() || 'unknown';
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

export function tuneKey(dir: string, threads: number, models: readonly string[] = Object.keys(TUNED_MODELS)): TuneKey {
  return { cpu: cpuModel(), ort: ortVersion, threads, models: Object.fromEntries(models.map((m) => [m, sha256(path.join(dir, `${m}.onnx`))])) };
}

const sameKey = (a: TuneKey, b: TuneKey): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The cached result when its key is `key`, else null (no file, unreadable, or another key). */
export function readTuneCache(file: string, key: TuneKey): TuneResult | null {
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as TuneResult;
    return cached && typeof cached === 'object' && cached.key && sameKey(cached.key, key) && cached.chosen ? cached : null;
  } catch {
    return null;
  }
}

export function writeTuneCache(file: string, result: TuneResult): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const staged = `${file}.${process.pid}.partial`;
  writeFileSync(staged, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(staged, file);
}

/** Deterministic uniform noise: timing must not depend on the draw (see the note in measure()). */
function noise(n: number, lo: number, hi: number): Float32Array {
  const out = new Float32Array(n);
  let s = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

export interface ModelInput {
  name: string;
  file: string;
  dims: readonly number[];
  lo: number;
  hi: number;
}

export const tunedModelInputs = (dir: string): ModelInput[] =>
  Object.entries(TUNED_MODELS).map(([name, m]) => ({ name, file: path.join(dir, `${name}.onnx`), dims: m.dims, lo: m.lo, hi: m.hi }));

/**
 * Times every candidate of every model: `warmup` untimed runs, then `runs` rounds in which each
 * (model, candidate) runs once. Returns the medians. Inputs are noise in the model's input
 * range: since fetch-models rewrote PRelu, run time no longer depends on the values (fr_feature
 * took the same on zeros, noise and a real face; with ORT's PRelu it took 4.4 / 7.7 / 7.2 ms).
 */
export async function measure(
  models: readonly ModelInput[],
  settings: readonly SessionSetting[],
  { runs = 7, warmup = 2 }: { runs?: number; warmup?: number } = {},
): Promise<Record<string, TuneFigure[]>> {
  const jobs: { model: string; setting: SessionSetting; session: InferenceSession; feeds: Record<string, Tensor>; times: number[] }[] = [];
  try {
    for (const m of models) {
      const n = m.dims.reduce((a, b) => a * b, 1);
      const input = noise(n, m.lo, m.hi);
      for (const setting of settings) {
        const session = await InferenceSession.create(m.file, sessionOptions(setting));
        const feeds = { [session.inputNames[0]!]: new Tensor('float32', input, m.dims) };
        jobs.push({ model: m.name, setting, session, feeds, times: [] });
      }
    }
    for (const j of jobs) for (let i = 0; i < warmup; i++) await j.session.run(j.feeds);
    for (let r = 0; r < runs; r++) {
      for (const j of jobs) {
        const t = performance.now();
        await j.session.run(j.feeds);
        j.times.push(performance.now() - t);
      }
    }
  } finally {
    await Promise.all(jobs.map((j) => j.session.release()));
  }
  const figures: Record<string, TuneFigure[]> = {};
  for (const j of jobs) {
    const sorted = [...j.times].sort((a, b) => a - b);
    const ms = sorted.length % 2 ? sorted[sorted.length >> 1]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    (figures[j.model] ??= []).push({ setting: j.setting, ms: Math.round(ms * 1000) / 1000 });
  }
  return figures;
}

/** The fastest candidate per model. */
export function choose(figures: Record<string, TuneFigure[]>): SessionSettings {
  const chosen: Record<string, SessionSetting> = {};
  for (const [model, fs] of Object.entries(figures)) {
    chosen[model] = fs.reduce((best, f) => (f.ms < best.ms ? f : best)).setting;
  }
  return chosen as SessionSettings;
}

export interface AutotuneOptions {
  /** where the model files are */
  dir: string;
  /** cache file; none: always tune, write nothing */
  cacheFile?: string;
  /** intra-op threads a session may use */
  threads: number;
  runs?: number;
  /** the models to tune (default: the three every photo runs) */
  models?: readonly ModelInput[];
  /** for tests: the key to use instead of this machine's */
  key?: TuneKey;
}

/** The cached choice for this key, or a fresh tune (written to the cache). */
export async function autotune(o: AutotuneOptions): Promise<TuneOutcome> {
  const models = o.models ?? tunedModelInputs(o.dir);
  const key = o.key ?? tuneKey(o.dir, o.threads, models.map((m) => m.name));
  if (o.cacheFile) {
    const cached = readTuneCache(o.cacheFile, key);
    if (cached) return { ...cached, source: 'cache' };
  }
  const t0 = performance.now();
  const runs = o.runs ?? 7;
  const figures = await measure(models, candidates(o.threads), { runs });
  const result: TuneResult = {
    key,
    chosen: choose(figures),
    figures,
    runs,
    tookMs: Math.round(performance.now() - t0),
    at: new Date().toISOString(),
  };
  try {
    if (o.cacheFile) writeTuneCache(o.cacheFile, result);
  } catch (e) {
    return { ...result, source: 'tuned', cacheError: e instanceof Error ? e.message : String(e) };
  }
  return { ...result, source: 'tuned' };
}

/** One line per model for logs and the bench: `fr_feature all/1t (all/1t 4.10, extended/1t 6.2, …)`. */
export function describeTune(t: Pick<TuneResult, 'chosen' | 'figures'>): string[] {
  return Object.entries(t.figures).map(([model, fs]) => {
    const chosen = t.chosen[model as TunedModel];
    return `${model}: ${chosen ? settingName(chosen) : '?'} (${fs.map((f) => `${settingName(f.setting)} ${f.ms.toFixed(2)} ms`).join(', ')})`;
  });
}
