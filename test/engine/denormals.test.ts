import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { denormalsFlushedHere, flushDenormals } from '../../src/engine/models.ts';

/**
 * What a thread computes with: JS doubles (V8 uses SSE on the thread) and ORT's run() on a
 * session the thread creates itself (onnxruntime-node computes on the calling thread).
 */
const probe = `
const { parentPort } = require('node:worker_threads');
const { InferenceSession, Tensor } = require('onnxruntime-node');
(async () => {
  const { tinyMulModel } = await import(${JSON.stringify(new URL('../../scripts/onnx-prepare.mjs', import.meta.url).href)});
  const js = Number.parseFloat('1e-310') * 1 === 0;
  const s = await InferenceSession.create(tinyMulModel([1]), { intraOpNumThreads: 1, logSeverityLevel: 3 });
  const y = (await s.run({ x: new Tensor('float32', new Float32Array([1e-39]), [1]) })).y.data;
  parentPort.postMessage({ js, ort: y[0] === 0 });
})();
`;
const inWorker = (): Promise<{ js: boolean; ort: boolean }> =>
  new Promise((resolve, reject) => {
    const w = new Worker(probe, { eval: true });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });

describe('denormals on every inference thread', () => {
  it('(the cause) ORT sets DAZ/FTZ once per process: of two workers asking for it, one gets it', () => {
    // a process of its own: the first session of this one is created below
    const script = `
      const { Worker } = require('node:worker_threads');
      const code = \`
        const { parentPort } = require('node:worker_threads');
        const { InferenceSession } = require('onnxruntime-node');
        import(\${JSON.stringify(${JSON.stringify(new URL('../../scripts/onnx-prepare.mjs', import.meta.url).href)})})
          .then(({ tinyMulModel }) => InferenceSession.create(tinyMulModel([1]), { logSeverityLevel: 3, extra: { session: { set_denormal_as_zero: '1' } } }))
          .then(() => parentPort.postMessage(Number.parseFloat('1e-310') * 1 === 0));
      \`;
      const run = () => new Promise((r) => { const w = new Worker(code, { eval: true }); w.once('message', (m) => { r(m); w.terminate(); }); });
      run().then(async (a) => console.log(JSON.stringify([a, await run()])));
    `;
    const flushed = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as boolean[];
    assert.deepEqual(flushed, [true, false]);
  });

  it('threads started after flushDenormals() flush denormals in JS and in ORT', async () => {
    assert.equal(denormalsFlushedHere(), false, 'a fresh thread keeps denormals');
    assert.equal(await flushDenormals(), true);
    assert.equal(denormalsFlushedHere(), true);
    const workers = await Promise.all([inWorker(), inWorker(), inWorker()]);
    assert.deepEqual(workers, [
      { js: true, ort: true },
      { js: true, ort: true },
      { js: true, ort: true },
    ]);
  });
});
