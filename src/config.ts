import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseRateLimits, type RateLimitConfig } from './auth/rate-limits.ts';
import { defaultLibraryLimits, type LibraryLimits } from './core/library.ts';
import { DEFAULT_DOWNLOAD_TIMEOUT_MS } from './engine/fetch-url.ts';
import { DEFAULT_QUEUE_SIZE } from './engine/pool.ts';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** the root key pair from the environment, if both halves are set */
  rootKey?: { secretId: string; secretKey: string };
  logLevel: string;
  limits: LibraryLimits;
  /** check every response against its action's schema (tests turn this on) */
  validateResponses: boolean;
  /** time a client has to send a whole request (headers and body) */
  requestTimeoutMs: number;
  /** requests per second per key and action (FACEPORT_RATE_LIMIT); unset: unlimited */
  rateLimits?: RateLimitConfig;
  engine: {
    /** inference worker threads */
    workers: number;
    /** requests that may wait for a worker */
    queueSize: number;
    /** also embed each mirrored face (eval/README.md) */
    flipEmbedding: boolean;
    /** time each model's session settings at the first start on this CPU */
    tune: boolean;
  };
  /** `Url` images */
  images: {
    downloadTimeoutMs: number;
    /** fetch from loopback, private and link-local addresses too */
    allowPrivate: boolean;
  };
}

export interface ConfigOverrides {
  host?: string;
  port?: string | number;
  dataDir?: string;
}

/** A `0`/`1` switch. */
function flagFrom(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw !== '0' && raw !== '1') throw new Error(`${name} must be 0 or 1, got ${JSON.stringify(raw)}`);
  return raw === '1';
}

function positiveFrom(name: string, raw: string | undefined, fallback: number): number {
  const n = intFrom(name, raw, fallback);
  if (n === 0) throw new Error(`${name} must be at least 1`);
  return n;
}

function intFrom(name: string, raw: string | number | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Flags win over FACEPORT_* environment variables, which win over the embedded defaults. */
export function loadConfig(flags: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const id = env.FACEPORT_SECRET_ID;
  const key = env.FACEPORT_SECRET_KEY;
  if ((id && !key) || (!id && key)) {
    throw new Error('FACEPORT_SECRET_ID and FACEPORT_SECRET_KEY must be set together');
  }
  const port = intFrom('port', flags.port ?? env.FACEPORT_PORT, 8080);
  if (port > 65535) throw new Error(`port must be at most 65535, got ${port}`);
  return {
    host: flags.host ?? env.FACEPORT_HOST ?? '0.0.0.0',
    port,
    dataDir: resolve(flags.dataDir ?? env.FACEPORT_DATA_DIR ?? './data'),
    rootKey: id && key ? { secretId: id, secretKey: key } : undefined,
    logLevel: env.FACEPORT_LOG_LEVEL ?? 'info',
    limits: {
      ...defaultLibraryLimits,
      maxGroups: intFrom('FACEPORT_MAX_GROUPS', env.FACEPORT_MAX_GROUPS, defaultLibraryLimits.maxGroups),
    },
    validateResponses: env.FACEPORT_VALIDATE_RESPONSES === '1',
    requestTimeoutMs: intFrom('FACEPORT_REQUEST_TIMEOUT_S', env.FACEPORT_REQUEST_TIMEOUT_S, 30) * 1000,
    rateLimits: env.FACEPORT_RATE_LIMIT ? parseRateLimits(env.FACEPORT_RATE_LIMIT) : undefined,
    engine: {
      workers: positiveFrom('FACEPORT_ENGINE_WORKERS', env.FACEPORT_ENGINE_WORKERS, availableParallelism()),
      queueSize: intFrom('FACEPORT_ENGINE_QUEUE', env.FACEPORT_ENGINE_QUEUE, DEFAULT_QUEUE_SIZE),
      flipEmbedding: flagFrom('FACEPORT_FLIP_EMBEDDING', env.FACEPORT_FLIP_EMBEDDING, false),
      tune: flagFrom('FACEPORT_ENGINE_TUNE', env.FACEPORT_ENGINE_TUNE, true),
    },
    images: {
      downloadTimeoutMs: positiveFrom('FACEPORT_URL_TIMEOUT_MS', env.FACEPORT_URL_TIMEOUT_MS, DEFAULT_DOWNLOAD_TIMEOUT_MS),
      allowPrivate: flagFrom('FACEPORT_URL_ALLOW_PRIVATE', env.FACEPORT_URL_ALLOW_PRIVATE, false),
    },
  };
}
