import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { identitiesWithPhotos } from '../support/faces.ts';
import { startServer } from '../support/server.ts';
import { greenClient } from './green-sdk.ts';
import { serverWithPhotos } from './photo-server.ts';

// A short download timeout keeps the timeout cases quick.
const env = serverWithPhotos({ FACEPORT_URL_TIMEOUT_MS: '1000' });

const c = () => greenClient(env.s);
const call = (path: string, body: unknown = {}) => c().call(path, body);
const lfw = (name: string, n: number) => env.photos.url(`lfw-dev/${name}/${n}.jpg`);
const noface = () => env.photos.url('noface/001_n09193705_alp.jpg');
const ok = (r: { code: number; data: { code: number } | unknown[] }) => {
  assert.equal(r.code, 200, JSON.stringify(r));
  // image scan answers an array, each task with its own code
  if (!Array.isArray(r.data)) assert.equal(r.data.code, 200);
  return r as any;
};
const scan = (groupId: string, url: string, dataId?: string) =>
  call('/green/image/scan', { scenes: ['sface-n'], tasks: [{ ...(dataId ? { dataId } : {}), url, extras: { groupId } }] });

describe('persons and groups', () => {
  test('AddPerson creates the person with no face and its groups; GetPerson reads it back', async () => {
    const r = ok(await call('/green/sface/person/add', { personId: 'tom', groupIds: ['staff', 'actors'], name: 'Tom Cruise', note: 'enrolled in 2026' }));
    assert.deepEqual(r.data, { code: 200, personId: 'tom', groupIds: ['staff', 'actors'] });
    const p = ok(await call('/green/sface/person', { personId: 'tom' }));
    assert.deepEqual(p.data, { code: 200, personId: 'tom', name: 'Tom Cruise', note: 'enrolled in 2026', groupIds: ['staff', 'actors'], faceIds: [] });
    assert.equal((await call('/green/sface/person/add', { personId: 'tom', groupIds: ['staff'] })).code, 400, 'ids are unique');
    assert.equal((await call('/green/sface/person/add', { personId: 'nogroup', groupIds: [] })).code, 400, 'a person needs a group');
    const groups = ok(await call('/green/sface/groups')).data.groupIds;
    assert.ok(groups.includes('staff') && groups.includes('actors'));
  });

  test('SetPerson changes name and note; the rules still apply', async () => {
    ok(await call('/green/sface/person/update', { personId: 'tom', note: 'lead actor' }));
    ok(await call('/green/sface/person/update', { personId: 'tom', name: 'Thomas Cruise' }));
    const p = ok(await call('/green/sface/person', { personId: 'tom' }));
    assert.deepEqual([p.data.name, p.data.note], ['Thomas Cruise', 'lead actor']);
    assert.equal((await call('/green/sface/person/update', { personId: 'tom', note: 'x'.repeat(257) })).code, 400);
    assert.equal((await call('/green/sface/person/update', { personId: 'nobody', name: 'x' })).code, 404);
  });

  test('AddGroups and DeleteGroups: groups of the person; leaving the last one deletes it', async () => {
    ok(await call('/green/sface/person/add', { personId: 'mover', groupIds: ['g-a'] }));
    const added = ok(await call('/green/sface/person/groups/add', { personId: 'mover', groupIds: ['g-b', 'g-a', 'g-c', 'g-b'] }));
    assert.deepEqual(added.data.groupIds, ['g-a', 'g-b', 'g-c']);
    const removed = ok(await call('/green/sface/person/groups/delete', { personId: 'mover', groupIds: ['g-c', 'g-zz', 'g-b'] }));
    assert.deepEqual(removed.data, { code: 200, personId: 'mover', groupIds: ['g-b', 'g-c'] });
    assert.deepEqual(ok(await call('/green/sface/person', { personId: 'mover' })).data.groupIds, ['g-a']);
    ok(await call('/green/sface/person/groups/delete', { personId: 'mover', groupIds: ['g-a'] }));
    assert.equal((await call('/green/sface/person', { personId: 'mover' })).code, 404);
    assert.equal((await call('/green/sface/person/groups/delete', { personId: 'mover', groupIds: ['g-a'] })).code, 404);
  });

  test('GetPersons pages a group by number', async () => {
    for (const id of ['pg-1', 'pg-2', 'pg-3', 'pg-4', 'pg-5']) ok(await call('/green/sface/person/add', { personId: id, groupIds: ['paged'] }));
    const first = ok(await call('/green/sface/group/persons', { groupId: 'paged' }));
    assert.deepEqual(first.data, { code: 200, personIds: ['pg-1', 'pg-2', 'pg-3', 'pg-4', 'pg-5'], currentPage: 1, pageSize: 20, totalCount: 5 });
    const second = ok(await call('/green/sface/group/persons', { groupId: 'paged', currentPage: 2, pageSize: 2 }));
    assert.deepEqual([second.data.personIds, second.data.totalCount], [['pg-3', 'pg-4'], 5]);
    assert.deepEqual(ok(await call('/green/sface/group/persons', { groupId: 'paged', currentPage: 9, pageSize: 2 })).data.personIds, []);
    for (const bad of [{ pageSize: 101 }, { pageSize: 0 }, { currentPage: 0 }]) {
      assert.equal((await call('/green/sface/group/persons', { groupId: 'paged', ...bad })).code, 400, JSON.stringify(bad));
    }
    assert.equal((await call('/green/sface/group/persons', { groupId: 'no-such-group' })).code, 404);
  });

  test('DeletePerson', async () => {
    ok(await call('/green/sface/person/add', { personId: 'gone', groupIds: ['paged'] }));
    assert.deepEqual(ok(await call('/green/sface/person/delete', { personId: 'gone' })).data, { code: 200, personId: 'gone' });
    assert.equal((await call('/green/sface/person', { personId: 'gone' })).code, 404);
    assert.equal((await call('/green/sface/person/delete', { personId: 'gone' })).code, 404);
  });
});

describe('faces by URL', () => {
  let tomFaces: number[];

  test('AddFaces fetches each URL: an id per face, a code per failed image', async () => {
    const urls = [lfw('Tom_Cruise', 1), lfw('Tom_Cruise', 2), noface(), env.photos.missing, env.photos.text, 'ftp://example.com/a.jpg'];
    const r = ok(await call('/green/sface/face/add', { personId: 'tom', urls, bizType: 'staff' }));
    assert.equal(r.data.personId, 'tom');
    assert.deepEqual(r.data.groupIds, ['staff', 'actors']);
    assert.deepEqual(r.data.groupId, ['staff', 'actors']);
    const items = r.data.faceImageItems;
    assert.deepEqual(items.map((i: { success: boolean }) => i.success), [true, true, false, false, false, false]);
    assert.deepEqual(items.map((i: { url: string }) => i.url), urls);
    tomFaces = items.slice(0, 2).map((i: { faceId: number }) => i.faceId);
    for (const id of tomFaces) assert.ok(Number.isSafeInteger(id) && id > 0, 'faceId is a JSON number');
    assert.deepEqual(items.slice(2).map((i: { code: number }) => i.code), [400, 480, 590, 401]);
    for (const i of items.slice(2)) assert.ok(i.msg.length > 0 && !('faceId' in i));
  });

  test('a download that times out is 592', async () => {
    const r = ok(await call('/green/sface/face/add', { personId: 'tom', urls: [env.photos.slow] }));
    assert.deepEqual(r.data.faceImageItems, [{ success: false, url: env.photos.slow, code: 592, msg: r.data.faceImageItems[0].msg }]);
    assert.match(r.data.faceImageItems[0].msg, /timed out/);
  });

  test('loopback URLs are refused (401) unless FACEPORT_URL_ALLOW_PRIVATE=1', async () => {
    const guarded = await startServer();
    try {
      const g = greenClient(guarded);
      await g.call('/green/sface/person/add', { personId: 'guarded', groupIds: ['guarded'] });
      const r = ok(await g.call('/green/sface/face/add', { personId: 'guarded', urls: [lfw('Tom_Cruise', 4)] }));
      assert.equal(r.data.faceImageItems[0].code, 401);
    } finally {
      await guarded.close();
    }
  });

  test('GetPerson lists face ids as strings; GetFaces answers ids with their URLs', async () => {
    assert.deepEqual(ok(await call('/green/sface/person', { personId: 'tom' })).data.faceIds, tomFaces.map(String));
    const all = ok(await call('/green/sface/faces', { personId: 'tom' }));
    assert.deepEqual(all.data.faceImageItems, [
      { faceId: tomFaces[0], success: true, url: lfw('Tom_Cruise', 1) },
      { faceId: tomFaces[1], success: true, url: lfw('Tom_Cruise', 2) },
    ]);
    const some = ok(await call('/green/sface/faces', { personId: 'tom', faceIds: [String(tomFaces[1]), 999999, 'x'] }));
    assert.deepEqual(some.data.faceImageItems.map((i: { faceId: number }) => i.faceId), [tomFaces[1]]);
    assert.equal((await call('/green/sface/faces', { personId: 'nobody' })).code, 404);
  });

  test('a person holds at most 20 faces', async () => {
    const identities = identitiesWithPhotos(1).slice(0, 21);
    assert.equal(identities.length, 21);
    ok(await call('/green/sface/person/add', { personId: 'many', groupIds: ['crowd'] }));
    const twentyOne = identities.map((id) => env.photos.url(`lfw-dev/${id}/1.jpg`));
    assert.equal((await call('/green/sface/face/add', { personId: 'many', urls: twentyOne })).code, 400, '21 at once');
    const r = ok(await call('/green/sface/face/add', { personId: 'many', urls: twentyOne.slice(0, 20) }));
    assert.equal(r.data.faceImageItems.filter((i: { success: boolean }) => i.success).length, 20);
    const more = await call('/green/sface/face/add', { personId: 'many', urls: twentyOne.slice(20) });
    assert.equal(more.code, 400);
    assert.match(more.msg, /20 faces/);
  });

  test('DeleteFaces takes ids as numbers or strings and may remove every face of the person', async () => {
    const one = ok(await call('/green/sface/face/delete', { personId: 'tom', faceIds: [tomFaces[0], 999999] }));
    assert.deepEqual(one.data, { code: 200, personId: 'tom', faceIds: [String(tomFaces[0])], deleteCount: 1 });
    const rest = ok(await call('/green/sface/face/delete', { personId: 'tom', faceIds: [String(tomFaces[1])] }));
    assert.equal(rest.data.deleteCount, 1);
    assert.deepEqual(ok(await call('/green/sface/person', { personId: 'tom' })).data.faceIds, []);
    ok(await call('/green/sface/face/add', { personId: 'tom', urls: [lfw('Tom_Cruise', 1)] }));
  });
});

describe('library search: image scan with scene sface-n', () => {
  const people = ['Venus_Williams', 'Vicente_Fox', 'Winona_Ryder', 'Walter_Mondale', 'Tommy_Franks', 'Al_Gore'];

  before(async () => {
    for (const name of people) {
      const personId = name.toLowerCase();
      ok(await call('/green/sface/person/add', { personId, groupIds: ['staff'] }));
      ok(await call('/green/sface/face/add', { personId, urls: [lfw(name, 1)] }));
    }
  });

  test('finds the person from another photo: top 5 persons by rate, with the matching face', async () => {
    const r = ok(await scan('staff', lfw('Tom_Cruise', 3), 'probe-1'));
    assert.equal(r.data.length, 1);
    const [task] = r.data;
    assert.equal(task.code, 200);
    assert.equal(task.dataId, 'probe-1');
    assert.equal(task.url, lfw('Tom_Cruise', 3));
    assert.match(task.taskId, /^img[0-9a-f]{32}$/);
    const [result] = task.results;
    assert.equal(result.scene, 'sface-n');
    // one entry per detected face, largest first (this photo also shows someone in the background)
    assert.equal(result.topPersonData.length, 2);
    const { faceItem, persons } = result.topPersonData[0];
    const background = result.topPersonData[1].faceItem;
    assert.ok(faceItem.width * faceItem.height > background.width * background.height);
    assert.ok(faceItem.width > 30 && faceItem.height > 30 && faceItem.x >= 0 && faceItem.y >= 0, JSON.stringify(faceItem));
    assert.equal(persons.length, 5);
    assert.equal(persons[0].personId, 'tom');
    const tomFaces = ok(await call('/green/sface/person', { personId: 'tom' })).data.faceIds;
    assert.deepEqual([String(persons[0].faceId)], tomFaces);
    assert.ok(persons[0].rate >= 50, `tom rated ${persons[0].rate}`);
    assert.ok(persons[1].rate < 40, `runner-up ${JSON.stringify(persons[1])}`);
    const rates = persons.map((p: { rate: number }) => p.rate);
    assert.deepEqual(rates, [...rates].sort((a, b) => b - a));
    assert.equal(result.rate, persons[0].rate);
    assert.deepEqual([result.label, result.suggestion], ['sface', 'review']);
  });

  test('several tasks in one call, each with its own outcome', async () => {
    const r = ok(
      await call('/green/image/scan', {
        bizType: 'default',
        scenes: ['sface-n'],
        tasks: [
          { url: lfw('Venus_Williams', 2), extras: { groupId: 'staff' } },
          { url: noface(), extras: { groupId: 'staff' } },
          { url: lfw('Venus_Williams', 2), extras: { groupId: 'no-such-group' } },
          { url: lfw('Venus_Williams', 2), extras: { groupId: 'paged' } },
          { url: env.photos.missing, extras: { groupId: 'staff' } },
          { url: env.photos.slow, extras: { groupId: 'staff' } },
        ],
      }),
    );
    const [venus, empty, unknown, faceless, missing, slow] = r.data;
    assert.equal(venus.results[0].topPersonData[0].persons[0].personId, 'venus_williams');
    assert.deepEqual(empty.results, [{ scene: 'sface-n', label: 'normal', suggestion: 'pass', rate: 0, topPersonData: [] }]);
    assert.equal(empty.code, 200);
    assert.equal(unknown.code, 404);
    assert.equal(faceless.code, 404, 'a group whose persons have no face does not exist yet');
    assert.equal(missing.code, 480);
    assert.equal(slow.code, 592);
    for (const t of [unknown, faceless, missing, slow]) assert.ok(t.msg && !('results' in t));
  });

  test('other scenes and malformed tasks are refused as a whole', async () => {
    const porn = await call('/green/image/scan', { scenes: ['porn', 'sface-n'], tasks: [{ url: noface(), extras: { groupId: 'staff' } }] });
    assert.deepEqual([porn.code, porn.data.code], [400, 400]);
    assert.match(porn.msg, /porn/);
    assert.equal((await call('/green/image/scan', { scenes: ['sface-n'], tasks: [{ url: noface() }] })).code, 400);
    assert.equal((await call('/green/image/scan', { scenes: ['sface-n'], tasks: [] })).code, 400);
  });

  test('a person whose faces are all deleted is no longer found', async () => {
    const faces = ok(await call('/green/sface/person', { personId: 'al_gore' })).data.faceIds;
    ok(await call('/green/sface/face/delete', { personId: 'al_gore', faceIds: faces }));
    const r = ok(await scan('staff', lfw('Al_Gore', 2)));
    const found = r.data[0].results[0].topPersonData[0].persons.map((p: { personId: string }) => p.personId);
    assert.ok(!found.includes('al_gore'), found.join());
  });
});

describe('limits', () => {
  test('at most 100 groups are created through this API; a refused call creates none', async () => {
    const existing = ok(await call('/green/sface/groups')).data.groupIds.length;
    const fill = Array.from({ length: 100 - existing }, (_, i) => `fill-${i}`);
    // a person can be in at most 100 groups, so two persons share the filling
    ok(await call('/green/sface/person/add', { personId: 'filler-1', groupIds: fill.slice(0, 50) }));
    ok(await call('/green/sface/person/add', { personId: 'filler-2', groupIds: fill.slice(50) }));
    assert.equal(ok(await call('/green/sface/groups')).data.groupIds.length, 100);
    const refused = await call('/green/sface/person/groups/add', { personId: 'filler-2', groupIds: ['staff', 'one-too-many'] });
    assert.equal(refused.code, 400);
    assert.match(refused.msg, /100/);
    assert.equal(ok(await call('/green/sface/groups')).data.groupIds.length, 100);
    ok(await call('/green/sface/person/groups/add', { personId: 'filler-2', groupIds: ['staff'] }));
  });
});
