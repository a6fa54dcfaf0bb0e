import Fastify, { type FastifyInstance } from 'fastify';
import { KeyRing } from './auth/keys.ts';
import type { Config } from './config.ts';
import { Library } from './core/library.ts';
import { ApiKeyStore } from './store/api-keys.ts';
import { openDatabase, type Db } from './store/database.ts';
import { actions as tencentActions } from './tencent/actions/index.ts';
import { tencentRoutes } from './tencent/routes.ts';

/** Tencent's API gateway refuses request packets over 10 MB. */
const TENCENT_BODY_LIMIT = 10 * 1024 * 1024;

export interface Server {
  app: FastifyInstance;
  db: Db;
  keys: KeyRing;
  /** the root pair, and whether this start generated it */
  root: { secretId: string; secretKey: string; generated: boolean };
  close(): Promise<void>;
}

/** Wires store, core and protocol adapters into one HTTP server (not yet listening). */
export async function buildServer(config: Config): Promise<Server> {
  const db = openDatabase(config.dataDir);
  const keys = new KeyRing(new ApiKeyStore(db));
  const { key, generated } = keys.ensureRoot(config.rootKey);
  const library = new Library(db, config.limits);

  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: TENCENT_BODY_LIMIT,
    return503OnClosing: true,
  });

  app.get('/healthz', async (_req, reply) => {
    // Ready means every dependency a request may touch is usable right now.
    db.prepare('SELECT 1').get();
    return reply.send({ status: 'ok' });
  });

  await app.register(tencentRoutes, {
    library,
    keys,
    actions: tencentActions,
    bodyLimit: TENCENT_BODY_LIMIT,
    validateResponses: config.validateResponses,
  });

  return {
    app,
    db,
    keys,
    root: { ...key, generated },
    async close() {
      await app.close();
      db.close();
    },
  };
}
