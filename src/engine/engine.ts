/**
 * The engine as the rest of the server sees it: analyze image bytes on a pool of worker
 * threads, report readiness, shut down. Model files are verified once here, before any
 * worker starts, so a bad install fails fast with the file's name.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CoreError } from '../core/errors.ts';
import { checkModels, modelsDir } from '../../scripts/model-files.mjs';
import { type AutotuneOptions, cpuModel, describeTune, settingName, TUNE_CACHE_FILE, type TuneOutcome } from './autotune.ts';
import { flushDenormals, ortVersion, type SessionSettings } from './models.ts';
import type { PipelineConfig } from './pipeline.ts';
import { DEFAULT_QUEUE_SIZE, type PoolStatus, WorkerPool } from './pool.ts';
import type { AnalyzeOptions, AnalyzeResult } from './types.ts';

export interface EngineOptions {
  /** Worker threads (default os.availableParallelism(); the server passes FACEPORT_ENGINE_WORKERS). */
  workers?: number;
  /** Requests allowed to wait for a worker (default 64; the server passes FACEPORT_ENGINE_QUEUE). */
  queueSize?: number;
  /** A job running longer than this fails with engine.failed and its worker is replaced (default 60 s). */
  jobTimeoutMs?: number;
  /**
   * Also embed each mirrored face and average (default off; the server passes FACEPORT_FLIP_EMBEDDING):
   * +1 embedding inference per face for a small TAR gain (see eval/README.md). Embeddings made
   * with and without it should not be mixed in one gallery, so `embeddingModel` names it.
   */
  flipEmbedding?: boolean;
  /**
   * Where the autotune's choice is cached (`engine-tune.json`); the server passes its data
   * dir. Without one the engine tunes only when `tune` is true, and caches nothing.
   */
  dataDir?: string;
  /** Tune the session settings at start (default: when a dataDir is given; the server passes FACEPORT_ENGINE_TUNE). */
  tune?: boolean;
  /** Use these session settings, no tune (bench/engine.ts compares settings this way). */
  sessionSettings?: SessionSettings;
}

/** How the engine's sessions are set up, for the start-up log and the bench. */
export interface EngineSettings {
  /** DAZ/FTZ on the thread that starts the workers, and so on every worker (see flushDenormals) */
  denormalsFlushed: boolean;
  /** where the session settings came from */
  source: 'tuned' | 'cache' | 'given' | 'default';
  sessionSettings: SessionSettings;
  /** the autotune's figures, when it ran or was read from the cache */
  tune?: TuneOutcome;
  /** why the tune failed (the defaults are used then) */
  tuneError?: string;
}

export interface Engine {
  /**
   * Resolves once the engine's threads are under way (the autotune among them): a caller with
   * work of its own (the server's index build) does it after this, while they load and tune.
   */
  started(): Promise<void>;
  /** Resolves when every worker has its models loaded; rejects with the load error. */
  ready(): Promise<void>;
  /** The session settings in use (final once ready() has resolved). */
  settings(): EngineSettings;
  status(): PoolStatus;
  analyze(bytes: Uint8Array, options?: AnalyzeOptions): Promise<AnalyzeResult>;
  /** Identifies the embedding network, so stored embeddings can be tied to it. */
  readonly embeddingModel: string;
  close(): Promise<void>;
}

/** fr_feature.onnx (MobileFaceNet, 512-d) pinned by its sha256 prefix in models.manifest.json. */
const EMBEDDING_MODEL = 'faceplugin-fr_feature-87aacdfe';

/**
 * Throws one Error listing every bad model file, e.g. `models/fr_feature.onnx: sha256
 * mismatch; models/fr_pose.onnx: missing — run npm run fetch-models`.
 */
export async function verifyModels(dir = modelsDir()): Promise<void> {
  const problems = await checkModels(dir);
  if (problems.length) throw new Error(`${problems.join('; ')} — run npm run fetch-models`);
}

/**
 * The start-up log's view of the settings: CPU, ORT, denormal flushing, the choice per model and
 * where it came from, and the tune's figures (median ms per candidate).
 */
export function summarizeEngineSettings(s: EngineSettings): Record<string, unknown> {
  return {
    cpu: cpuModel(),
    ort: ortVersion,
    denormalsFlushed: s.denormalsFlushed,
    source: s.source,
    chosen: Object.fromEntries(Object.entries(s.sessionSettings).map(([m, v]) => [m, settingName(v)])),
    ...(s.tune ? { figures: describeTune(s.tune), tunedAt: s.tune.at, tuneMs: s.tune.tookMs } : {}),
    ...(s.tune?.cacheError ? { cacheError: s.tune.cacheError } : {}),
    ...(s.tuneError ? { tuneError: s.tuneError } : {}),
  };
}

const bootstrap = new URL('./worker-bootstrap.mjs', import.meta.url);

/** Runs the autotune on a thread of its own (tune-worker.ts); `cancel` ends it. */
function tuneOnWorker(options: AutotuneOptions): { result: Promise<TuneOutcome>; cancel: () => void } {
  const worker = new Worker(bootstrap, { workerData: { entry: './tune-worker.ts', options } });
  const result = new Promise<TuneOutcome>((resolve, reject) => {
    worker.once('message', (m: { ok: true; value: TuneOutcome } | { ok: false; message: string }) => (m.ok ? resolve(m.value) : reject(new Error(m.message))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`autotune worker exited with code ${code}`)));
  });
  return { result, cancel: () => void worker.terminate() };
}

export function createEngine(opts: EngineOptions = {}): Engine {
  const config: PipelineConfig = { flipEmbedding: opts.flipEmbedding ?? false };
  const dir = modelsDir();
  const size = opts.workers ?? os.availableParallelism();
  // read by the pool when it spawns the workers, after the tune has filled sessionSettings in
  const workerData: { entry: string; config: PipelineConfig; sessionSettings?: SessionSettings } = { entry: './worker.ts', config };
  const settings: EngineSettings = { denormalsFlushed: false, source: 'default', sessionSettings: {} };
  if (opts.sessionSettings) Object.assign(settings, { source: 'given', sessionSettings: opts.sessionSettings });
  const tune = !opts.sessionSettings && (opts.tune ?? opts.dataDir !== undefined);
  let cancelTune = (): void => {};
  let tuned: Promise<void> = Promise.resolve();

  // DAZ/FTZ on this thread first: every thread started after it (tune worker, pool workers) inherits it.
  const started = flushDenormals()
    .catch(() => false)
    .then((flushed) => {
      settings.denormalsFlushed = flushed;
      if (!tune) return;
      const job = tuneOnWorker({
        dir,
        cacheFile: opts.dataDir ? path.join(opts.dataDir, TUNE_CACHE_FILE) : undefined,
        // sessions may use more than one thread only when the workers leave cores idle
        threads: Math.max(1, Math.floor(os.availableParallelism() / size)),
      });
      cancelTune = job.cancel;
      tuned = job.result.then(
        (t) => {
          Object.assign(settings, { source: t.source, sessionSettings: t.chosen, tune: t });
        },
        (e: unknown) => {
          settings.tuneError = e instanceof Error ? e.message : String(e);
        },
      );
    });
  const pool = new WorkerPool({
    script: bootstrap,
    workerData,
    size,
    queueSize: opts.queueSize ?? DEFAULT_QUEUE_SIZE,
    jobTimeoutMs: opts.jobTimeoutMs ?? 60_000,
    startAfter: Promise.all([verifyModels(dir), started.then(() => tuned)]).then(() => {
      workerData.sessionSettings = settings.sessionSettings;
    }),
  });
  return {
    started: () => started,
    ready: () => pool.ready(),
    settings: () => settings,
    status: () => pool.status(),
    analyze: (bytes, options = {}) => {
      if (bytes.length === 0) return Promise.reject(new CoreError('image.empty', 'image is empty'));
      return pool.run<AnalyzeResult>({ bytes, options });
    },
    embeddingModel: config.flipEmbedding ? `${EMBEDDING_MODEL}+flip` : EMBEDDING_MODEL,
    close: () => {
      cancelTune();
      return pool.close();
    },
  };
}
