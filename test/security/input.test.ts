import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gatewayError, greenClient } from '../alibaba/green-sdk.ts';
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

test('Tencent: an action without a photo takes at most 64 KB; bodies nested too deep or with too many values are refused unparsed', async () => {
  const big = await rawTencent({ port: s.port, secretId: s.secretId, secretKey: s.secretKey, action: 'CreateGroup', version: '2020-03-03', body: JSON.stringify({ GroupId: 'big', GroupName: 'x'.repeat(70_000) }) });
  assert.equal(big.json.Response.Error.Code, 'RequestSizeLimitExceeded');
  assert.match(big.json.Response.Error.Message, /65536 bytes/);
  const deep = '{"GroupIds":' + '['.repeat(100_000) + ']'.repeat(100_000) + ',"Image":"x"}';
  assert.equal(await rawCode('SearchFaces', deep), 'InvalidRequest');
  const wide = JSON.stringify({ GroupIds: Array.from({ length: 300_000 }, () => 'g'), Image: 'x' });
  assert.equal(await rawCode('SearchFaces', wide), 'InvalidRequest');
  // a photo action still takes a photo of megabytes
  assert.equal(await rawCode('DetectFace', JSON.stringify({ Image: 'A'.repeat(3_000_000) })), 'FailedOperation.ImageDecodeFailed');
});

async function rawCode(action: string, body: string): Promise<string | undefined> {
  const r = await rawTencent({ port: s.port, secretId: s.secretId, secretKey: s.secretKey, action, version: '2020-03-03', body });
  return r.json.Response.Error?.Code;
}

test('Alibaba: a body nested too deep is a 400, refused unparsed', async () => {
  const c = greenClient(s);
  const r = await c.request('POST', '/green/sface/person/add', {}, '{"personId":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}', { 'content-type': 'application/json' });
  assert.equal(r.code, 400);
  assert.match(r.msg, /deep/);
});

test('per-key rate limits: past its rate an action answers RequestLimitExceeded (Tencent) or Throttling.User (Alibaba), other keys and actions unaffected', async () => {
  const limited = await startServer({ FACEPORT_RATE_LIMIT: 'GetGroupList=3,GetGroups=2' });
  try {
    const key = limited.server.keys.create('tenant-b');
    const call = (k: { secretId: string; secretKey: string }, action: string) =>
      rawTencent({ port: limited.port, ...k, action, version: '2020-03-03', body: '{}' }).then((r) => r.json.Response.Error?.Code);
    const root = { secretId: limited.secretId, secretKey: limited.secretKey };
    const codes = await Promise.all(Array.from({ length: 5 }, () => call(root, 'GetGroupList')));
    assert.deepEqual(codes.filter((c) => c === 'RequestLimitExceeded').length, 2, JSON.stringify(codes));
    assert.equal(await call(key, 'GetGroupList'), undefined, 'another key has its own quota');
    assert.equal(await call(root, 'GetPersonListNum'), 'MissingParameter', 'an unlimited action still reaches its handler');

    const green = greenClient(limited);
    assert.equal((await green.call('/green/sface/groups')).code, 200);
    assert.equal((await green.call('/green/sface/groups')).code, 200);
    const e = await gatewayError(green.call('/green/sface/groups'));
    assert.deepEqual([e.code, e.statusCode], ['Throttling.User', 400]);
  } finally {
    await limited.close();
  }
});

test('a rate limit naming an action no API serves stops the start, naming it', async () => {
  await assert.rejects(startServer({ FACEPORT_RATE_LIMIT: '5,SerchFaces=1' }), /FACEPORT_RATE_LIMIT names actions no API serves: SerchFaces/);
});

test('Tencent forms: parameter names nested past 16 levels, or more than 20,000 parameters, are InvalidParameter, refused before parsing', async () => {
  const form = (body: string) =>
    rawTencent({ port: s.port, secretId: s.secretId, secretKey: s.secretKey, action: 'DetectFace', version: '2020-03-03', body, contentType: 'application/x-www-form-urlencoded' }).then(
      (r) => r.json.Response.Error?.Code,
    );
  assert.equal(await form(`${'a.'.repeat(100_000)}a=1`), 'InvalidParameter');
  assert.equal(await form(Array.from({ length: 30_000 }, (_, i) => `GroupIds.${i}=g`).join('&')), 'InvalidParameter');
  const get = await rawTencent({ port: s.port, secretId: s.secretId, secretKey: s.secretKey, action: 'GetGroupList', version: '2020-03-03', method: 'GET', query: `${'a.'.repeat(5000)}a=1` });
  assert.equal(get.json.Response.Error.Code, 'InvalidParameter');
  assert.match(get.json.Response.Error.Message, /more than 16 deep/);
});
