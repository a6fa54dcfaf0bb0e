/** ONNX Runtime sessions for the model files (worker side; engine.ts verifies the files first). */
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { modelsDir } from '../../scripts/model-files.mjs';

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

/**
 * One thread per session: the pool runs one worker per core, and ORT's default spinning
 * intra-op threads made inference 2-4× slower when several compete for the same cores.
 */
export async function loadSessions(dir = modelsDir()): Promise<Sessions> {
  const options: InferenceSession.SessionOptions = {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  };
  const entries = await Promise.all(
    modelNames.map(async (name) => [name, await InferenceSession.create(path.join(dir, `${name}.onnx`), options)] as const),
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
