/**
 * The engine as the rest of the server sees it: analyze image bytes on a pool of worker
 * threads, report readiness, shut down. Model files are verified once here, before any
 * worker starts, so a bad install fails fast with the file's name.
 */
import os from 'node:os';
import { CoreError } from '../core/errors.ts';
import { checkModels, modelsDir } from '../../scripts/model-files.mjs';
import type { PipelineConfig } from './pipeline.ts';
import { type PoolStatus, WorkerPool } from './pool.ts';
import type { AnalyzeOptions, AnalyzeResult } from './types.ts';

export interface EngineOptions {
  /** Worker threads (default FACEPORT_ENGINE_WORKERS or os.availableParallelism()). */
  workers?: number;
  /** Requests allowed to wait for a worker (default FACEPORT_ENGINE_QUEUE or 64). */
  queueSize?: number;
  /** A job running longer than this fails with engine.failed and its worker is replaced (default 60 s). */
  jobTimeoutMs?: number;
  /**
   * Also embed each mirrored face and average (default FACEPORT_FLIP_EMBEDDING=1, else off):
   * +1 embedding inference per face for a small TAR gain (see eval/README.md). Embeddings made
   * with and without it should not be mixed in one gallery, so `embeddingModel` names it.
   */
  flipEmbedding?: boolean;
}

export interface Engine {
  /** Resolves when every worker has its models loaded; rejects with the load error. */
  ready(): Promise<void>;
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

const envInt = (name: string): number | undefined => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v > 0 ? v : undefined;
};

export function createEngine(opts: EngineOptions = {}): Engine {
  const config: PipelineConfig = { flipEmbedding: opts.flipEmbedding ?? process.env.FACEPORT_FLIP_EMBEDDING === '1' };
  const pool = new WorkerPool({
    script: new URL('./worker-bootstrap.mjs', import.meta.url),
    workerData: { entry: './worker.ts', config },
    size: opts.workers ?? envInt('FACEPORT_ENGINE_WORKERS') ?? os.availableParallelism(),
    queueSize: opts.queueSize ?? envInt('FACEPORT_ENGINE_QUEUE') ?? 64,
    jobTimeoutMs: opts.jobTimeoutMs ?? 60_000,
    startAfter: verifyModels(modelsDir()),
  });
  return {
    ready: () => pool.ready(),
    status: () => pool.status(),
    analyze: (bytes, options = {}) => {
      if (bytes.length === 0) return Promise.reject(new CoreError('image.empty', 'image is empty'));
      return pool.run<AnalyzeResult>({ bytes, options });
    },
    embeddingModel: config.flipEmbedding ? `${EMBEDDING_MODEL}+flip` : EMBEDDING_MODEL,
    close: () => pool.close(),
  };
}
