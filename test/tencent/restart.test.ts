import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { INDEX_SNAPSHOT_FILE } from '../../src/server.ts';
import { identitiesWithPhotos, lfw } from '../support/faces.ts';
import { serveChild, stop } from '../support/process.ts';
import { iaiClient } from '../support/tencent-sdk.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'faceport-restart-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** A server on dataDir, and how its start-up filled the index (from its log line). */
async function serve() {
  const child = await serveChild(dataDir, { FACEPORT_LOG_LEVEL: 'info' });
  const log: string[] = [];
  child.process.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  const client = iaiClient({ port: child.port, ...child.key }, '2020-03-03');
  await client.GetGroupList({}); // the start-up lines have been written by now
  const ready = log.join('').split('\n').find((l) => l.includes('search index ready'));
  return { p: child.process, client, startup: (JSON.parse(ready!) as { index: { from: string; replayed: number } }).index };
}

const identities = identitiesWithPhotos(3).slice(0, 5);

type Client = Awaited<ReturnType<typeof serve>>['client'];
/** What every identity's third photo finds, scores included. */
const searches = (client: Client) =>
  Promise.all(identities.map(async (name) => (await client.SearchFaces({ GroupIds: ['g'], Image: lfw(name, 3), MaxPersonNum: 10 })).Results));

test('a restart answers searches exactly as before, from the snapshot after a clean stop and with the replayed changes after a SIGKILL', async () => {
  const first = await serve();
  assert.equal(first.startup.from, 'store');
  await first.client.CreateGroup({ GroupId: 'g', GroupName: 'g' });
  for (const [i, name] of identities.slice(0, 4).entries()) {
    await first.client.CreatePerson({ GroupId: 'g', PersonId: `p${i}`, PersonName: name, Image: lfw(name, 1) });
  }
  const before = await searches(first.client);
  await stop(first.p);
  assert.ok(existsSync(join(dataDir, INDEX_SNAPSHOT_FILE)), 'the index is saved at shutdown');

  const second = await serve();
  assert.deepEqual(second.startup, { ...second.startup, from: 'snapshot', replayed: 0 });
  assert.deepEqual(await searches(second.client), before);
  await second.client.DeletePerson({ PersonId: 'p0' });
  await second.client.CreateFace({ PersonId: 'p1', Images: [lfw(identities[1]!, 2)] });
  await second.client.CreatePerson({ GroupId: 'g', PersonId: 'p4', PersonName: identities[4]!, Image: lfw(identities[4]!, 1) });
  const changed = await searches(second.client);
  assert.notDeepEqual(changed, before);
  second.p.kill('SIGKILL');
  await stop(second.p);

  const third = await serve();
  try {
    assert.equal(third.startup.from, 'snapshot');
    assert.ok(third.startup.replayed >= 3, `replayed ${third.startup.replayed} changes`);
    assert.deepEqual(await searches(third.client), changed);
  } finally {
    await stop(third.p);
  }
});
