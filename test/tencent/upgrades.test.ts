import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { lfw } from '../support/faces.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { errorCode, iaiClient, versions } from '../support/tencent-sdk.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(() => s.close());

for (const version of versions) {
  describe(`group model upgrades via the official SDK, ${version}`, () => {
    const c = () => iaiClient(s, version);
    const group = `up-${version}`;

    test('an upgrade moves the group to 3.0 at once, and one rollback moves it back', async () => {
      await c().CreateGroup({ GroupId: group, GroupName: group, FaceModelVersion: '2.0' });
      await c().CreatePerson({ GroupId: group, PersonId: `${group}-gore`, PersonName: 'Al Gore', Image: lfw('Al_Gore', 1) });
      const searchPersons = () => c().SearchPersons({ GroupIds: [group], Image: lfw('Al_Gore', 2) });
      assert.equal(await errorCode(searchPersons()), 'InvalidParameterValue.UnsupportedGroupFaceModelVersion');
      const searchFaces = () => c().SearchFaces({ GroupIds: [group], Image: lfw('Al_Gore', 2) });
      assert.equal((await searchFaces()).FaceModelVersion, '2.0');
      const verify = () => c().VerifyFace({ PersonId: `${group}-gore`, Image: lfw('Colin_Powell', 1) });
      const on2 = await verify();

      const started = Date.now();
      const { JobId } = await c().UpgradeGroupFaceModelVersion({ GroupId: group, FaceModelVersion: '3.0' });
      assert.match(JobId, /^[0-9a-f-]{36}$/);
      assert.equal((await c().GetGroupInfo({ GroupId: group })).FaceModelVersion, '3.0');
      const result = await c().GetUpgradeGroupFaceModelVersionResult({ JobId });
      assert.deepEqual(
        { ...result, StartTime: 0, RequestId: '' },
        { EndTimestamp: 0, Progress: 100, Status: 1, StartTime: 0, FromFaceModelVersion: '2.0', ToFaceModelVersion: '3.0', GroupId: group, FailedFacesUrl: '', RequestId: '' },
      );
      assert.ok(result.StartTime >= started && result.StartTime <= Date.now());
      // Now a 3.0 group: searches run on 3.0, and person search (3.0 only) works.
      assert.equal((await searchFaces()).FaceModelVersion, '3.0');
      assert.equal((await searchPersons()).Results[0].Candidates[0].PersonId, `${group}-gore`);
      const on3 = await verify();
      assert.ok(on3.Score < on2.Score, `a stranger scores ${on3.Score} on the 3.0 scale, ${on2.Score} on 2.0's`);
      assert.equal(on3.IsMatch, on2.IsMatch);

      const list = await c().GetUpgradeGroupFaceModelVersionJobList({ Limit: 1000 });
      assert.deepEqual(
        list.JobInfos.find((j: { JobId: string }) => j.JobId === JobId),
        { JobId, GroupId: group, FromFaceModelVersion: '2.0', ToFaceModelVersion: '3.0', StartTime: result.StartTime, Status: 1 },
      );
      assert.equal(list.JobNum, list.JobInfos.length);

      await c().RevertGroupFaceModelVersion({ JobId });
      assert.equal((await c().GetGroupInfo({ GroupId: group })).FaceModelVersion, '2.0');
      assert.equal((await c().GetUpgradeGroupFaceModelVersionResult({ JobId })).Status, 2);
      assert.equal((await searchFaces()).FaceModelVersion, '2.0');
      assert.equal((await verify()).Score, on2.Score);
      assert.equal(await errorCode(c().RevertGroupFaceModelVersion({ JobId })), 'FailedOperation.JobCannnotRollback');

      // Upgrading again is allowed; a second rollback of the same group is not.
      const again = await c().UpgradeGroupFaceModelVersion({ GroupId: group, FaceModelVersion: '3.0' });
      assert.equal(await errorCode(c().RevertGroupFaceModelVersion({ JobId: again.JobId })), 'FailedOperation.JobCannnotRollback');
      assert.equal((await c().GetGroupInfo({ GroupId: group })).FaceModelVersion, '3.0');
    });

    test('refuses what cannot be upgraded or rolled back', async () => {
      assert.equal(
        await errorCode(c().UpgradeGroupFaceModelVersion({ GroupId: group, FaceModelVersion: '3.0' })),
        'FailedOperation.GroupCannotUpgrade',
        'already on 3.0',
      );
      await c().CreateGroup({ GroupId: `${group}-b`, GroupName: `${group}-b`, FaceModelVersion: '2.0' });
      assert.equal(
        await errorCode(c().UpgradeGroupFaceModelVersion({ GroupId: `${group}-b`, FaceModelVersion: '2.0' })),
        'FailedOperation.GroupCannotUpgrade',
        'not a newer version',
      );
      assert.equal(
        await errorCode(c().UpgradeGroupFaceModelVersion({ GroupId: `${group}-b`, FaceModelVersion: '4.0' })),
        'InvalidParameterValue.FaceModelVersionIllegal',
      );
      assert.equal(
        await errorCode(c().UpgradeGroupFaceModelVersion({ GroupId: 'no-such-group', FaceModelVersion: '3.0' })),
        'InvalidParameterValue.GroupIdNotExist',
      );
      assert.equal(await errorCode(c().UpgradeGroupFaceModelVersion({ GroupId: `${group}-b` })), 'MissingParameter');
      const missing = '00000000-0000-0000-0000-000000000000';
      assert.equal(await errorCode(c().GetUpgradeGroupFaceModelVersionResult({ JobId: missing })), 'FailedOperation.UpgradeJobIdNotExist');
      assert.equal(await errorCode(c().RevertGroupFaceModelVersion({ JobId: missing })), 'FailedOperation.UpgradeJobIdNotExist');
      assert.equal(await errorCode(c().GetUpgradeGroupFaceModelVersionJobList({ Limit: 1001 })), 'InvalidParameterValue.LimitExceed');

      // A deleted group's job stays listed and readable, but there is nothing to roll back.
      const { JobId } = await c().UpgradeGroupFaceModelVersion({ GroupId: `${group}-b`, FaceModelVersion: '3.0' });
      await c().DeleteGroup({ GroupId: `${group}-b` });
      assert.equal((await c().GetUpgradeGroupFaceModelVersionResult({ JobId })).GroupId, `${group}-b`);
      assert.equal(await errorCode(c().RevertGroupFaceModelVersion({ JobId })), 'InvalidParameterValue.GroupIdNotExist');
    });
  });
}
