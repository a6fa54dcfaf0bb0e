import { Server as NetServer } from 'node:net';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { operations as alibabaOperations } from './alibaba/operations/index.ts';
import { alibabaNotFound, alibabaRoutes } from './alibaba/routes.ts';
import { clientErrorHandler } from './client-errors.ts';
import { KeyRing } from './auth/keys.ts';
import { RateLimiter, type RateLimitConfig } from './auth/rate-limits.ts';
import { ReplayGuard } from './auth/replay-guard.ts';
import type { Config } from './config.ts';
import { Library } from './core/library.ts';
import { createEngine, loadImageInput, summarizeEngineSettings, type Engine } from './engine/index.ts';
import { ApiKeyStore } from './store/api-keys.ts';
import { openDatabase, type Db } from './store/database.ts';
import { UsedSignatureStore } from './store/used-signatures.ts';
import { actions as tencentActions } from './tencent/actions/index.ts';
import { tencentNotFound, tencentRoutes } from './tencent/routes.ts';

/** Tencent's API gateway refuses request packets over 10 MB. */
const TENCENT_BODY_LIMIT = 10 * 1024 * 1024;
/** GET carries every parameter in the URL; Tencent accepts URLs of about 32 KB, Node only 16 KB of headers. */
const MAX_HEADER_BYTES = 64 * 1024;
/**
 * A client must send its headers within this time, and the whole request within the
 * configured request timeout (default 30 s: Tencent's largest request, 10 MB, at 350 KB/s),
 * or it gets HTTP 408 and its connection is closed: a slow or stalled upload holds no socket for ever.
 */
const HEADERS_TIMEOUT_MS = 10_000;
/** How often Node looks for requests past those timeouts (its default, 30 s, would double them). */
const TIMEOUT_CHECK_MS = 1_000;
export const INDEX_SNAPSHOT_FILE = 'index.snapshot';
/**
 * The index is saved in the background once this many library changes are unsaved (a start
 * replays them: 10k in well under a second at 1M faces), checked every SNAPSHOT_CHECK_MS.
 * At 1M faces a save writes 1.2 GB, so it is not done more often.
 */
const SNAPSHOT_AFTER_CHANGES = 100_000;
const SNAPSHOT_CHECK_MS = 60_000;

/** The configured limiter, once every action it names is one an API serves. */
function rateLimiter(config: RateLimitConfig): RateLimiter {
  const known = new Set([...tencentActions.map((a) => a.name), ...alibabaOperations.map((o) => o.name)]);
  const unknown = Object.keys(config.perAction).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`FACEPORT_RATE_LIMIT names actions no API serves: ${unknown.join(', ')}`);
  return new RateLimiter(config);
}

export interface Server {
  app: FastifyInstance;
  db: Db;
  keys: KeyRing;
  library: Library;
  engine: Engine;
  /** the root pair, and whether this start generated it */
  root: { secretId: string; secretKey: string; generated: boolean };
  /**
   * The graceful part of a stop: accepts no new connection, answers what is in flight with
   * `Connection: close` and anything newer with 503, and waits until every client has closed
   * or `graceMs` has passed, so that no socket is cut while its client may be writing on it.
   */
  drain(graceMs: number): Promise<void>;
  /** Closes the remaining connections, then saves the index and closes engine and store. */
  close(): Promise<void>;
}

/**
 * Wires store, engine, core and protocol adapters into one HTTP server, not yet listening.
 * Resolves only when the models are loaded and the index is built, so a listening server
 * serves every API.
 */
export async function buildServer(config: Config): Promise<Server> {
  const limiter = config.rateLimits && rateLimiter(config.rateLimits);
  // Worker threads load the models (and, at the first start on this CPU, tune their session
  // settings) while this thread builds the search index from the store.
  const engine = createEngine({ dataDir: config.dataDir, ...config.engine });
  const ready = engine.ready();
  ready.catch(() => {}); // awaited below, after the index is built
  let db: Db | undefined;
  let library: Library;
  try {
    await engine.started();
    db = openDatabase(config.dataDir);
    const fetchOptions = { timeoutMs: config.images.downloadTimeoutMs, allowPrivate: config.images.allowPrivate };
    library = new Library(db, engine, (input) => loadImageInput(input, fetchOptions), config.limits, join(config.dataDir, INDEX_SNAPSHOT_FILE));
    await ready;
  } catch (e) {
    db?.close();
    await engine.close();
    throw e;
  }
  const keys = new KeyRing(new ApiKeyStore(db));
  const { key, generated } = keys.ensureRoot(config.rootKey);
  const ledgerDb = openDatabase(config.dataDir, 'crash');
  const replays = new ReplayGuard(new UsedSignatureStore(ledgerDb));

  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: TENCENT_BODY_LIMIT,
    http: {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, config.requestTimeoutMs),
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
      // A request without Host reaches the signature check (which needs the host), not Node's bare 400.
      requireHostHeader: false,
    },
    requestTimeout: config.requestTimeoutMs,
    clientErrorHandler,
    return503OnClosing: true,
  });

  // Node answers an Expect other than 100-continue with a bare 417; such a request is served
  // like any other, so each API answers it in its own shape.
  app.server.on('checkExpectation', (req, res) => app.server.emit('request', req, res));
  app.setNotFoundHandler((req, reply) => (req.url.startsWith('/green/') ? alibabaNotFound(req, reply) : tencentNotFound(req, reply)));

  let draining = false;
  app.addHook('onRequest', async (_req, reply) => {
    if (draining) return reply.code(503).header('connection', 'close').send({ error: 'Service Unavailable', message: 'The server is stopping.' });
  });
  app.addHook('onSend', async (_req, reply) => {
    if (draining) reply.header('connection', 'close');
  });

  app.log.info({ index: library.startup }, 'search index ready');
  app.log.info({ engine: summarizeEngineSettings(engine.settings()) }, 'engine settings');
  const saveIndex = async (reason: string) => {
    try {
      const saved = await library.saveIndex();
      if (saved) app.log.info({ ...saved, reason }, 'search index saved');
    } catch (e) {
      app.log.error(e, 'search index not saved; the next start replays or rebuilds it from the store');
    }
  };
  // A start that had to read the store (no usable snapshot, or many changes to replay) saves
  // at once, so the next start is fast even if this process never stops cleanly.
  if (library.startup.from === 'store' || library.startup.replayed >= SNAPSHOT_AFTER_CHANGES) void saveIndex('start-up');
  const saver = setInterval(() => {
    if (library.unsavedIndexChanges() >= SNAPSHOT_AFTER_CHANGES) void saveIndex('changes');
  }, SNAPSHOT_CHECK_MS).unref();

  app.get('/healthz', async (_req, reply) => {
    // Ready means every dependency a request may touch is usable right now.
    db.prepare('SELECT 1').get();
    const e = engine.status();
    const ok = e.state === 'ready';
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', engine: e });
  });

  await app.register(tencentRoutes, {
    library,
    keys,
    replays,
    limiter,
    actions: tencentActions,
    bodyLimit: TENCENT_BODY_LIMIT,
    validateResponses: config.validateResponses,
  });

  await app.register(alibabaRoutes, { library, keys, replays, limiter, validateResponses: config.validateResponses });

  return {
    app,
    db,
    keys,
    library,
    engine,
    root: { ...key, generated },
    async drain(graceMs) {
      draining = true;
      // Stops listening without http.Server.close(), which would also cut every idle
      // keep-alive socket at once, racing the clients that are about to write on them.
      NetServer.prototype.close.call(app.server);
      const deadline = Date.now() + graceMs;
      const open = () => new Promise<number>((resolve) => app.server.getConnections((_e, n) => resolve(n)));
      while (Date.now() < deadline && (await open()) > 0) await new Promise((r) => setTimeout(r, 50));
    },
    async close() {
      clearInterval(saver);
      await app.close();
      await saveIndex('shutdown');
      await engine.close();
      ledgerDb.close();
      db.close();
    },
  };
}
