import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lfw as lfwBase64 } from '../support/faces.ts';
import { errorCode, iaiClient } from '../support/tencent-sdk.ts';
import { greenClient } from './green-sdk.ts';
import { serverWithPhotos } from './photo-server.ts';

// One library, two APIs: what one creates, the other sees, each under the rules of the API
// that created the object.
const env = serverWithPhotos();

const green = async (path: string, body: unknown) => {
  const r = await greenClient(env.s).call(path, body);
  return r as { code: number; msg: string; data: any };
};
const ok = async (path: string, body: unknown) => {
  const r = await green(path, body);
  assert.equal(r.code, 200, JSON.stringify(r));
  return r.data;
};
const tencent = () => iaiClient(env.s, '2020-03-03');
const url = (name: string, n: number) => env.photos.url(`lfw-dev/${name}/${n}.jpg`);
const scanTop = async (groupId: string, probe: string) => {
  const [task] = await ok('/green/image/scan', { scenes: ['sface-n'], tasks: [{ url: probe, extras: { groupId } }] });
  assert.equal(task.code, 200, JSON.stringify(task));
  return task.results[0].topPersonData[0].persons as { personId: string; faceId: number; rate: number }[];
};

describe('Alibaba and Tencent views of one library', () => {
  test('an Alibaba group is a library group named after its id, model 3.0; its persons are Tencent persons', async () => {
    await ok('/green/sface/person/add', { personId: 'ali-tom', groupIds: ['ali-g'], name: 'Tom', note: 'via Alibaba' });
    const g = await tencent().GetGroupInfo({ GroupId: 'ali-g' });
    assert.deepEqual([g.GroupName, g.FaceModelVersion, g.GroupExDescriptions, g.Tag], ['ali-g', '3.0', [], '']);
    const base = await tencent().GetPersonBaseInfo({ PersonId: 'ali-tom' });
    assert.deepEqual([base.PersonName, base.FaceIds], ['Tom', []]);
    const list = await tencent().GetPersonList({ GroupId: 'ali-g' });
    assert.deepEqual(list.PersonInfos.map((p: { PersonId: string }) => p.PersonId), ['ali-tom']);
    await tencent().ModifyPersonBaseInfo({ PersonId: 'ali-tom', PersonName: 'Tom Cruise' });
    const p = await ok('/green/sface/person', { personId: 'ali-tom' });
    assert.deepEqual([p.name, p.note], ['Tom Cruise', 'via Alibaba']);
  });

  test('a group created implicitly takes a free name when a Tencent group already holds its id as name', async () => {
    await tencent().CreateGroup({ GroupId: 'tc-named', GroupName: 'ali-shared' });
    await ok('/green/sface/person/groups/add', { personId: 'ali-tom', groupIds: ['ali-shared'] });
    assert.equal((await tencent().GetGroupInfo({ GroupId: 'ali-shared' })).GroupName, 'ali-shared (2)');
  });

  test('enrol through Alibaba, find through Tencent SearchFaces, with the same score on both', async () => {
    const added = await ok('/green/sface/face/add', { personId: 'ali-tom', urls: [url('Tom_Cruise', 1)] });
    const faceId = added.faceImageItems[0].faceId;
    const r = await tencent().SearchFaces({ GroupIds: ['ali-g'], Image: lfwBase64('Tom_Cruise', 3) });
    const [best] = r.Results[0].Candidates;
    assert.deepEqual([best.PersonId, best.FaceId], ['ali-tom', String(faceId)]);
    const [top] = await scanTop('ali-g', url('Tom_Cruise', 3));
    assert.deepEqual(top, { personId: 'ali-tom', faceId, rate: best.Score });
  });

  test('enrol through Tencent, find through Alibaba image scan; Tencent-only id characters stay usable', async () => {
    await tencent().CreateGroup({ GroupId: 'tc-g', GroupName: 'Tencent group' });
    const created = await tencent().CreatePerson({ GroupId: 'tc-g', PersonId: 'tc-venus@x', PersonName: 'Venus', Image: lfwBase64('Venus_Williams', 1) });
    const [top] = await scanTop('tc-g', url('Venus_Williams', 2));
    assert.deepEqual([top!.personId, top!.faceId], ['tc-venus@x', Number(created.FaceId)]);
    assert.ok(top!.rate >= 50, `${top!.rate}`);
    const p = await ok('/green/sface/person', { personId: 'tc-venus@x' });
    assert.deepEqual([p.name, p.groupIds, p.faceIds], ['Venus', ['tc-g'], [created.FaceId]]);
    assert.ok((await ok('/green/sface/groups', {})).groupIds.includes('tc-g'));
  });

  test('the face limit follows the API that created the person: 5 for Tencent persons, 20 for Alibaba ones', async () => {
    const four = [2, 3, 4, 5].map((n) => url('Venus_Williams', n));
    const added = await ok('/green/sface/face/add', { personId: 'tc-venus@x', urls: four });
    assert.ok(added.faceImageItems.every((i: { success: boolean }) => i.success));
    const sixth = await green('/green/sface/face/add', { personId: 'tc-venus@x', urls: [url('Venus_Williams', 6)] });
    assert.equal(sixth.code, 400);
    assert.match(sixth.msg, /5 faces/);

    const photos5 = [2, 3, 4, 5, 6].map((n) => lfwBase64('Tom_Cruise', n));
    const r = await tencent().CreateFace({ PersonId: 'ali-tom', Images: photos5, FaceMatchThreshold: 0 });
    assert.equal(r.SucFaceNum, 5);
    assert.equal((await tencent().GetPersonBaseInfo({ PersonId: 'ali-tom' })).FaceIds.length, 6, 'past Tencent’s 5');
  });

  test('the last face: a Tencent person keeps one even through Alibaba; an Alibaba person may lose all, even through Tencent', async () => {
    const venus = await ok('/green/sface/person', { personId: 'tc-venus@x' });
    const refused = await green('/green/sface/face/delete', { personId: 'tc-venus@x', faceIds: venus.faceIds });
    assert.equal(refused.code, 400);
    const tom = await tencent().GetPersonBaseInfo({ PersonId: 'ali-tom' });
    const del = await tencent().DeleteFace({ PersonId: 'ali-tom', FaceIds: tom.FaceIds });
    assert.equal(del.SucDeletedNum, 6);
    assert.deepEqual((await ok('/green/sface/person', { personId: 'ali-tom' })).faceIds, []);
  });

  test('a person with no face through Tencent: VerifyFace has nothing to compare; CreateFace takes any first face', async () => {
    assert.equal(
      await errorCode(tencent().VerifyFace({ PersonId: 'ali-tom', Image: lfwBase64('Tom_Cruise', 1) })),
      'InvalidParameterValue.NoFaceInGroups',
    );
    assert.equal(await errorCode(tencent().SearchFaces({ GroupIds: ['ali-g'], Image: lfwBase64('Tom_Cruise', 1) })), 'InvalidParameterValue.NoFaceInGroups');
    const r = await tencent().CreateFace({ PersonId: 'ali-tom', Images: [lfwBase64('Tom_Cruise', 1)] });
    assert.deepEqual(r.RetCode, [0]);
    const v = await tencent().VerifyFace({ PersonId: 'ali-tom', Image: lfwBase64('Tom_Cruise', 2) });
    assert.equal(v.IsMatch, true);
  });

  test('leaving the last group deletes the person, whichever API asks', async () => {
    await tencent().CreatePerson({ GroupId: 'tc-g', PersonId: 'tc-leaver', PersonName: 'Leaver', Image: lfwBase64('Winona_Ryder', 1) });
    assert.deepEqual((await ok('/green/sface/person/groups/delete', { personId: 'tc-leaver', groupIds: ['tc-g'] })).groupIds, ['tc-g']);
    assert.equal(await errorCode(tencent().GetPersonBaseInfo({ PersonId: 'tc-leaver' })), 'InvalidParameterValue.PersonIdNotExist');
    await ok('/green/sface/person/add', { personId: 'ali-leaver', groupIds: ['ali-g'] });
    await tencent().DeletePersonFromGroup({ PersonId: 'ali-leaver', GroupId: 'ali-g' });
    assert.equal((await green('/green/sface/person', { personId: 'ali-leaver' })).code, 404);
  });
});
