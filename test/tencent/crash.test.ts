import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { identitiesWithPhotos, lfw } from '../support/faces.ts';
import { serveChild, stop } from '../support/process.ts';
import { iaiClient } from '../support/tencent-sdk.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'faceport-crash-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

async function serve() {
  const child = await serveChild(dataDir);
  return { p: child.process, client: iaiClient({ port: child.port, ...child.key }, '2020-03-03') };
}

test('SIGKILL during a stream of CreatePerson/CreateFace loses no acknowledged write', async () => {
  const identities = identitiesWithPhotos(3).slice(0, 40);
  assert.equal(identities.length, 40, 'the fixture set holds 40 identities with photos 1-3');
  const first = await serve();
  await first.client.CreateGroup({ GroupId: 'crash', GroupName: 'crash' });

  const acknowledged = new Map<string, string[]>(); // personId → acknowledged face ids
  const stream = (async () => {
    for (const [i, name] of identities.entries()) {
      const personId = `p${i}`;
      try {
        const r = await first.client.CreatePerson({ GroupId: 'crash', PersonId: personId, PersonName: name, Image: lfw(name, 1) });
        acknowledged.set(personId, [r.FaceId]);
        const f = await first.client.CreateFace({ PersonId: personId, Images: [lfw(name, 2)], FaceMatchThreshold: 0 });
        acknowledged.get(personId)!.push(...f.SucFaceIds);
      } catch {
        return; // the server died mid-request: whatever was not acknowledged may be lost
      }
    }
  })();
  // Kill once a few writes are acknowledged, while the stream is still sending.
  while (acknowledged.size < 6) await new Promise((r) => setTimeout(r, 20));
  first.p.kill('SIGKILL');
  await stream;
  await stop(first.p);
  assert.ok(acknowledged.size < identities.length, 'the kill landed mid-stream');

  const second = await serve();
  try {
    for (const [personId, faceIds] of acknowledged) {
      const base = await second.client.GetPersonBaseInfo({ PersonId: personId });
      for (const f of faceIds) assert.ok(base.FaceIds.includes(f), `${personId} kept acknowledged face ${f}`);
    }
    // Everything search can return exists in the store, and the counts agree.
    const num = await second.client.GetPersonListNum({ GroupId: 'crash' });
    const list = await second.client.GetPersonList({ GroupId: 'crash', Limit: 1000 });
    const stored = new Map<string, string[]>(list.PersonInfos.map((p: { PersonId: string; FaceIds: string[] }) => [p.PersonId, p.FaceIds]));
    assert.equal(num.FaceNum, [...stored.values()].reduce((n, f) => n + f.length, 0));
    for (const [i, name] of identities.entries()) {
      if (!stored.has(`p${i}`)) continue;
      const r = await second.client.SearchFaces({ GroupIds: ['crash'], Image: lfw(name, 3), MaxPersonNum: 100 });
      for (const c of r.Results[0].Candidates) {
        assert.ok(stored.get(c.PersonId)?.includes(c.FaceId), `search found ${c.PersonId}/${c.FaceId}, which the store has`);
      }
    }
  } finally {
    await stop(second.p);
  }
});
