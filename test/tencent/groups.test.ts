import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { errorCode, iaiClient, methods, versions } from '../support/tencent-sdk.ts';

let s: TestServer;
before(async () => {
  s = await startServer({ FACEPORT_MAX_GROUPS: '40' });
});
after(() => s.close());

for (const version of versions) {
  for (const method of methods) {
    describe(`groups via the official SDK, ${version} ${method}`, () => {
      const tag = `${version.slice(0, 4)}${method}`;
      const id = (n: string) => `${tag}-${n}`;
      const client = () => iaiClient(s, version, method);

      test('create, read, list, modify and delete a group', async () => {
        const c = client();
        const before = Date.now();
        const created = await c.CreateGroup({
          GroupId: id('staff'),
          GroupName: `Staff ${tag} #1, Building 2`,
          GroupExDescriptions: ['student ID', '部门'],
          Tag: 'Excluding interns',
        });
        assert.equal(created.FaceModelVersion, '3.0');
        assert.match(created.RequestId, /^[0-9a-f-]{36}$/);

        const info = await c.GetGroupInfo({ GroupId: id('staff') });
        assert.equal(info.GroupId, id('staff'));
        assert.equal(info.GroupName, `Staff ${tag} #1, Building 2`);
        assert.deepEqual(info.GroupExDescriptions, ['student ID', '部门']);
        assert.equal(info.Tag, 'Excluding interns');
        assert.equal(info.FaceModelVersion, '3.0');
        assert.ok(info.CreationTimestamp >= before && info.CreationTimestamp <= Date.now(), 'timestamp in ms');

        await c.ModifyGroup({
          GroupId: id('staff'),
          GroupName: `Renamed ${tag}`,
          Tag: '',
          GroupExDescriptionInfos: [
            { GroupExDescriptionIndex: 1, GroupExDescription: 'department' },
            { GroupExDescriptionIndex: 2, GroupExDescription: 'phone' },
          ],
        });
        const modified = await c.GetGroupInfo({ GroupId: id('staff') });
        assert.equal(modified.GroupName, `Renamed ${tag}`);
        assert.equal(modified.Tag, '');
        assert.deepEqual(modified.GroupExDescriptions, ['student ID', 'department', 'phone']);

        const list = await c.GetGroupList({ Limit: 1000 });
        const listed = list.GroupInfos.find((g: { GroupId: string }) => g.GroupId === id('staff'));
        assert.equal(listed.GroupName, `Renamed ${tag}`);
        assert.ok(listed.UpdateTimestamp >= listed.CreationTimestamp);
        assert.equal(list.GroupNum, list.GroupInfos.length);

        await c.DeleteGroup({ GroupId: id('staff') });
        assert.equal(await errorCode(c.GetGroupInfo({ GroupId: id('staff') })), 'InvalidParameterValue.GroupIdNotExist');
      });

      test('model version 2.0 is kept and echoed', async () => {
        const c = client();
        const r = await c.CreateGroup({ GroupId: id('v2'), GroupName: `v2 ${tag}`, FaceModelVersion: '2.0' });
        assert.equal(r.FaceModelVersion, '2.0');
        assert.equal((await c.GetGroupInfo({ GroupId: id('v2') })).FaceModelVersion, '2.0');
        await c.DeleteGroup({ GroupId: id('v2') });
      });

      test('paging with Offset and Limit', async () => {
        const c = client();
        const ids = ['p0', 'p1', 'p2', 'p3', 'p4'].map(id);
        for (const g of ids) await c.CreateGroup({ GroupId: g, GroupName: `page ${g}` });
        const all = await c.GetGroupList({ Limit: 1000 });
        const mine = all.GroupInfos.map((g: { GroupId: string }) => g.GroupId).filter((g: string) => ids.includes(g));
        assert.deepEqual(mine, ids, 'creation order');
        const start = all.GroupInfos.findIndex((g: { GroupId: string }) => g.GroupId === ids[0]);
        const page = await c.GetGroupList({ Offset: start + 1, Limit: 2 });
        assert.deepEqual(page.GroupInfos.map((g: { GroupId: string }) => g.GroupId), ids.slice(1, 3));
        assert.equal(page.GroupNum, all.GroupNum);
        const dflt = await c.GetGroupList({});
        assert.equal(dflt.GroupInfos.length, Math.min(10, all.GroupNum), 'default Limit is 10');
        const past = await c.GetGroupList({ Offset: all.GroupNum + 5 });
        assert.deepEqual(past.GroupInfos, []);
        for (const g of ids) await c.DeleteGroup({ GroupId: g });
      });

      test('documented error codes on bad input', async () => {
        const c = client();
        await c.CreateGroup({ GroupId: id('err'), GroupName: `err ${tag}` });
        const cases: [string, () => Promise<unknown>][] = [
          ['InvalidParameterValue.GroupIdAlreadyExist', () => c.CreateGroup({ GroupId: id('err'), GroupName: `other ${tag}` })],
          ['InvalidParameterValue.GroupNameAlreadyExist', () => c.CreateGroup({ GroupId: id('err2'), GroupName: `err ${tag}` })],
          ['InvalidParameterValue.GroupIdIllegal', () => c.CreateGroup({ GroupId: 'Tencent Employees', GroupName: `x ${tag}` })],
          ['InvalidParameterValue.GroupIdIllegal', () => c.CreateGroup({ GroupId: 'grupo-ñ', GroupName: `x ${tag}` })],
          ['InvalidParameterValue.GroupIdTooLong', () => c.CreateGroup({ GroupId: 'g'.repeat(65), GroupName: `x ${tag}` })],
          ['MissingParameter.ErrorParameterEmpty', () => c.CreateGroup({ GroupId: '', GroupName: `x ${tag}` })],
          ['MissingParameter.ErrorParameterEmpty', () => c.CreateGroup({ GroupId: id('e3'), GroupName: '' })],
          ['InvalidParameterValue.GroupNameTooLong', () => c.CreateGroup({ GroupId: id('e3'), GroupName: '名'.repeat(61) })],
          ['InvalidParameterValue.GroupNameIllegal', () => c.CreateGroup({ GroupId: id('e3'), GroupName: 'bad\u0007name' })],
          ['InvalidParameterValue.GroupTagTooLong', () => c.CreateGroup({ GroupId: id('e3'), GroupName: `x ${tag}`, Tag: 't'.repeat(41) })],
          ['InvalidParameterValue.GroupTagIllegal', () => c.CreateGroup({ GroupId: id('e3'), GroupName: `x ${tag}`, Tag: 'a\nb' })],
          [
            'InvalidParameterValue.GroupExDescriptionsExceed',
            () => c.CreateGroup({ GroupId: id('e3'), GroupName: `x ${tag}`, GroupExDescriptions: ['a', 'b', 'c', 'd', 'e', 'f'] }),
          ],
          [
            'InvalidParameterValue.GroupExDescriptionsNameIdentical',
            () => c.CreateGroup({ GroupId: id('e3'), GroupName: `x ${tag}`, GroupExDescriptions: ['a', 'a'] }),
          ],
          [
            'InvalidParameterValue.GroupExDescriptionsNameTooLong',
            () => c.CreateGroup({ GroupId: id('e3'), GroupName: `x ${tag}`, GroupExDescriptions: ['n'.repeat(31)] }),
          ],
          [
            'InvalidParameterValue.GroupExDescriptionsNameIllegal',
            () => c.CreateGroup({ GroupId: id('e3'), GroupName: `x ${tag}`, GroupExDescriptions: [''] }),
          ],
          [
            'InvalidParameterValue.FaceModelVersionIllegal',
            () => c.CreateGroup({ GroupId: id('e3'), GroupName: `x ${tag}`, FaceModelVersion: '4.0' }),
          ],
          ['MissingParameter', () => c.CreateGroup({ GroupName: `x ${tag}` })],
          ['MissingParameter', () => c.GetGroupInfo({})],
          ['UnknownParameter', () => c.CreateGroup({ GroupId: id('e3'), GroupName: `x ${tag}`, Colour: 'red' })],
          ['InvalidParameterValue.LimitExceed', () => c.GetGroupList({ Limit: 1001 })],
          ['InvalidParameterValue', () => c.GetGroupList({ Offset: -1 })],
          ['InvalidParameterValue.GroupIdNotExist', () => c.GetGroupInfo({ GroupId: id('nope') })],
          ['InvalidParameterValue.GroupIdNotExist', () => c.DeleteGroup({ GroupId: id('nope') })],
          ['InvalidParameterValue.GroupIdNotExist', () => c.ModifyGroup({ GroupId: id('nope'), GroupName: 'n' })],
          ['InvalidParameterValue.GroupNameTooLong', () => c.ModifyGroup({ GroupId: id('err'), GroupName: 'n'.repeat(61) })],
          [
            'InvalidParameterValue',
            () => c.ModifyGroup({ GroupId: id('err'), GroupExDescriptionInfos: [{ GroupExDescriptionIndex: 3, GroupExDescription: 'x' }] }),
          ],
          [
            'InvalidParameterValue.GroupExDescriptionsNameIdentical',
            () => c.ModifyGroup({
              GroupId: id('err'),
              GroupExDescriptionInfos: [
                { GroupExDescriptionIndex: 0, GroupExDescription: 'x' },
                { GroupExDescriptionIndex: 1, GroupExDescription: 'x' },
              ],
            }),
          ],
        ];
        // Type errors only exist where JSON carries types: GET sends every value as a string.
        if (method === 'POST') {
          cases.push(
            ['InvalidParameter', () => c.CreateGroup({ GroupId: id('e3'), GroupName: `x ${tag}`, GroupExDescriptions: 'a' })],
            ['InvalidParameter', () => c.CreateGroup({ GroupId: 42, GroupName: `x ${tag}` })],
            ['InvalidParameter', () => c.GetGroupList({ Limit: '10' })],
          );
        } else {
          cases.push(['InvalidParameter', () => c.GetGroupList({ Limit: 'ten' })]);
        }
        for (const [code, call] of cases) assert.equal(await errorCode(call()), code, code);

        await c.CreateGroup({ GroupId: id('err-b'), GroupName: `err b ${tag}` });
        assert.equal(
          await errorCode(c.ModifyGroup({ GroupId: id('err'), GroupName: `err b ${tag}` })),
          'InvalidParameterValue.GroupNameAlreadyExist',
        );
        await c.ModifyGroup({ GroupId: id('err'), GroupName: `err ${tag}` }); // its own name is no conflict
        await c.DeleteGroup({ GroupId: id('err') });
        await c.DeleteGroup({ GroupId: id('err-b') });
      });
    });
  }
}

test('the group quota per account', async () => {
  const q = await startServer({ FACEPORT_MAX_GROUPS: '2' });
  try {
    const c = iaiClient(q, '2020-03-03');
    await c.CreateGroup({ GroupId: 'q1', GroupName: 'q1' });
    await c.CreateGroup({ GroupId: 'q2', GroupName: 'q2' });
    assert.equal(await errorCode(c.CreateGroup({ GroupId: 'q3', GroupName: 'q3' })), 'InvalidParameterValue.GroupNumExceed');
    await c.DeleteGroup({ GroupId: 'q1' });
    await c.CreateGroup({ GroupId: 'q3', GroupName: 'q3' });
  } finally {
    await q.close();
  }
});

test('groups created in one API version are seen by the other', async () => {
  await iaiClient(s, '2018-03-01').CreateGroup({ GroupId: 'shared', GroupName: 'shared' });
  const info = await iaiClient(s, '2020-03-03', 'GET').GetGroupInfo({ GroupId: 'shared' });
  assert.equal(info.GroupName, 'shared');
});
