import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';

test('engine and image settings come from the environment once, with their defaults', () => {
  const d = loadConfig({}, {});
  assert.deepEqual(d.engine, { workers: availableParallelism(), queueSize: 64, flipEmbedding: false, tune: true });
  assert.deepEqual(d.images, { downloadTimeoutMs: 3000, allowPrivate: false });
  const c = loadConfig(
    {},
    {
      FACEPORT_ENGINE_WORKERS: '3',
      FACEPORT_ENGINE_QUEUE: '0',
      FACEPORT_FLIP_EMBEDDING: '1',
      FACEPORT_ENGINE_TUNE: '0',
      FACEPORT_URL_TIMEOUT_MS: '1500',
      FACEPORT_URL_ALLOW_PRIVATE: '1',
    },
  );
  assert.deepEqual(c.engine, { workers: 3, queueSize: 0, flipEmbedding: true, tune: false });
  assert.deepEqual(c.images, { downloadTimeoutMs: 1500, allowPrivate: true });
});

test('a setting that is not what it should be stops the start, naming it', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ FACEPORT_ENGINE_WORKERS: '0' }, /FACEPORT_ENGINE_WORKERS must be at least 1/],
    [{ FACEPORT_ENGINE_WORKERS: 'many' }, /FACEPORT_ENGINE_WORKERS must be a non-negative integer/],
    [{ FACEPORT_URL_ALLOW_PRIVATE: 'yes' }, /FACEPORT_URL_ALLOW_PRIVATE must be 0 or 1/],
    [{ FACEPORT_ENGINE_TUNE: 'off' }, /FACEPORT_ENGINE_TUNE must be 0 or 1/],
    [{ FACEPORT_URL_TIMEOUT_MS: '0' }, /FACEPORT_URL_TIMEOUT_MS must be at least 1/],
    [{ FACEPORT_RATE_LIMIT: 'fast' }, /FACEPORT_RATE_LIMIT/],
  ];
  for (const [env, message] of cases) assert.throws(() => loadConfig({}, env), message, JSON.stringify(env));
});
