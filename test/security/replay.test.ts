import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gatewayError, greenClient } from '../alibaba/green-sdk.ts';
import { serveChild, stop, type ServedChild } from '../support/process.ts';
import { rawTencent } from '../support/tencent-raw.ts';
import { iaiClient } from '../support/tencent-sdk.ts';

// What a replay needs to be refused must outlive the process: each case kills the server
// with SIGKILL between the first use and the replay.
const dataDir = mkdtempSync(join(tmpdir(), 'faceport-replay-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

async function killAndRestart(child: ServedChild): Promise<ServedChild> {
  child.process.kill('SIGKILL');
  await stop(child.process);
  return serveChild(dataDir);
}

test('an Alibaba nonce used before a kill -9 is refused after the restart', async () => {
  let child = await serveChild(dataDir);
  const nonce = `nonce-${Date.now()}`;
  const headers = { 'x-acs-signature-nonce': nonce };
  assert.equal((await greenClient({ port: child.port, ...child.key }).call('/green/sface/groups', {}, { headers })).code, 200);
  child = await killAndRestart(child);
  try {
    const e = await gatewayError(greenClient({ port: child.port, ...child.key }).call('/green/sface/groups', {}, { headers }));
    assert.deepEqual([e.code, e.statusCode], ['SignatureNonceUsed', 400]);
  } finally {
    await stop(child.process);
  }
});

test('a captured TC3 read replayed as a delete after a kill -9 is refused, and nothing is deleted', async () => {
  let child = await serveChild(dataDir);
  await iaiClient({ port: child.port, ...child.key }, '2020-03-03').CreateGroup({ GroupId: 'kept', GroupName: 'kept' });
  // One signed request, as an eavesdropper would capture it: the signature covers neither action nor version.
  const captured = { secretId: child.key.secretId, secretKey: child.key.secretKey, version: '2020-03-03', body: '{"GroupId":"kept"}', timestamp: Math.floor(Date.now() / 1000) };
  const read = await rawTencent({ ...captured, port: child.port, action: 'GetGroupInfo' });
  assert.equal(read.json.Response.GroupName, 'kept', read.text);
  const readAt = Date.now();

  child = await killAndRestart(child);
  // past the 2 s in which an SDK could have made the same signature itself for another action
  await new Promise((r) => setTimeout(r, Math.max(0, readAt + 2100 - Date.now())));
  try {
    const swapped = await rawTencent({ ...captured, port: child.port, action: 'DeleteGroup' });
    assert.equal(swapped.json.Response.Error?.Code, 'AuthFailure.SignatureFailure', swapped.text);
    assert.match(swapped.json.Response.Error.Message, /another action/);
    const again = await rawTencent({ ...captured, port: child.port, action: 'GetGroupInfo' });
    assert.equal(again.json.Response.GroupName, 'kept', 'the same action may be sent again (SDK retries re-send identical requests)');
    const info = await iaiClient({ port: child.port, ...child.key }, '2020-03-03').GetGroupInfo({ GroupId: 'kept' });
    assert.equal(info.GroupName, 'kept');
  } finally {
    await stop(child.process);
  }
});
