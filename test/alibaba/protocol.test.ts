import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { gatewayError, greenClient } from './green-sdk.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(() => s.close());

const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

describe('the seed: AddGroups through pop-core on a fresh server', () => {
  test('answers exactly the documented response, and GetPerson then shows both groups', async () => {
    const c = greenClient(s);
    const r = await c.call(
      '/green/sface/person/groups/add',
      { personId: 'person1', groupIds: ['group1', 'group2'] },
      { query: { clientInfo: JSON.stringify({ userId: '120234234', userNick: 'Mike', userType: 'others' }) } },
    );
    assert.match(r.requestId, REQUEST_ID);
    assert.deepEqual(r, {
      msg: 'OK',
      code: 200,
      requestId: r.requestId,
      data: { code: 200, personId: 'person1', groupIds: ['group1', 'group2'] },
    });
    const p = await c.call('/green/sface/person', { personId: 'person1' });
    assert.equal(p.code, 200);
    assert.deepEqual(p.data.groupIds, ['group1', 'group2']);
  });
});

describe('common parameters', () => {
  test('clientInfo, ClientInfo and RegionId are accepted in the query (signed unencoded)', async () => {
    const c = greenClient(s);
    const r = await c.call('/green/sface/groups', {}, {
      query: { ClientInfo: '{"ip":"127.0.0.1","userType":"others"}', RegionId: 'cn-shanghai', clientInfo: '{"a":"b c&d=e"}' },
    });
    assert.equal(r.code, 200);
    assert.ok(r.data.groupIds.includes('group1'));
  });

  test('every answer carries a fresh request id, also as x-acs-request-id', async () => {
    const c = greenClient(s);
    const a = await c.call('/green/sface/groups');
    const b = await c.call('/green/sface/groups');
    assert.notEqual(a.requestId, b.requestId);
    const res = await fetch(`http://127.0.0.1:${s.port}/green/sface/groups`, { method: 'POST' });
    assert.match(res.headers.get('x-acs-request-id') ?? '', REQUEST_ID);
  });

  test('a body without Content-Type is still read and checked against Content-MD5', async () => {
    const c = greenClient(s);
    const r = await c.request('POST', '/green/sface/person', {}, JSON.stringify({ personId: 'person1' }), {});
    assert.equal(r.code, 200);
    assert.equal(r.data.personId, 'person1');
  });
});

describe('gateway failures: HTTP 4xx in the POP format, raised by pop-core with the code', () => {
  const groups = '/green/sface/groups';

  test('a wrong secret: SignatureDoesNotMatch, with the server string to sign', async () => {
    const e = await gatewayError(greenClient(s, { accessKeySecret: 'wrong' }).call(groups));
    assert.equal(e.code, 'SignatureDoesNotMatch');
    assert.equal(e.statusCode, 400);
    assert.match(e.message, /server string to sign is:POST#application\/json#/);
  });

  test('an unknown key: InvalidAccessKeyId.NotFound; a revoked one: .Inactive; a key from the CLI works on both APIs', async () => {
    const unknown = await gatewayError(greenClient(s, { accessKeyId: 'AKIDnobody' }).call(groups));
    assert.deepEqual([unknown.code, unknown.statusCode], ['InvalidAccessKeyId.NotFound', 404]);
    const key = s.server.keys.create('green-app');
    const c = greenClient(s, { accessKeyId: key.secretId, accessKeySecret: key.secretKey });
    assert.equal((await c.call(groups)).code, 200);
    s.server.keys.revoke(key.secretId);
    const revoked = await gatewayError(c.call(groups));
    assert.deepEqual([revoked.code, revoked.statusCode], ['InvalidAccessKeyId.Inactive', 400]);
  });

  test('a Date more than 15 minutes off, either way: InvalidTimeStamp.Expired; an unreadable one: .Format', async () => {
    const c = greenClient(s);
    for (const offset of [-16 * 60_000, 16 * 60_000]) {
      const e = await gatewayError(c.call(groups, {}, { headers: { date: new Date(Date.now() + offset).toUTCString() } }));
      assert.deepEqual([e.code, e.statusCode], ['InvalidTimeStamp.Expired', 400]);
    }
    const ok = await c.call(groups, {}, { headers: { date: new Date(Date.now() - 14 * 60_000).toUTCString() } });
    assert.equal(ok.code, 200, '14 minutes of skew is fine');
    assert.equal((await gatewayError(c.call(groups, {}, { headers: { date: 'yesterday' } }))).code, 'InvalidTimeStamp.Format');
    // Date.parse reads ISO 8601 too; the gateway takes RFC 1123 only
    const iso = await gatewayError(c.call(groups, {}, { headers: { date: new Date().toISOString() } }));
    assert.deepEqual([iso.code, iso.statusCode], ['InvalidTimeStamp.Format', 400]);
  });

  test('a replayed nonce: SignatureNonceUsed', async () => {
    const c = greenClient(s);
    const nonce = `replay-${Date.now()}`;
    assert.equal((await c.call(groups, {}, { headers: { 'x-acs-signature-nonce': nonce } })).code, 200);
    const e = await gatewayError(c.call(groups, {}, { headers: { 'x-acs-signature-nonce': nonce } }));
    assert.deepEqual([e.code, e.statusCode], ['SignatureNonceUsed', 400]);
  });

  test('a body other than the one signed: ContentMD5NotMatched, and nothing happens', async () => {
    const c = greenClient(s);
    const signed = JSON.stringify({ personId: 'md5-person', groupIds: ['md5-a'] });
    const sent = Buffer.from(JSON.stringify({ personId: 'md5-person', groupIds: ['md5-b'] }));
    // pop-core signs `body` and sends opts.data: the tampered bytes
    const e = await gatewayError(c.request('POST', '/green/sface/person/add', {}, signed, { 'content-type': 'application/json' }, { data: sent }));
    assert.deepEqual([e.code, e.statusCode], ['ContentMD5NotMatched', 400]);
    assert.equal((await c.call('/green/sface/person', { personId: 'md5-person' })).code, 404);
  });

  test('HMAC-SM3 is not supported: InvalidSignatureMethod', async () => {
    const e = await gatewayError(greenClient(s).call(groups, {}, { headers: { 'x-acs-signature-method': 'HMAC-SM3' } }));
    assert.deepEqual([e.code, e.statusCode], ['InvalidSignatureMethod', 400]);
  });

  test('a retired API version: InvalidAction.NotFound; an unknown path or method: InvalidApi.NotFound', async () => {
    const old = await gatewayError(greenClient(s, { apiVersion: '2017-08-25' }).call(groups));
    assert.deepEqual([old.code, old.statusCode], ['InvalidAction.NotFound', 400]);
    const unknown = await gatewayError(greenClient(s).call('/green/sface/nothing'));
    assert.deepEqual([unknown.code, unknown.statusCode], ['InvalidApi.NotFound', 404]);
    const get = await gatewayError(greenClient(s).request('GET', groups, {}, '', {}));
    assert.equal(get.code, 'InvalidApi.NotFound');
  });

  test('missing or malformed signing headers', async () => {
    const base: Record<string, string> = {
      'x-acs-version': '2018-05-09',
      authorization: 'acs someone:c2lnbmF0dXJl',
      'x-acs-signature-method': 'HMAC-SHA1',
      date: new Date().toUTCString(),
      'x-acs-signature-nonce': 'n',
      'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==',
    };
    const without = (name: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== name));
    const cases: [Record<string, string>, string, string?][] = [
      [without('authorization'), 'IncompleteSignature'],
      [{ ...base, authorization: 'Bearer token' }, 'IncompleteSignature'],
      [without('x-acs-signature-method'), 'InvalidSignatureMethod'],
      [{ ...base, 'x-acs-signature-version': '2.0' }, 'InvalidSignatureMethod'],
      [without('date'), 'MissingDate'],
      // A nonce is optional, and so is Content-MD5, with a body or without (some SDKs send neither).
      [without('x-acs-signature-nonce'), 'InvalidAccessKeyId.NotFound'],
      [without('content-md5'), 'InvalidAccessKeyId.NotFound'],
      [without('content-md5'), 'InvalidAccessKeyId.NotFound', '{}'],
      [base, 'InvalidAccessKeyId.NotFound'],
    ];
    for (const [headers, code, sentBody] of cases) {
      const res = await fetch(`http://127.0.0.1:${s.port}/green/sface/groups`, { method: 'POST', headers, body: sentBody });
      const body = (await res.json()) as Record<string, string>;
      assert.equal(body.Code, code, JSON.stringify(headers));
      assert.ok(res.status >= 400 && res.status < 500);
      assert.match(body.RequestId!, REQUEST_ID);
      assert.equal(typeof body.Message, 'string');
      assert.equal(body.HostId, `127.0.0.1:${s.port}`);
    }
  });
});

describe('business errors: HTTP 200, the code in the envelope and mirrored in data', () => {
  const c = () => greenClient(s);

  test('an unknown person is 404', async () => {
    const r = await c().call('/green/sface/person', { personId: 'nobody' });
    assert.equal(r.code, 404);
    assert.equal(r.data.code, 404);
    assert.match(r.msg, /nobody/);
    assert.equal(r.data.msg, r.msg);
    assert.match(r.requestId, REQUEST_ID);
  });

  test('a missing field, a wrong JSON type, or a body that is not a JSON object is 400', async () => {
    const missing = await c().call('/green/sface/person/add', { personId: 'p' });
    assert.equal(missing.code, 400);
    assert.match(missing.msg, /groupIds/);
    const wrongType = await c().call('/green/sface/person/add', { personId: 'p', groupIds: 'g' });
    assert.equal(wrongType.code, 400);
    assert.match(wrongType.msg, /groupIds/);
    const notJson = await c().request('POST', '/green/sface/person', {}, '{"personId":', { 'content-type': 'application/json' });
    assert.deepEqual([notJson.code, notJson.data.code], [400, 400]);
    assert.equal((await c().call('/green/sface/person', ['p'])).code, 400);
  });

  test('ids: at most 32 characters of letters, digits, _ and -', async () => {
    const id32 = 'a'.repeat(32);
    assert.equal((await c().call('/green/sface/person/add', { personId: id32, groupIds: [id32] })).code, 200);
    const longPerson = await c().call('/green/sface/person/add', { personId: 'b'.repeat(33), groupIds: ['g-ok'] });
    assert.equal(longPerson.code, 400);
    assert.match(longPerson.msg, /32 bytes/);
    const longGroup = await c().call('/green/sface/person/add', { personId: 'p-ok', groupIds: ['g'.repeat(33)] });
    assert.equal(longGroup.code, 400);
    for (const bad of ['a@b', 'a b', 'a%b', '']) {
      assert.equal((await c().call('/green/sface/person/add', { personId: bad, groupIds: ['g-ok'] })).code, 400, bad);
      assert.equal((await c().call('/green/sface/person/groups/add', { personId: 'p-ok', groupIds: [bad] })).code, 400, bad);
    }
    const groups = (await c().call('/green/sface/groups')).data.groupIds as string[];
    assert.ok(!groups.includes('g-ok') && !groups.includes('g'.repeat(33)), 'a refused call creates no group');
  });
});

describe('bodies', () => {
  test('a body over 1 MB is refused before anything else', async () => {
    const e = await gatewayError(greenClient(s).call('/green/sface/person', { personId: 'x'.repeat(1024 * 1024) }));
    assert.deepEqual([e.code, e.statusCode], ['InvalidParameter.Format', 400]);
  });
});
