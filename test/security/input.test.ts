import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { greenClient } from '../alibaba/green-sdk.ts';
import { lfw } from '../support/faces.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { rawTencent } from '../support/tencent-raw.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(() => s.close());

// JSON may carry a lone UTF-16 surrogate as `\ud800`; stored as UTF-8 it would read back as
// U+FFFD, so two different names would become one. JSON.stringify writes it escaped, as a client would.
const lone = 'a\ud800b';

async function tencent(action: string, params: Record<string, unknown>): Promise<string | undefined> {
  const r = await rawTencent({ port: s.port, secretId: s.secretId, secretKey: s.secretKey, action, version: '2020-03-03', body: JSON.stringify(params) });
  return r.json.Response.Error?.Code;
}

test('Tencent: a lone surrogate in a name, tag or description gets the field\'s Illegal code, and nothing is stored', async () => {
  assert.equal(await tencent('CreateGroup', { GroupId: 'sur-1', GroupName: lone }), 'InvalidParameterValue.GroupNameIllegal');
  assert.equal(await tencent('CreateGroup', { GroupId: 'sur-1', GroupName: 'ok', Tag: lone }), 'InvalidParameterValue.GroupTagIllegal');
  assert.equal(
    await tencent('CreateGroup', { GroupId: 'sur-1', GroupName: 'ok', GroupExDescriptions: [lone] }),
    'InvalidParameterValue.GroupExDescriptionsNameIllegal',
  );
  assert.equal(await tencent('GetGroupInfo', { GroupId: 'sur-1' }), 'InvalidParameterValue.GroupIdNotExist');

  assert.equal(await tencent('CreateGroup', { GroupId: 'sur-2', GroupName: 'sur-2', GroupExDescriptions: ['Desk'] }), undefined);
  const person = { GroupId: 'sur-2', PersonId: 'sur-p', Image: lfw('Al_Gore', 1) };
  assert.equal(await tencent('CreatePerson', { ...person, PersonName: lone }), 'InvalidParameterValue.PersonNameIllegal');
  assert.equal(
    await tencent('CreatePerson', { ...person, PersonName: 'Al', PersonExDescriptionInfos: [{ PersonExDescriptionIndex: 0, PersonExDescription: lone }] }),
    'InvalidParameterValue.PersonExDescriptionsNameIllegal',
  );
  assert.equal(await tencent('GetPersonBaseInfo', { PersonId: 'sur-p' }), 'InvalidParameterValue.PersonIdNotExist');
  // a well-formed pair (an emoji) is a character like any other
  assert.equal(await tencent('CreatePerson', { ...person, PersonName: 'Al 😀' }), undefined);
});

test('Alibaba: a lone surrogate in a person\'s name or note is a 400', async () => {
  const c = greenClient(s);
  const named = await c.call('/green/sface/person/add', { personId: 'sur-ali', groupIds: ['sur-g'], name: lone });
  assert.equal(named.code, 400);
  assert.match(named.msg, /surrogate/);
  const noted = await c.call('/green/sface/person/add', { personId: 'sur-ali', groupIds: ['sur-g'], note: lone });
  assert.equal(noted.code, 400);
  assert.equal((await c.call('/green/sface/person', { personId: 'sur-ali' })).code, 404);
});
