import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Runs the faceport CLI as a user would (through tsx, like `npm start`). */
export function faceport(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, FACEPORT_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = faceport(args, env);
  let stdout = '';
  let stderr = '';
  p.stdout!.on('data', (d: Buffer) => (stdout += d));
  p.stderr!.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise<number>((resolve) => p.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}

/** Polls /healthz until it answers 200. */
export async function waitHealthy(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server on ${port} not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function stop(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null) return resolve();
    p.on('close', () => resolve());
    p.kill('SIGTERM');
  });
}

export interface ServedChild {
  process: ChildProcess;
  port: number;
  key: { secretId: string; secretKey: string };
}

/** `faceport serve` on a free loopback port over `dataDir`, with a known root key, once healthy. */
export async function serveChild(dataDir: string, env: Record<string, string> = {}, readyTimeoutMs?: number): Promise<ServedChild> {
  const port = await freePort();
  const key = { secretId: 'AKIDchild', secretKey: 'child-secret' };
  const p = faceport(['serve'], {
    FACEPORT_DATA_DIR: dataDir,
    FACEPORT_PORT: String(port),
    FACEPORT_HOST: '127.0.0.1',
    FACEPORT_SECRET_ID: key.secretId,
    FACEPORT_SECRET_KEY: key.secretKey,
    ...env,
  });
  await waitHealthy(port, readyTimeoutMs);
  return { process: p, port, key };
}
