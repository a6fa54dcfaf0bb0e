/**
 * The autotune (autotune.ts) on a thread of its own, so that the main thread can build the
 * search index meanwhile. Posts `{ ok: true, value: TuneOutcome }` or `{ ok: false, message }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { autotune, type AutotuneOptions } from './autotune.ts';

const { options } = workerData as { options: AutotuneOptions };
try {
  parentPort!.postMessage({ ok: true, value: await autotune(options) });
} catch (e) {
  parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
}
