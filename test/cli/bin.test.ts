import assert from 'node:assert/strict';
import { spawn, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort, repoRoot, waitHealthy } from '../support/process.ts';
import { iaiClient } from '../support/tencent-sdk.ts';

// package.json's `bin`, as users start it: `npx faceport …` in the checkout, or the installed
// launcher itself (what a global install puts on the PATH).
const dataDir = mkdtempSync(join(tmpdir(), 'faceport-bin-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const launcher = join(repoRoot, 'bin', 'faceport.js');

function exec(command: string, args: string[], options: SpawnOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let stdout = '';
  let stderr = '';
  p.stdout!.on('data', (d: Buffer) => (stdout += d));
  p.stderr!.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve, reject) => {
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const npx = (...args: string[]) => exec('npx', ['--no-install', 'faceport', ...args]);

test('npx faceport --help lists the commands', async () => {
  const r = await npx('--help');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Usage: faceport/);
  assert.match(r.stdout, /serve \[options\]/);
  assert.match(r.stdout, /keys/);
});

test('npx faceport keys create/list/revoke: output and exit codes come through', async () => {
  const created = await npx('keys', 'create', '--name', 'x', '--data-dir', dataDir);
  assert.equal(created.code, 0, created.stderr);
  const m = /SecretId:\s+(AKID\S+)\s+SecretKey:\s+(\S+)/.exec(created.stdout);
  assert.ok(m, created.stdout);
  const listed = await npx('keys', 'list', '-d', dataDir);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(`${m[1]}\\tkey\\tactive\\t.*\\tx`));
  const refused = await npx('keys', 'revoke', 'AKIDnobody', '-d', dataDir);
  assert.equal(refused.code, 1, 'a failing command fails npx');
  assert.match(refused.stderr, /no active key AKIDnobody/);
});

test('the launcher runs from any directory and hands SIGTERM and SIGINT to the server for its graceful shutdown', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const port = await freePort();
    const key = { secretId: 'AKIDbin', secretKey: 'bin-secret' };
    const p = spawn(process.execPath, [launcher, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
      cwd: tmpdir(), // resolves src/ from its own location, not the cwd
      env: { ...process.env, FACEPORT_DATA_DIR: dataDir, FACEPORT_SECRET_ID: key.secretId, FACEPORT_SECRET_KEY: key.secretKey, FACEPORT_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout!.on('data', (d: Buffer) => (out += d));
    p.stderr!.on('data', (d: Buffer) => (out += d));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => p.on('close', (code, sig) => resolve([code, sig])));
    await waitHealthy(port);
    await iaiClient({ port, ...key }, '2020-03-03').CreateGroup({ GroupId: `bin-${signal}`, GroupName: signal });
    p.kill(signal);
    assert.deepEqual(await exited, [0, null], `${signal}: exits 0 by its own handler, not killed by the signal\n${out}`);
    assert.match(out, new RegExp(`"signal":"${signal}".*"msg":"shutting down"`), out);
  }
});
