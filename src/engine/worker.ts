/**
 * Engine worker thread: loads its own ONNX Runtime sessions (one intra-op thread each) and
 * serves analyze jobs one at a time, speaking the protocol described in pool.ts.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { isCoreError } from '../core/errors.ts';
import { configureWorkerSharp } from './image.ts';
import { loadSessions, run } from './models.ts';
import { analyzeImage, type PipelineConfig } from './pipeline.ts';
import type { AnalyzeOptions, AnalyzeResult } from './types.ts';

const port = parentPort!;
const { config } = workerData as { config: PipelineConfig };
configureWorkerSharp();

/**
 * Every photo leaves dead pixel buffers (the decoded image, its pyramid, turned copies: about
 * 5 bytes per pixel) that V8 frees only at its next full collection, and an idle worker may
 * not have one for a long time: with 2 workers, 16 concurrent 4000×3000 photos kept RSS
 * about 100 MB higher for good, even after 30 s idle (bench/decode-memory.ts). So the worker
 * collects, right after answering, whenever the photos since its last collection add up to
 * this many pixels: after every 12 MP photo, once in ~40 VGA ones, at 5-15 ms a time.
 */
const COLLECT_EVERY_PIXELS = 12_000_000;

/** V8's full collection, obtained without --expose-gc (a worker's execArgv cannot carry it) as jest obtains it; null if refused. */
function fullCollection(): (() => void) | null {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
const collect = fullCollection();
let pixelsSinceCollection = 0;

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
      pixelsSinceCollection += result.width * result.height;
      if (collect && pixelsSinceCollection >= COLLECT_EVERY_PIXELS) {
        pixelsSinceCollection = 0;
        collect();
      }
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
