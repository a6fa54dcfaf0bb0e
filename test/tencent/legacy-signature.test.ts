import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { lfw } from '../support/faces.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { errorCode, iaiClient, methods, versions, type SignMethod } from '../support/tencent-sdk.ts';
import { v1Signature, v1StringToSign, type V1Method } from '../../src/tencent/signature-v1.ts';

// Older apps, and any SDK with signMethod HmacSHA1/HmacSHA256, sign with the legacy scheme: every
// parameter in the query or a form body, no Authorization header.
let s: TestServer;
before(async () => {
  s = await startServer();
});
after(() => s.close());

const legacy: V1Method[] = ['HmacSHA256', 'HmacSHA1'];

describe('the official Node SDK with a legacy signature', () => {
  for (const signMethod of legacy) {
    for (const version of versions) {
      for (const method of methods) {
        test(`${signMethod}, ${version}, ${method}: calls succeed and errors carry their codes`, async () => {
          const c = iaiClient(s, version, method, undefined, signMethod);
          const id = `v1-${signMethod}-${version}-${method}`;
          await c.CreateGroup({ GroupId: id, GroupName: id, GroupExDescriptions: ['Employee ID', 'Desk'] });
          const info = await c.GetGroupInfo({ GroupId: id });
          assert.deepEqual(info.GroupExDescriptions, ['Employee ID', 'Desk']);
          assert.equal(await errorCode(c.CreateGroup({ GroupId: id, GroupName: `${id}-again` })), 'InvalidParameterValue.GroupIdAlreadyExist');
          assert.equal(await errorCode(c.GetGroupInfo({ GroupId: `${id}-none` })), 'InvalidParameterValue.GroupIdNotExist');
          assert.equal(await errorCode(c.GetPersonList({})), 'MissingParameter');
          const wrongKey = iaiClient(s, version, method, { secretId: s.secretId, secretKey: 'wrong' }, signMethod);
          assert.equal(await errorCode(wrongKey.GetGroupList({})), 'AuthFailure.SignatureFailure');
          const unknownId = iaiClient(s, version, method, { secretId: 'AKIDunknown', secretKey: s.secretKey }, signMethod);
          assert.equal(await errorCode(unknownId.GetGroupList({})), 'AuthFailure.SecretIdNotFound');
          await c.DeleteGroup({ GroupId: id });
        });
      }
    }
  }

  test('a photo of a few KB in a form POST is accepted, as the cloud accepts any request under 1 MB', async () => {
    const c = iaiClient(s, '2020-03-03', 'POST', undefined, 'HmacSHA256');
    await c.CreateGroup({ GroupId: 'v1-photo', GroupName: 'v1-photo' });
    const r = await c.CreatePerson({ GroupId: 'v1-photo', PersonId: 'v1-al', PersonName: 'Al', Image: lfw('Al_Gore', 1) });
    assert.match(r.FaceId, /^\d+$/);
    const found = await iaiClient(s, '2020-03-03').SearchPersons({ GroupIds: ['v1-photo'], Image: lfw('Al_Gore', 2) });
    assert.equal(found.Results[0].Candidates[0].PersonId, 'v1-al');
  });
});

interface V1Request {
  method?: 'GET' | 'POST';
  params: Record<string, string>;
  signMethod?: V1Method | string;
  secretKey?: string;
  /** the host the signature covers, default the Host header as sent */
  signedHost?: string;
  /** parameters changed after signing */
  tamper?: Record<string, string>;
  headers?: Record<string, string>;
}

/** A legacy-signed request built by hand, as the Python, PHP, Java and Go SDKs send one. */
function v1(o: V1Request): Promise<any> {
  const method = o.method ?? 'POST';
  const host = `127.0.0.1:${s.port}`;
  const params: Record<string, string> = {
    Version: '2020-03-03',
    Region: 'ap-guangzhou',
    Timestamp: String(Math.floor(Date.now() / 1000)),
    Nonce: String(Math.floor(Math.random() * 1e9)),
    SecretId: s.secretId,
    ...(o.signMethod === undefined ? {} : { SignatureMethod: o.signMethod }),
    ...o.params,
  };
  const scheme = (o.signMethod ?? 'HmacSHA1') as V1Method;
  const toSign = v1StringToSign(method, o.signedHost ?? host, '/', Object.entries(params));
  params.Signature = legacy.includes(scheme) ? v1Signature(o.secretKey ?? s.secretKey, scheme, toSign) : 'c2lnbmF0dXJl';
  const encoded = new URLSearchParams({ ...params, ...o.tamper }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: s.port,
        method,
        path: method === 'GET' ? `/?${encoded}` : '/',
        headers: { ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}), ...o.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          assert.equal(res.statusCode, 200, text);
          assert.equal(res.headers['content-type'], 'application/json');
          resolve(JSON.parse(text).Response);
        });
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? encoded : undefined);
  });
}

const errorOf = async (o: V1Request): Promise<string | undefined> => (await v1(o)).Error?.Code;

describe('legacy signatures as the other SDKs send them', () => {
  test('without SignatureMethod the signature is HmacSHA1, over GET and POST', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const r = await v1({ method, params: { Action: 'GetGroupList', Limit: '2' } });
      assert.equal(r.Error, undefined, JSON.stringify(r));
      assert.equal(r.GroupNum, r.GroupInfos.length);
    }
  });

  test('a signature over the host without its port is accepted too', async () => {
    const r = await v1({ params: { Action: 'GetGroupList' }, signedHost: '127.0.0.1', signMethod: 'HmacSHA256' });
    assert.equal(r.Error, undefined, JSON.stringify(r));
  });

  test('flattened lists and objects reach the action, common parameters do not', async () => {
    const params = {
      Action: 'CreateGroup',
      GroupId: 'v1-flat',
      GroupName: 'v1-flat',
      'GroupExDescriptions.0': 'Employee ID',
      'GroupExDescriptions.1': 'Desk',
      Language: 'en-US',
      RequestClient: 'SDK_PYTHON_3.1.0',
    };
    assert.equal((await v1({ params, signMethod: 'HmacSHA256' })).Error, undefined);
    const info = await v1({ method: 'GET', params: { Action: 'GetGroupInfo', GroupId: 'v1-flat' } });
    assert.deepEqual(info.GroupExDescriptions, ['Employee ID', 'Desk']);
  });

  test('the signed Action governs: an X-TC-Action header cannot turn a read into a delete', async () => {
    await v1({ params: { Action: 'CreateGroup', GroupId: 'v1-keep', GroupName: 'v1-keep' } });
    const r = await v1({ params: { Action: 'GetGroupInfo', GroupId: 'v1-keep' }, headers: { 'X-TC-Action': 'DeleteGroup' } });
    assert.equal(r.GroupId, 'v1-keep');
    assert.equal((await v1({ params: { Action: 'GetGroupInfo', GroupId: 'v1-keep' } })).GroupName, 'v1-keep');
  });

  test('a parameter changed after signing, a wrong key or an unknown method: AuthFailure.SignatureFailure', async () => {
    const params = { Action: 'GetGroupList', Limit: '2' };
    assert.equal(await errorOf({ params, tamper: { Limit: '3' } }), 'AuthFailure.SignatureFailure');
    assert.equal(await errorOf({ params, tamper: { Action: 'DeleteGroup' } }), 'AuthFailure.SignatureFailure');
    assert.equal(await errorOf({ params, secretKey: 'wrong' }), 'AuthFailure.SignatureFailure');
    assert.equal(await errorOf({ params, signMethod: 'HmacMD5' }), 'AuthFailure.SignatureFailure');
  });

  test('timestamps outside ±5 minutes: AuthFailure.SignatureExpire; no Nonce or SecretId: MissingParameter', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const Timestamp of [now - 301, now + 301]) {
      assert.equal(await errorOf({ params: { Action: 'GetGroupList', Timestamp: String(Timestamp) } }), 'AuthFailure.SignatureExpire');
    }
    assert.equal((await v1({ params: { Action: 'GetGroupList', Timestamp: String(now - 200) } })).Error, undefined);
    assert.equal(await errorOf({ params: { Action: 'GetGroupList', Nonce: '' } }), 'MissingParameter');
    assert.equal(await errorOf({ params: { Action: 'GetGroupList', SecretId: '' } }), 'MissingParameter');
  });

  test('a request over 1 MB is refused as the cloud refuses it, telling the caller to use TC3', async () => {
    const image = 'A'.repeat(1024 * 1024);
    const r = await v1({ params: { Action: 'DetectFace', Image: image }, signMethod: 'HmacSHA256' as SignMethod });
    assert.equal(r.Error.Code, 'AuthFailure.SignatureFailure');
    assert.match(r.Error.Message, /exceeding request size limit, please use new signature method `TC3-HMAC-SHA256`/);
  });
});
