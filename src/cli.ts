#!/usr/bin/env node
import { Command } from 'commander';
import { KeyRing } from './auth/keys.ts';
import { loadConfig, type ConfigOverrides } from './config.ts';
import { buildServer } from './server.ts';
import { ApiKeyStore } from './store/api-keys.ts';
import { openDatabase } from './store/database.ts';

/** How long a stop waits for clients to finish and close their connections. */
const DRAIN_GRACE_MS = 2_000;

const program = new Command()
  .name('faceport')
  .description('Self-hosted face recognition server with Tencent Cloud IAI and Alibaba Cloud sface APIs');

program
  .command('serve')
  .description('run the HTTP server')
  .option('-p, --port <port>', 'listen port (env FACEPORT_PORT, default 8080)')
  .option('-H, --host <host>', 'listen address (env FACEPORT_HOST, default 0.0.0.0)')
  .option('-d, --data-dir <dir>', 'data directory (env FACEPORT_DATA_DIR, default ./data)')
  .action(async (flags: ConfigOverrides) => {
    const config = loadConfig(flags);
    const server = await buildServer(config);
    if (server.root.generated) {
      // Printed once, on the start that generated it; afterwards only `keys list` shows the id.
      process.stdout.write(
        `\nGenerated the root API key pair (stored in ${config.dataDir}); it is shown only this once:\n` +
          `  SecretId:  ${server.root.secretId}\n  SecretKey: ${server.root.secretKey}\n\n`,
      );
    }
    const shutdown = async (signal: string) => {
      server.app.log.info({ signal }, 'shutting down');
      await server.drain(DRAIN_GRACE_MS);
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    await server.app.listen({ host: config.host, port: config.port });
  });

const keys = program.command('keys').description('manage API key pairs stored in the data dir');
const dataDirOption = ['-d, --data-dir <dir>', 'data directory (env FACEPORT_DATA_DIR, default ./data)'] as const;

function keyRing(flags: ConfigOverrides): KeyRing {
  return new KeyRing(new ApiKeyStore(openDatabase(loadConfig(flags).dataDir)));
}

keys
  .command('create')
  .description('create a key pair and print it (the SecretKey is shown only now)')
  .option('-n, --name <name>', 'a label for the key', '')
  .option(...dataDirOption)
  .action((flags: ConfigOverrides & { name: string }) => {
    const k = keyRing(flags).create(flags.name);
    process.stdout.write(`SecretId:  ${k.secretId}\nSecretKey: ${k.secretKey}\n`);
  });

keys
  .command('list')
  .description('list key pairs (ids only)')
  .option(...dataDirOption)
  .action((flags: ConfigOverrides) => {
    const rows = keyRing(flags).list();
    for (const k of rows) {
      const state = k.revokedAt === null ? 'active' : `revoked ${new Date(k.revokedAt).toISOString()}`;
      process.stdout.write(
        `${k.secretId}\t${k.isRoot ? 'root' : 'key'}\t${state}\t${new Date(k.createdAt).toISOString()}\t${k.name}\n`,
      );
    }
    if (rows.length === 0) process.stdout.write('no keys\n');
  });

keys
  .command('revoke <secretId>')
  .description('revoke a key pair; requests signed with it fail from now on')
  .option(...dataDirOption)
  .action((secretId: string, flags: ConfigOverrides) => {
    if (!keyRing(flags).revoke(secretId)) {
      process.stderr.write(`no active key ${secretId}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`revoked ${secretId}\n`);
  });

try {
  await program.parseAsync();
} catch (e) {
  // What stops a command (a data dir it cannot use, a missing model) is said in one line;
  // the stack only matters to someone debugging faceport itself.
  const err = e as Error;
  process.stderr.write(`faceport: ${err.message}\n`);
  if (process.env.FACEPORT_LOG_LEVEL === 'debug') process.stderr.write(`${err.stack}\n`);
  process.exit(1);
}
