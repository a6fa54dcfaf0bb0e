/**
 * A fixed set of worker threads with a bounded queue, so CPU-heavy inference never runs on
 * the HTTP event loop and overload is refused at once (`engine.busy`) instead of piling up.
 *
 * Worker protocol (see worker.ts): after start-up a worker posts `{ type: 'ready' }` or
 * `{ type: 'failed', message }`; for each `{ id, payload }` it posts `{ id, ok: true, value }`
 * or `{ id, ok: false, error: { code?, message } }`.
 * A worker that dies or overruns `jobTimeoutMs` fails its job with `engine.failed` and is
 * replaced; a worker that dies before becoming ready marks the whole pool as failed, since
 * its replacements would fail the same way (missing models, bad install).
 */
import { Worker } from 'node:worker_threads';

/** Requests that may wait for a worker before the engine answers busy. */
export const DEFAULT_QUEUE_SIZE = 64;
import { CoreError, type CoreErrorCode, coreErrorCodes } from '../core/errors.ts';

export interface PoolOptions {
  /** Worker script (an .mjs/.js file; see worker-bootstrap.mjs for TypeScript workers). */
  script: URL;
  size: number;
  /** Jobs allowed to wait while every worker is busy; one more is refused with engine.busy. */
  queueSize: number;
  /** A job running longer than this kills its worker (0 = no limit). */
  jobTimeoutMs?: number;
  workerData?: unknown;
  /** Workers start once this settles; a rejection fails the pool with its message. */
  startAfter?: Promise<unknown>;
}

export interface PoolStatus {
  state: 'starting' | 'ready' | 'failed' | 'closed';
  error?: string;
  workers: number;
  busy: number;
  queued: number;
}

interface Job {
  id: number;
  payload: unknown;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code?: string; message: string } };

const asCoreError = (e: { code?: string; message: string }): CoreError => {
  const code = coreErrorCodes.includes(e.code as CoreErrorCode) ? (e.code as CoreErrorCode) : 'engine.failed';
  return new CoreError(code, e.message);
};

export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private state: PoolStatus['state'] = 'starting';
  private error: string | undefined;
  private readonly readyPromise: Promise<void>;
  private settleReady!: { resolve: () => void; reject: (e: Error) => void };

  constructor(private readonly opts: PoolOptions) {
    this.readyPromise = new Promise<void>((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    // callers that never await ready() must not see an unhandled rejection
    this.readyPromise.catch(() => {});
    (opts.startAfter ?? Promise.resolve()).then(
      () => {
        if (this.state !== 'starting') return;
        for (let i = 0; i < opts.size; i++) this.spawn();
      },
      (e: unknown) => this.fail(e instanceof Error ? e.message : String(e)),
    );
  }

  /** Resolves once every worker has loaded; rejects with the load error. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  status(): PoolStatus {
    let busy = 0;
    for (const s of this.slots) if (s.job) busy++;
    return { state: this.state, error: this.error, workers: this.slots.size, busy, queued: this.queue.length };
  }

  private fail(message: string): void {
    if (this.state === 'failed' || this.state === 'closed') return;
    this.state = 'failed';
    this.error = message;
    this.settleReady.reject(new Error(message));
    for (const job of this.queue.splice(0)) job.reject(new CoreError('engine.failed', message));
    for (const s of this.slots) {
      s.job?.reject(new CoreError('engine.failed', message));
      void s.worker.terminate();
    }
    this.slots.clear();
  }

  run<T>(payload: unknown): Promise<T> {
    if (this.state === 'failed') return Promise.reject(new CoreError('engine.failed', `engine unavailable: ${this.error}`));
    if (this.state === 'closed') return Promise.reject(new CoreError('engine.failed', 'engine is closed'));
    const idle = [...this.slots].some((s) => s.ready && !s.job);
    if (!idle && this.queue.length >= this.opts.queueSize) {
      return Promise.reject(new CoreError('engine.busy', `engine busy: ${this.queue.length} requests already queued`));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, payload, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasFailed = this.state === 'failed';
    this.state = 'closed';
    if (!wasFailed) this.settleReady.reject(new Error('engine closed'));
    for (const job of this.queue.splice(0)) job.reject(new CoreError('engine.failed', 'engine is closed'));
    const slots = [...this.slots];
    this.slots.clear();
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer);
      s.job?.reject(new CoreError('engine.failed', 'engine is closed'));
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): void {
    const worker = new Worker(this.opts.script, { workerData: this.opts.workerData });
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    this.slots.add(slot);
    worker.on('message', (m: WorkerMessage) => this.onMessage(slot, m));
    let lastError: Error | null = null;
    worker.on('error', (e) => {
      lastError = e;
    });
    worker.on('exit', (code) => this.onExit(slot, code, lastError));
  }

  private onMessage(slot: Slot, m: WorkerMessage): void {
    if ('type' in m) {
      if (m.type === 'ready') {
        slot.ready = true;
        if (this.state === 'starting' && [...this.slots].every((s) => s.ready)) {
          this.state = 'ready';
          this.settleReady.resolve();
        }
        this.dispatch();
      } else {
        this.fail(m.message);
      }
      return;
    }
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    this.finish(slot);
    if (m.ok) job.resolve(m.value);
    else job.reject(asCoreError(m.error));
    this.dispatch();
  }

  private onExit(slot: Slot, code: number, error: Error | null): void {
    if (!this.slots.delete(slot)) return; // terminated by close() or fail()
    const why = error ? error.message : `exit code ${code}`;
    const job = slot.job;
    this.finish(slot);
    job?.reject(new CoreError('engine.failed', `engine worker died: ${why}`));
    if (!slot.ready) {
      this.fail(`engine worker failed to start: ${why}`);
      return;
    }
    this.spawn();
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (!slot.ready || slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      if (this.opts.jobTimeoutMs) {
        slot.timer = setTimeout(() => {
          // retire the stuck worker at once so nothing else is dispatched to it
          this.slots.delete(slot);
          this.finish(slot);
          job.reject(new CoreError('engine.failed', `engine job exceeded ${this.opts.jobTimeoutMs} ms`));
          void slot.worker.terminate();
          this.spawn();
        }, this.opts.jobTimeoutMs);
      }
      slot.worker.postMessage({ id: job.id, payload: job.payload });
    }
  }
}
