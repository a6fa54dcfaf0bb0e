import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { lfw, photoBase64 } from '../support/faces.ts';
import { errorCode, iaiClient, methods, versions } from '../support/tencent-sdk.ts';

let s: TestServer;
const people = ['Tom_Cruise', 'Venus_Williams', 'Vicente_Fox', 'Winona_Ryder', 'Walter_Mondale', 'Tommy_Franks'];
const pid = (name: string) => name.toLowerCase();

before(async () => {
  s = await startServer();
  const c = iaiClient(s, '2020-03-03');
  await c.CreateGroup({ GroupId: 'all', GroupName: 'all', GroupExDescriptions: ['role'] });
  await c.CreateGroup({ GroupId: 'some', GroupName: 'some' });
  await c.CreateGroup({ GroupId: 'empty', GroupName: 'empty' });
  await c.CreateGroup({ GroupId: 'old', GroupName: 'old', FaceModelVersion: '2.0' });
  for (const name of people) {
    await c.CreatePerson({
      GroupId: 'all',
      PersonId: pid(name),
      PersonName: name.replace('_', ' '),
      PersonExDescriptionInfos: [{ PersonExDescriptionIndex: 0, PersonExDescription: `role of ${name}` }],
      Image: lfw(name, 1),
    });
  }
  await c.CreateFace({ PersonId: 'tom_cruise', Images: [lfw('Tom_Cruise', 2)] });
  await c.CopyPerson({ PersonId: 'tom_cruise', GroupIds: ['some'] });
  await c.CopyPerson({ PersonId: 'venus_williams', GroupIds: ['some'] });
  await c.CreatePerson({ GroupId: 'old', PersonId: 'old-gore', PersonName: 'Gore', Image: lfw('Al_Gore', 1) });
});
after(() => s.close());

for (const version of versions) {
  for (const method of methods) {
    describe(`1:N search and 1:1 verify, ${version} ${method}`, () => {
      const c = () => iaiClient(s, version, method);

      test('SearchFaces finds each enrolled person from another photo, best first', async () => {
        for (const name of people) {
          const r = await c().SearchFaces({ GroupIds: ['all'], Image: lfw(name, 3) });
          assert.equal(r.FaceNum, people.length + 1);
          assert.equal(r.FaceModelVersion, '3.0');
          assert.equal(r.Results.length, 1);
          const [res] = r.Results;
          assert.equal(res.RetCode, 0);
          assert.equal(res.Candidates[0].PersonId, pid(name), `${name}: ${JSON.stringify(res.Candidates)}`);
          // Genuine pairs mostly score 60-90 (score 70 is FAR 1e-6 per comparison, TAR ≈ 89 % on lfw-dev).
          assert.ok(res.Candidates[0].Score >= 50, `${name} scored ${res.Candidates[0].Score}`);
          if (res.Candidates[1]) assert.ok(res.Candidates[1].Score < 40, `runner-up ${JSON.stringify(res.Candidates[1])}`);
          assert.match(res.Candidates[0].FaceId, /^\d+$/);
          assert.equal(res.Candidates[0].PersonName, null, 'person info only on request');
          const scores = res.Candidates.map((x: { Score: number }) => x.Score);
          assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
          assert.equal(new Set(res.Candidates.map((x: { PersonId: string }) => x.PersonId)).size, res.Candidates.length, 'one candidate per person');
          assert.ok(res.Candidates.length <= 5);
        }
      });

      test('SearchFaces options: MaxPersonNum, NeedPersonInfo, FaceMatchThreshold', async () => {
        const r = await c().SearchFaces({ GroupIds: ['all', 'some'], Image: lfw('Venus_Williams', 4), MaxPersonNum: 2, NeedPersonInfo: 1 });
        const cands = r.Results[0].Candidates;
        assert.equal(cands.length, 2);
        assert.equal(cands[0].PersonId, 'venus_williams');
        assert.equal(cands[0].PersonName, 'Venus Williams');
        assert.equal(cands[0].Gender, 0);
        assert.deepEqual(cands[0].PersonGroupInfos, [
          { GroupId: 'all', PersonExDescriptions: ['role of Venus_Williams'] },
          { GroupId: 'some', PersonExDescriptions: [] },
        ]);
        const strictOnly = await c().SearchFaces({ GroupIds: ['all'], Image: lfw('Venus_Williams', 4), FaceMatchThreshold: 70 });
        assert.deepEqual(strictOnly.Results[0].Candidates.map((x: { PersonId: string }) => x.PersonId), ['venus_williams']);
      });

      test('ReturnsByGroup and person search', async () => {
        const g = await c().SearchFacesReturnsByGroup({ GroupIds: ['some', 'all'], Image: lfw('Tom_Cruise', 4), MaxPersonNumPerGroup: 1 });
        const [probe] = g.ResultsReturnsByGroup;
        assert.deepEqual(probe.GroupCandidates.map((x: { GroupId: string }) => x.GroupId), ['some', 'all']);
        for (const gc of probe.GroupCandidates) assert.deepEqual(gc.Candidates.map((x: { PersonId: string }) => x.PersonId), ['tom_cruise']);

        const p = await c().SearchPersons({ GroupIds: ['all'], Image: lfw('Winona_Ryder', 2) });
        assert.equal(p.PersonNum, people.length);
        assert.equal(p.Results[0].Candidates[0].PersonId, 'winona_ryder');
        assert.equal(p.Results[0].Candidates[0].FaceId, '', 'person search has no face id');
        const pg = await c().SearchPersonsReturnsByGroup({ GroupIds: ['all', 'some'], Image: lfw('Winona_Ryder', 2) });
        const [first, second] = pg.ResultsReturnsByGroup[0].GroupCandidates;
        assert.equal(first.Candidates[0].PersonId, 'winona_ryder');
        assert.ok(!second.Candidates.some((x: { PersonId: string }) => x.PersonId === 'winona_ryder'), 'not in group some');
      });

      test('VerifyFace and VerifyPerson', async () => {
        const same = await c().VerifyFace({ PersonId: 'tom_cruise', Image: lfw('Tom_Cruise', 5) });
        assert.equal(same.IsMatch, true, JSON.stringify(same));
        assert.ok(same.Score >= 60);
        const other = await c().VerifyFace({ PersonId: 'tom_cruise', Image: lfw('Vicente_Fox', 5) });
        assert.equal(other.IsMatch, false);
        assert.ok(other.Score < 40, `impostor scored ${other.Score}`);
        const fused = await c().VerifyPerson({ PersonId: 'tom_cruise', Image: lfw('Tom_Cruise', 5) });
        assert.equal(fused.IsMatch, true);
        assert.equal(fused.FaceModelVersion, '3.0');
      });

      test('search error codes', async () => {
        const img = lfw('Al_Gore', 2);
        const cases: [string, () => Promise<unknown>][] = [
          ['FailedOperation.AcrossVersionsError', () => c().SearchFaces({ GroupIds: ['all', 'old'], Image: img })],
          ['InvalidParameterValue.UnsupportedGroupFaceModelVersion', () => c().SearchPersons({ GroupIds: ['old'], Image: img })],
          ['InvalidParameterValue.NoFaceInGroups', () => c().SearchFaces({ GroupIds: ['empty'], Image: img })],
          ['InvalidParameterValue.GroupIdNotExist', () => c().SearchFaces({ GroupIds: ['all', 'nope'], Image: img })],
          ['InvalidParameterValue.GroupIdsExceed', () => c().SearchFacesReturnsByGroup({ GroupIds: Array.from({ length: 61 }, (_, i) => `g${i}`), Image: img })],
          ['InvalidParameterValue.SearchPersonsExceed', () => c().SearchFaces({ GroupIds: ['all'], Image: img, MaxPersonNum: 101 })],
          ['InvalidParameterValue.FaceMatchThresholdIllegal', () => c().SearchFaces({ GroupIds: ['all'], Image: img, FaceMatchThreshold: -1 })],
          ['InvalidParameterValue.NoFaceInPhoto', () => c().SearchFaces({ GroupIds: ['all'], Image: photoBase64('noface/069_n04285008_sports_car.jpg') })],
          ['InvalidParameterValue.ImageEmpty', () => c().SearchFaces({ GroupIds: ['all'] })],
          ['MissingParameter', () => c().SearchFaces({ Image: img })],
          ['InvalidParameterValue.PersonIdNotExist', () => c().VerifyFace({ PersonId: 'nobody', Image: img })],
        ];
        for (const [code, call] of cases) assert.equal(await errorCode(call()), code, code);
      });
    });
  }
}

test('several probe faces in one photo, largest first', async () => {
  const r = await iaiClient(s, '2020-03-03').SearchFaces({ GroupIds: ['all'], Image: photoBase64('multi/003_ageitgey_kit_with_rose.jpg'), MaxFaceNum: 10 });
  assert.ok(r.Results.length >= 2, `found ${r.Results.length} faces`);
  const areas = r.Results.map((x: { FaceRect: { Width: number; Height: number } }) => x.FaceRect.Width * x.FaceRect.Height);
  assert.deepEqual(areas, [...areas].sort((a: number, b: number) => b - a));
});

test('a deleted face or person is never found again', async () => {
  const c = iaiClient(s, '2020-03-03');
  await c.CreatePerson({ GroupId: 'all', PersonId: 'gone', PersonName: 'Gone', Image: lfw('Tom_Daschle', 1) });
  const found = await c.SearchFaces({ GroupIds: ['all'], Image: lfw('Tom_Daschle', 2), MaxPersonNum: 100 });
  assert.equal(found.Results[0].Candidates[0].PersonId, 'gone');
  await c.DeletePerson({ PersonId: 'gone' });
  const after = await c.SearchFaces({ GroupIds: ['all'], Image: lfw('Tom_Daschle', 2), MaxPersonNum: 100 });
  assert.ok(!after.Results[0].Candidates.some((x: { PersonId: string }) => x.PersonId === 'gone'));
  const persons = await c.SearchPersons({ GroupIds: ['all'], Image: lfw('Tom_Daschle', 2), MaxPersonNum: 100 });
  assert.ok(!persons.Results[0].Candidates.some((x: { PersonId: string }) => x.PersonId === 'gone'));
});
