import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WorkerPool } from '../../../src/engine/pool.ts';

const script = new URL('./fixtures/fake-worker.mjs', import.meta.url);
const pools: WorkerPool[] = [];
const pool = (size: number, queueSize: number, extra: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}): WorkerPool => {
  const p = new WorkerPool({ script, size, queueSize, ...extra });
  pools.push(p);
  return p;
};
after(() => Promise.all(pools.map((p) => p.close())));

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: { code?: string }) => e.code === code);

describe('worker pool', () => {
  it('runs jobs on workers and reports readiness', async () => {
    const p = pool(2, 4);
    await p.ready();
    assert.equal(p.status().state, 'ready');
    assert.deepEqual(await Promise.all([p.run({ echo: 1 }), p.run({ echo: 2 }), p.run({ echo: 3 })]), [1, 2, 3]);
  });

  it('rejects at once with engine.busy when the queue is full', async () => {
    const p = pool(1, 2);
    await p.ready();
    const running = [p.run({ delay: 200, echo: 'a' }), p.run({ delay: 0, echo: 'b' }), p.run({ delay: 0, echo: 'c' })];
    assert.equal(p.status().queued, 2);
    const t = performance.now();
    await rejectsWith(p.run({ echo: 'd' }), 'engine.busy');
    assert.ok(performance.now() - t < 50, 'busy rejection must not wait');
    assert.deepEqual(await Promise.all(running), ['a', 'b', 'c']);
  });

  it('passes worker errors through as CoreErrors with their code', async () => {
    const p = pool(1, 1);
    await rejectsWith(p.run({ fail: 'image.decode_failed' }), 'image.decode_failed');
    await rejectsWith(p.run({ fail: 'not.a.code' }), 'engine.failed');
  });

  it('fails the job of a crashed worker with engine.failed and replaces the worker', async () => {
    const p = pool(1, 4);
    await p.ready();
    const crashed = p.run({ crash: true });
    const queued = p.run({ echo: 'after crash' });
    await rejectsWith(crashed, 'engine.failed');
    assert.equal(await queued, 'after crash');
    assert.equal(await p.run({ echo: 'still serving' }), 'still serving');
    assert.equal(p.status().workers, 1);
  });

  it('kills a worker whose job overruns the timeout', async () => {
    const p = pool(1, 4, { jobTimeoutMs: 100 });
    await rejectsWith(p.run({ hang: true }), 'engine.failed');
    assert.equal(await p.run({ echo: 'replaced' }), 'replaced');
  });

  it('rejects ready() and every job when workers cannot load', async () => {
    const p = pool(2, 4, { workerData: { failStart: true } });
    await assert.rejects(p.ready(), /fr_feature\.onnx: missing/);
    assert.equal(p.status().state, 'failed');
    await rejectsWith(p.run({ echo: 1 }), 'engine.failed');
  });

  it('fails the pool when the start gate rejects, without starting workers', async () => {
    const p = pool(2, 4, { startAfter: Promise.reject(new Error('models/fr_detect.onnx: sha256 mismatch')) });
    await assert.rejects(p.ready(), /sha256 mismatch/);
    assert.equal(p.status().workers, 0);
  });
});
