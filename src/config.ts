import { resolve } from 'node:path';
import { parseRateLimits, type RateLimitConfig } from './auth/rate-limits.ts';
import { defaultLibraryLimits, type LibraryLimits } from './core/library.ts';

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
}

export interface ConfigOverrides {
  host?: string;
  port?: string | number;
  dataDir?: string;
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
  };
}
