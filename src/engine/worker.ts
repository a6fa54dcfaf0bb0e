/**
 * Engine worker thread: loads its own ONNX Runtime sessions (one intra-op thread each) and
 * serves analyze jobs one at a time, speaking the protocol described in pool.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { isCoreError } from '../core/errors.ts';
import { loadSessions, run } from './models.ts';
import { analyzeImage, type PipelineConfig } from './pipeline.ts';
import type { AnalyzeOptions, AnalyzeResult } from './types.ts';

const port = parentPort!;
const { config } = workerData as { config: PipelineConfig };
// one libvips thread per worker: the pool already runs one worker per core
sharp.concurrency(1);
sharp.cache(false);

/** Buffers the result owns outright, moved to the main thread instead of copied. */
function transferables(r: AnalyzeResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const f of r.faces) {
    if (f.embedding) out.push(f.embedding.buffer as ArrayBuffer);
    if (f.crop) out.push(f.crop.buffer as ArrayBuffer);
  }
  return out;
}

try {
  const sessions = await loadSessions();
  // the first run of a session allocates its buffers; pay that before reporting ready
  await run(sessions.fr_detect, new Float32Array(3 * 240 * 320), [1, 3, 240, 320]);
  await run(sessions.fr_landmark, new Float32Array(64 * 64), [1, 1, 64, 64]);
  await run(sessions.fr_feature, new Float32Array(3 * 112 * 112), [1, 3, 112, 112]);

  port.on('message', async ({ id, payload }: { id: number; payload: { bytes: Uint8Array; options: AnalyzeOptions } }) => {
    try {
      const result = await analyzeImage(sessions, config, payload.bytes, payload.options);
      port.postMessage({ id, ok: true, value: result }, transferables(result));
    } catch (e) {
      const error = isCoreError(e)
        ? { code: e.code, message: e.message }
        : { code: 'engine.failed', message: `engine failure: ${e instanceof Error ? e.message : String(e)}` };
      port.postMessage({ id, ok: false, error });
    }
  });
  port.postMessage({ type: 'ready' });
} catch (e) {
  port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
}
