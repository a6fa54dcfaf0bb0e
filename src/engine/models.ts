/** ONNX Runtime sessions for the model files (worker side; engine.ts verifies the files first). */
import path from 'node:path';
import { workerData } from 'node:worker_threads';
import { InferenceSession, Tensor, env } from 'onnxruntime-node';
import { modelsDir } from '../../scripts/model-files.mjs';
import { tinyMulModel } from '../../scripts/onnx-prepare.mjs';

const modelNames = [
  'fr_detect',
  'fr_landmark',
  'fr_feature',
  'fr_liveness',
  'fr_age',
  'fr_gender',
  'fr_eye',
  'fr_pose',
  'fr_expression',
] as const;
export type ModelName = (typeof modelNames)[number];
export type Sessions = Record<ModelName, InferenceSession>;

export type OptLevel = 'basic' | 'extended' | 'all';

/** How one model's session is built; the autotune (autotune.ts) picks one per model. */
export interface SessionSetting {
  level: OptLevel;
  /** intra-op threads; above 1 the extra threads never spin (spinning made inference 2-4× slower here) */
  threads: number;
}
export type SessionSettings = Partial<Record<ModelName, SessionSetting>>;

/**
 * The setting of a model nobody tuned: 'all' (NCHWc layout and fusions) on one thread. One
 * thread per session because the pool runs one worker per core.
 */
export const DEFAULT_SETTING: SessionSetting = { level: 'all', threads: 1 };

export const ortVersion: string = env.versions.node ?? env.versions.common;

export function sessionOptions(s: SessionSetting): InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: s.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: s.level,
    logSeverityLevel: 3,
    extra: {
      session: {
        'intra_op.allow_spinning': '0',
        // DAZ/FTZ on ORT's own intra-op threads (the thread calling run: see flushDenormals)
        set_denormal_as_zero: '1',
      },
    },
  };
}

/**
 * Sessions for every model. `settings` defaults to the ones the engine passed in workerData
 * (the autotune's choice); models without one get DEFAULT_SETTING.
 */
export async function loadSessions(dir = modelsDir(), settings?: SessionSettings): Promise<Sessions> {
  const chosen = settings ?? (workerData as { sessionSettings?: SessionSettings } | null)?.sessionSettings ?? {};
  const entries = await Promise.all(
    modelNames.map(
      async (name) => [name, await InferenceSession.create(path.join(dir, `${name}.onnx`), sessionOptions(chosen[name] ?? DEFAULT_SETTING))] as const,
    ),
  );
  return Object.fromEntries(entries) as Sessions;
}

/** Runs a single-input model on a 1×C×H×W float tensor and returns its outputs by name. */
export async function run(
  session: InferenceSession,
  input: Float32Array,
  dims: readonly number[],
): Promise<Record<string, Float32Array>> {
  const result = await session.run({ [session.inputNames[0]!]: new Tensor('float32', input, dims) });
  const out: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(result)) out[name] = t.data as Float32Array;
  return out;
}

/**
 * Whether this thread flushes denormals (DAZ/FTZ in MXCSR): V8 computes doubles with SSE on
 * the same thread, so a denormal times one comes out zero only with DAZ on.
 */
export function denormalsFlushedHere(): boolean {
  const tiny = Number.parseFloat('1e-310');
  return tiny * 1 === 0;
}

/**
 * Turns DAZ/FTZ on for the calling thread and every thread it starts afterwards (threads
 * inherit MXCSR from their creator), so that every engine worker computes with denormals
 * flushed. onnxruntime-node runs inference on the JS thread that calls run(), and ORT sets
 * DAZ/FTZ (`session.set_denormal_as_zero`) only on its intra-op pool threads and, once per
 * process, on the thread that creates the first session: of two workers, one computed with
 * denormals and one without (test/unit/engine/denormals.test.ts). The engine calls this on
 * the main thread before it starts the workers, by creating that first session itself; it
 * fails (returns false) if another session was created first. Side effect: JavaScript on this
 * thread reads doubles below 2.2e-308 as zero, which nothing in faceport computes with.
 */
export async function flushDenormals(): Promise<boolean> {
  if (denormalsFlushedHere()) return true;
  const probe = await InferenceSession.create(tinyMulModel([1]), sessionOptions({ level: 'basic', threads: 1 }));
  await probe.release();
  return denormalsFlushedHere();
}
