import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { lfw, photoBase64 } from '../support/faces.ts';
import { errorCode, iaiClient, versions } from '../support/tencent-sdk.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(() => s.close());

const noface = photoBase64('noface/001_n09193705_alp.jpg');

for (const version of versions) {
  describe(`persons and faces via the official SDK, ${version}`, () => {
    const v = version.slice(0, 4);
    const id = (n: string) => `${v}-${n}`;
    const c = () => iaiClient(s, version);
    const get = () => iaiClient(s, version, 'GET');

    before(async () => {
      await c().CreateGroup({ GroupId: id('staff'), GroupName: `staff ${v}`, GroupExDescriptions: ['dept', 'code'] });
      await c().CreateGroup({ GroupId: id('guests'), GroupName: `guests ${v}` });
    });

    test('enrol a person, add and delete faces, read it back', async () => {
      const created = await c().CreatePerson({
        GroupId: id('staff'),
        PersonId: id('tom'),
        PersonName: 'Tom Cruise',
        Gender: 1,
        PersonExDescriptionInfos: [{ PersonExDescriptionIndex: 1, PersonExDescription: 'T-001' }],
        Image: lfw('Tom_Cruise', 1),
      });
      assert.match(created.FaceId, /^\d+$/);
      assert.equal(created.FaceModelVersion, '3.0');
      assert.equal(created.SimilarPersonId, '');
      const r = created.FaceRect;
      assert.ok(r.Width > 30 && r.Height > 30 && r.X > 0 && r.X + r.Width < 150, JSON.stringify(r));

      const base = await get().GetPersonBaseInfo({ PersonId: id('tom') });
      assert.deepEqual(base, { PersonName: 'Tom Cruise', Gender: 1, FaceIds: [created.FaceId], RequestId: base.RequestId });

      const added = await c().CreateFace({ PersonId: id('tom'), Images: [lfw('Tom_Cruise', 2), lfw('Venus_Williams', 1), noface, 'bm90IGFuIGltYWdl'] });
      assert.deepEqual(added.RetCode, [0, -1604, -1101, -1102]);
      assert.deepEqual(added.SucIndexes, [0]);
      assert.equal(added.SucFaceNum, 1);
      assert.equal(added.SucFaceIds.length, 1);
      assert.equal(added.SucFaceRects.length, 1);

      const lowBar = await c().CreateFace({ PersonId: id('tom'), Images: [lfw('Venus_Williams', 1)], FaceMatchThreshold: 0 });
      assert.deepEqual(lowBar.RetCode, [0], 'FaceMatchThreshold 0 accepts anyone');
      assert.equal(
        await errorCode(c().CreateFace({ PersonId: id('tom'), Images: [lfw('Tom_Cruise', 3), lfw('Tom_Cruise', 4), lfw('Tom_Cruise', 5)] })),
        'InvalidParameterValue.PersonFaceNumExceed',
      );

      const faces = (await c().GetPersonBaseInfo({ PersonId: id('tom') })).FaceIds;
      assert.equal(faces.length, 3);
      const del = await c().DeleteFace({ PersonId: id('tom'), FaceIds: [lowBar.SucFaceIds[0], '999999999', 'x'] });
      assert.deepEqual(del.SucFaceIds, [lowBar.SucFaceIds[0]]);
      assert.equal(del.SucDeletedNum, 1);
      assert.equal(
        await errorCode(c().DeleteFace({ PersonId: id('tom'), FaceIds: faces.slice(0, 2) })),
        'InvalidParameterValue.DeleteFaceNumExceed',
      );

      const list = await c().GetPersonList({ GroupId: id('staff') });
      const tom = list.PersonInfos.find((p: { PersonId: string }) => p.PersonId === id('tom'));
      assert.deepEqual(tom.PersonExDescriptions, ['', 'T-001']);
      assert.equal(tom.FaceIds.length, 2);
      assert.ok(tom.CreationTimestamp > 0);
      assert.equal(list.FaceModelVersion, '3.0');
      const num = await get().GetPersonListNum({ GroupId: id('staff') });
      assert.equal(num.PersonNum, list.PersonNum);
      assert.equal(num.FaceNum, list.FaceNum);
    });

    test('modify, copy to other groups, leave groups', async () => {
      await c().CreatePerson({ GroupId: id('staff'), PersonId: id('venus'), PersonName: 'Venus', Image: lfw('Venus_Williams', 2) });
      await c().ModifyPersonBaseInfo({ PersonId: id('venus'), PersonName: 'Venus Williams', Gender: 2 });
      await c().ModifyPersonGroupInfo({
        GroupId: id('staff'),
        PersonId: id('venus'),
        PersonExDescriptionInfos: [{ PersonExDescriptionIndex: 0, PersonExDescription: 'Tennis' }],
      });
      const copied = await c().CopyPerson({ PersonId: id('venus'), GroupIds: [id('guests'), id('staff')] });
      assert.deepEqual(copied.SucGroupIds, [id('guests')], 'already a member of staff');
      assert.equal(copied.SucGroupNum, 1);

      const info = await get().GetPersonGroupInfo({ PersonId: id('venus') });
      assert.equal(info.GroupNum, 2);
      assert.deepEqual(
        info.PersonGroupInfos.map((g: { GroupId: string; PersonExDescriptions: string[] }) => [g.GroupId, g.PersonExDescriptions]),
        [
          [id('staff'), ['Tennis', '']],
          [id('guests'), []],
        ],
      );
      const base = await c().GetPersonBaseInfo({ PersonId: id('venus') });
      assert.equal(base.PersonName, 'Venus Williams');
      assert.equal(base.Gender, 2);

      await c().DeletePersonFromGroup({ PersonId: id('venus'), GroupId: id('staff') });
      assert.equal((await c().GetPersonGroupInfo({ PersonId: id('venus') })).GroupNum, 1);
      assert.equal(
        await errorCode(c().DeletePersonFromGroup({ PersonId: id('venus'), GroupId: id('staff') })),
        'FailedOperation.GroupPersonMapNotExist',
      );
      await c().DeletePersonFromGroup({ PersonId: id('venus'), GroupId: id('guests') });
      assert.equal(await errorCode(c().GetPersonBaseInfo({ PersonId: id('venus') })), 'InvalidParameterValue.PersonIdNotExist');
    });

    test('UniquePersonControl refuses a likely duplicate and names it', async () => {
      await c().CreatePerson({ GroupId: id('guests'), PersonId: id('fox'), PersonName: 'Fox', Image: lfw('Vicente_Fox', 1) });
      const dup = await c().CreatePerson({
        GroupId: id('guests'),
        PersonId: id('fox-again'),
        PersonName: 'Fox again',
        Image: lfw('Vicente_Fox', 1),
        UniquePersonControl: 4,
      });
      assert.equal(dup.SimilarPersonId, id('fox'));
      assert.equal(dup.FaceId, '');
      assert.equal(await errorCode(c().GetPersonBaseInfo({ PersonId: id('fox-again') })), 'InvalidParameterValue.PersonIdNotExist');
      const other = await c().CreatePerson({
        GroupId: id('guests'),
        PersonId: id('winona'),
        PersonName: 'Winona',
        Image: lfw('Winona_Ryder', 1),
        UniquePersonControl: 1,
      });
      assert.equal(other.SimilarPersonId, '');
      assert.match(other.FaceId, /^\d+$/);
    });

    test('documented error codes', async () => {
      const cases: [string, () => Promise<unknown>][] = [
        ['InvalidParameterValue.GroupIdNotExist', () => c().CreatePerson({ GroupId: id('none'), PersonId: id('x'), PersonName: 'x', Image: lfw('Al_Gore', 1) })],
        ['InvalidParameterValue.PersonIdAlreadyExist', () => c().CreatePerson({ GroupId: id('guests'), PersonId: id('fox'), PersonName: 'x', Image: lfw('Al_Gore', 1) })],
        ['InvalidParameterValue.PersonIdIllegal', () => c().CreatePerson({ GroupId: id('guests'), PersonId: 'a b', PersonName: 'x', Image: lfw('Al_Gore', 1) })],
        ['InvalidParameterValue.PersonIdTooLong', () => c().CreatePerson({ GroupId: id('guests'), PersonId: 'p'.repeat(65), PersonName: 'x', Image: lfw('Al_Gore', 1) })],
        ['InvalidParameterValue.PersonNameTooLong', () => c().CreatePerson({ GroupId: id('guests'), PersonId: id('x'), PersonName: 'n'.repeat(61), Image: lfw('Al_Gore', 1) })],
        ['InvalidParameterValue.PersonGenderIllegal', () => c().CreatePerson({ GroupId: id('guests'), PersonId: id('x'), PersonName: 'x', Gender: 3, Image: lfw('Al_Gore', 1) })],
        ['InvalidParameterValue.NoFaceInPhoto', () => c().CreatePerson({ GroupId: id('guests'), PersonId: id('x'), PersonName: 'x', Image: noface })],
        ['FailedOperation.ImageDecodeFailed', () => c().CreatePerson({ GroupId: id('guests'), PersonId: id('x'), PersonName: 'x', Image: 'bm90IGFuIGltYWdl' })],
        ['InvalidParameterValue.ImageEmpty', () => c().CreatePerson({ GroupId: id('guests'), PersonId: id('x'), PersonName: 'x' })],
        ['InvalidParameterValue.QualityControlIllegal', () => c().CreatePerson({ GroupId: id('guests'), PersonId: id('x'), PersonName: 'x', Image: lfw('Al_Gore', 1), QualityControl: 5 })],
        ['InvalidParameterValue.UniquePersonControlIllegal', () => c().CreatePerson({ GroupId: id('guests'), PersonId: id('x'), PersonName: 'x', Image: lfw('Al_Gore', 1), UniquePersonControl: 9 })],
        [
          'InvalidParameterValue',
          () =>
            c().CreatePerson({
              GroupId: id('guests'),
              PersonId: id('x'),
              PersonName: 'x',
              Image: lfw('Al_Gore', 1),
              PersonExDescriptionInfos: [{ PersonExDescriptionIndex: 0, PersonExDescription: 'no such field' }],
            }),
        ],
        ['InvalidParameterValue.PersonIdNotExist', () => c().GetPersonBaseInfo({ PersonId: id('nobody') })],
        ['InvalidParameterValue.PersonIdNotExist', () => c().DeletePerson({ PersonId: id('nobody') })],
        ['InvalidParameterValue.PersonIdNotExist', () => c().CreateFace({ PersonId: id('nobody'), Images: [lfw('Al_Gore', 1)] })],
        ['InvalidParameterValue.ImageEmpty', () => c().CreateFace({ PersonId: id('fox'), Images: [] })],
        ['InvalidParameterValue.UploadFaceNumExceed', () => c().CreateFace({ PersonId: id('fox'), Images: Array(6).fill(lfw('Vicente_Fox', 2)) })],
        ['InvalidParameterValue.FaceMatchThresholdIllegal', () => c().CreateFace({ PersonId: id('fox'), Images: [lfw('Vicente_Fox', 2)], FaceMatchThreshold: 101 })],
        ['InvalidParameterValue.GroupIdNotExist', () => c().CopyPerson({ PersonId: id('fox'), GroupIds: [id('none')] })],
        ['InvalidParameterValue.LimitExceed', () => c().GetPersonGroupInfo({ PersonId: id('fox'), Limit: 101 })],
        ['InvalidParameterValue.LimitExceed', () => c().GetPersonList({ GroupId: id('guests'), Limit: 1001 })],
        ['MissingParameter', () => c().ModifyPersonGroupInfo({ GroupId: id('guests'), PersonId: id('fox') })],
      ];
      for (const [code, call] of cases) assert.equal(await errorCode(call()), code, code);
    });

    test('a deleted face\'s id is never given to another face, even the newest id', async () => {
      await c().CreateGroup({ GroupId: id('ids'), GroupName: `ids ${v}` });
      await c().CreatePerson({ GroupId: id('ids'), PersonId: id('venus'), PersonName: 'Venus', Image: lfw('Venus_Williams', 1) });
      const added = await c().CreateFace({ PersonId: id('venus'), Images: [lfw('Venus_Williams', 2)], FaceMatchThreshold: 0 });
      const newest = added.SucFaceIds[0];
      await c().DeleteFace({ PersonId: id('venus'), FaceIds: [newest] });
      const again = await c().CreateFace({ PersonId: id('venus'), Images: [lfw('Venus_Williams', 3)], FaceMatchThreshold: 0 });
      assert.ok(Number(again.SucFaceIds[0]) > Number(newest), `${again.SucFaceIds[0]} after deleted ${newest}`);
      await c().DeleteGroup({ GroupId: id('ids') });
    });

    test('deleting a group deletes the persons only it held', async () => {
      await c().CreateGroup({ GroupId: id('temp'), GroupName: `temp ${v}` });
      await c().CreatePerson({ GroupId: id('temp'), PersonId: id('mondale'), PersonName: 'Mondale', Image: lfw('Walter_Mondale', 1) });
      await c().CopyPerson({ PersonId: id('fox'), GroupIds: [id('temp')] });
      await c().DeleteGroup({ GroupId: id('temp') });
      assert.equal(await errorCode(c().GetPersonBaseInfo({ PersonId: id('mondale') })), 'InvalidParameterValue.PersonIdNotExist');
      assert.equal((await c().GetPersonGroupInfo({ PersonId: id('fox') })).GroupNum, 1);
      await c().DeletePerson({ PersonId: id('fox') });
      assert.equal(await errorCode(c().GetPersonBaseInfo({ PersonId: id('fox') })), 'InvalidParameterValue.PersonIdNotExist');
    });
  });
}
