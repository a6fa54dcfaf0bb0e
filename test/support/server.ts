import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { buildServer, type Server } from '../../src/server.ts';

export interface TestServer {
  server: Server;
  port: number;
  dataDir: string;
  secretId: string;
  secretKey: string;
  close(): Promise<void>;
}

/** A real faceport on a random loopback port with a fresh data dir. */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'faceport-test-'));
  const config = loadConfig(
    { host: '127.0.0.1', port: 0, dataDir },
    { FACEPORT_LOG_LEVEL: 'warn', FACEPORT_VALIDATE_RESPONSES: '1', ...env },
  );
  const server = await buildServer(config);
  await server.app.listen({ host: config.host, port: 0 });
  const port = (server.app.server.address() as AddressInfo).port;
  return {
    server,
    port,
    dataDir,
    secretId: server.root.secretId,
    secretKey: server.root.secretKey,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
