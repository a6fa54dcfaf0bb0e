import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { faceport, freePort, run, stop, waitHealthy } from '../support/process.ts';
import { errorCode, iaiClient } from '../support/tencent-sdk.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'faceport-cli-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

async function serve(env: Record<string, string> = {}) {
  const port = await freePort();
  const p = faceport(['serve'], { FACEPORT_DATA_DIR: dataDir, FACEPORT_PORT: String(port), FACEPORT_HOST: '127.0.0.1', ...env });
  let stdout = '';
  p.stdout!.on('data', (d: Buffer) => (stdout += d));
  await waitHealthy(port);
  return { p, port, stdout: () => stdout };
}

test('first start generates, stores and prints the root key once; the keys CLI manages pairs', async () => {
  const first = await serve();
  const printed = /SecretId:\s+(\S+)\s+SecretKey:\s+(\S+)/.exec(first.stdout());
  assert.ok(printed, `root key printed on first start: ${first.stdout()}`);
  const root = { secretId: printed[1]!, secretKey: printed[2]! };
  const c = iaiClient({ port: first.port, ...root }, '2020-03-03');
  await c.CreateGroup({ GroupId: 'cli', GroupName: 'cli' });
  assert.equal(statSync(dataDir).mode & 0o077, 0, 'data dir is private to its owner');

  // keys are managed while the server runs, and take effect at once
  const created = await run(['keys', 'create', '--name', 'app', '--data-dir', dataDir], {});
  assert.equal(created.code, 0, created.stderr);
  const m = /SecretId:\s+(\S+)\s+SecretKey:\s+(\S+)/.exec(created.stdout);
  assert.ok(m);
  const appKey = { secretId: m[1]!, secretKey: m[2]! };
  const app = iaiClient({ port: first.port, ...appKey }, '2018-03-01', 'GET');
  assert.equal((await app.GetGroupInfo({ GroupId: 'cli' })).GroupName, 'cli');

  const listed = await run(['keys', 'list'], { FACEPORT_DATA_DIR: dataDir });
  assert.match(listed.stdout, new RegExp(`${root.secretId}\\troot\\tactive`));
  assert.match(listed.stdout, new RegExp(`${appKey.secretId}\\tkey\\tactive\\t.*\\tapp`));
  assert.doesNotMatch(listed.stdout, new RegExp(appKey.secretKey), 'list never shows secrets');

  const revoked = await run(['keys', 'revoke', appKey.secretId, '-d', dataDir], {});
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.equal(await errorCode(app.GetGroupList({})), 'AuthFailure.SecretIdNotFound');
  const again = await run(['keys', 'revoke', appKey.secretId, '-d', dataDir], {});
  assert.equal(again.code, 1);
  await stop(first.p);

  // second start: same data, same root key, nothing printed
  const second = await serve();
  assert.doesNotMatch(second.stdout(), /SecretKey/);
  const c2 = iaiClient({ port: second.port, ...root }, '2020-03-03');
  assert.equal((await c2.GetGroupInfo({ GroupId: 'cli' })).GroupName, 'cli', 'data survives a restart');
  await stop(second.p);
});

test('FACEPORT_SECRET_ID/KEY set the root pair without storing it', async () => {
  const env = { FACEPORT_SECRET_ID: 'AKIDfromenv', FACEPORT_SECRET_KEY: 'keyfromenv' };
  const s = await serve(env);
  try {
    assert.doesNotMatch(s.stdout(), /SecretKey/);
    const c = iaiClient({ port: s.port, secretId: env.FACEPORT_SECRET_ID, secretKey: env.FACEPORT_SECRET_KEY }, '2020-03-03');
    assert.equal((await c.GetGroupInfo({ GroupId: 'cli' })).GroupName, 'cli');
    const listed = await run(['keys', 'list', '-d', dataDir], {});
    assert.doesNotMatch(listed.stdout, /AKIDfromenv/);
  } finally {
    await stop(s.p);
  }
});

test('a bad configuration is a clear startup error', async () => {
  const r = await run(['serve'], { FACEPORT_DATA_DIR: dataDir, FACEPORT_PORT: 'eighty' });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /port must be a non-negative integer/);
  const half = await run(['serve'], { FACEPORT_DATA_DIR: dataDir, FACEPORT_SECRET_ID: 'x' });
  assert.notEqual(half.code, 0);
  assert.match(half.stderr, /must be set together/);
});
