import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { rawTencent, type RawOptions } from '../support/tencent-raw.ts';
import { errorCode, iaiClient } from '../support/tencent-sdk.ts';
import { canonicalRequest, scopeDate, signature, stringToSign } from '../../src/tencent/signature.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(() => s.close());

const raw = (o: Partial<RawOptions>) =>
  rawTencent({ port: s.port, secretId: s.secretId, secretKey: s.secretKey, action: 'GetGroupList', version: '2020-03-03', body: '{}', ...o });

/** Asserts a Tencent-shaped error at HTTP 200 and returns its code. */
async function code(o: Partial<RawOptions>): Promise<string> {
  const r = await raw(o);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['content-type'], 'application/json', 'errors too, or the Python SDK takes them for empty successes');
  assert.match(r.json?.Response?.RequestId ?? '', /^[0-9a-f-]{36}$/, r.text);
  assert.equal(typeof r.json.Response.Error?.Message, 'string', r.text);
  return r.json.Response.Error.Code;
}

test('a correctly signed raw request succeeds, with a fresh RequestId each time and the trace id echoed', async () => {
  const a = await raw({ headers: { 'X-TC-TraceId': 'trace-123' } });
  const b = await raw({});
  assert.equal(a.json.Response.GroupNum, 0, a.text);
  assert.notEqual(a.json.Response.RequestId, b.json.Response.RequestId);
  assert.equal(a.headers['x-tc-traceid'], 'trace-123');
  // exactly: tencentcloud-sdk-python (>= 3.0.995) reads Response.Error only under application/json or text/plain
  assert.equal(a.headers['content-type'], 'application/json');
});

test('signatures over the host with its port (Go and Python SDKs) are accepted too', async () => {
  // The Node SDK cannot sign host:port, so this one is signed with the scheme the unit tests pin.
  const timestamp = Math.floor(Date.now() / 1000);
  const date = scopeDate(timestamp);
  const body = '{"Limit":2}';
  const canonical = canonicalRequest({
    method: 'POST',
    query: '',
    headers: { 'content-type': 'application/json', host: `127.0.0.1:${s.port}` },
    signedHeaders: ['content-type', 'host'],
    payload: body,
  });
  const sig = signature(s.secretKey, date, 'iai', stringToSign(timestamp, `${date}/iai/tc3_request`, canonical));
  const authorization = `TC3-HMAC-SHA256 Credential=${s.secretId}/${date}/iai/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`;
  const r = await raw({ body, timestamp, authorization });
  assert.equal(r.json.Response.Error, undefined, r.text);
});

test('UNSIGNED-PAYLOAD mode signs the marker instead of the body', async () => {
  const headers = { 'X-TC-Content-SHA256': 'UNSIGNED-PAYLOAD' };
  const ok = await raw({ body: '{"Limit":5}', signedBody: 'UNSIGNED-PAYLOAD', headers });
  assert.equal(ok.json.Response.Error, undefined, ok.text);
  const bad = await raw({ body: '{"Limit":5}', headers });
  assert.equal(bad.json.Response.Error.Code, 'AuthFailure.SignatureFailure');
});

test('missing or malformed Authorization → AuthFailure.InvalidAuthorization', async () => {
  assert.equal(await code({ authorization: null }), 'AuthFailure.InvalidAuthorization');
  assert.equal(await code({ authorization: 'Basic Zm9vOmJhcg==' }), 'AuthFailure.InvalidAuthorization');
  assert.equal(
    await code({ authorization: `TC3-HMAC-SHA256 Credential=${s.secretId}/2020-01-01/iai/tc3_request, SignedHeaders=host, Signature=${'0'.repeat(64)}` }),
    'AuthFailure.InvalidAuthorization',
  );
});

test('unknown or revoked SecretId → AuthFailure.SecretIdNotFound', async () => {
  const c = iaiClient(s, '2020-03-03', 'POST', { secretId: 'AKIDunknown', secretKey: s.secretKey });
  assert.equal(await errorCode(c.GetGroupList({})), 'AuthFailure.SecretIdNotFound');
  const k = s.server.keys.create('temp');
  const temp = iaiClient(s, '2018-03-01', 'GET', k);
  assert.equal((await temp.GetGroupList({})).GroupNum, 0);
  s.server.keys.revoke(k.secretId);
  assert.equal(await errorCode(temp.GetGroupList({})), 'AuthFailure.SecretIdNotFound');
});

test('wrong SecretKey or tampered body → AuthFailure.SignatureFailure', async () => {
  const c = iaiClient(s, '2020-03-03', 'POST', { secretId: s.secretId, secretKey: 'wrong' });
  assert.equal(await errorCode(c.GetGroupList({})), 'AuthFailure.SignatureFailure');
  const g = iaiClient(s, '2020-03-03', 'GET', { secretId: s.secretId, secretKey: 'wrong' });
  assert.equal(await errorCode(g.GetGroupList({ Limit: 3 })), 'AuthFailure.SignatureFailure');
  assert.equal(await code({ body: '{"Limit":6}', signedBody: '{"Limit":5}' }), 'AuthFailure.SignatureFailure');
  assert.equal(await code({ action: 'GetGroupList', headers: { 'X-TC-Timestamp': String(Math.floor(Date.now() / 1000) - 60) } }), 'AuthFailure.SignatureFailure');
});

test('timestamps outside ±5 minutes → AuthFailure.SignatureExpire', async () => {
  const now = Math.floor(Date.now() / 1000);
  assert.equal(await code({ timestamp: now - 301 }), 'AuthFailure.SignatureExpire');
  assert.equal(await code({ timestamp: now + 301 }), 'AuthFailure.SignatureExpire');
  const ok = await raw({ timestamp: now - 200 });
  assert.equal(ok.json.Response.Error, undefined, ok.text);
});

test('dispatch errors: InvalidAction, NoSuchVersion, MissingParameter, version-specific actions', async () => {
  assert.equal(await code({ action: 'NoSuchThing' }), 'InvalidAction');
  assert.equal(await code({ version: '2019-01-01' }), 'NoSuchVersion');
  assert.equal(await code({ action: undefined }), 'MissingParameter');
  assert.equal(await code({ version: undefined }), 'MissingParameter');
  const viaSdk = iaiClient(s, '2020-03-03');
  assert.equal(await errorCode(viaSdk.request('DescribeInstances', {})), 'InvalidAction');
});

test('GET may carry Action and Version in the query', async () => {
  const r = await raw({ method: 'GET', action: undefined, version: undefined, body: undefined, query: 'Action=GetGroupList&Version=2018-03-01&Limit=2' });
  assert.equal(r.json.Response.Error, undefined, r.text);
  assert.equal(r.json.Response.GroupNum, 0);
});

test('malformed bodies get Tencent-shaped errors and the server keeps serving', async () => {
  assert.equal(await code({ body: '{"Limit":' }), 'InvalidRequest');
  assert.equal(await code({ body: '[1,2]' }), 'InvalidRequest');
  assert.equal(await code({ body: '"text"' }), 'InvalidRequest');
  assert.equal(await code({ body: 'null' }), 'InvalidRequest');
  assert.equal(await code({ body: '\u0000\u00ff\u0001', contentType: 'application/octet-stream' }), 'InvalidRequest');
  assert.equal(await code({ body: '{"Limit":1}', contentType: 'text/plain' }), 'InvalidRequest');
  assert.equal(await code({ body: '{"__proto__":{"x":1}}' }), 'UnknownParameter');
  assert.equal(await code({ body: '{"Limit":{"deep":[1,2,{"a":null}]}}' }), 'InvalidParameter');
  assert.equal(await code({ body: '{"Limit":1e400}' }), 'InvalidParameterValue');
  assert.equal(await code({ method: 'GET', body: undefined, query: 'Limit.0=1&Limit.2=3' }), 'InvalidParameter');
  assert.equal(await code({ method: 'PUT' }), 'UnsupportedProtocol');
  const huge = Buffer.alloc(11 * 1024 * 1024, 'a');
  assert.equal(await code({ body: huge, authorization: 'TC3-HMAC-SHA256 x' }), 'RequestSizeLimitExceeded');
  const after = await raw({});
  assert.equal(after.json.Response.Error, undefined, 'still serving');
});

test('an oversized GET query gets a Tencent-shaped RequestSizeLimitExceeded', async () => {
  const r = await raw({ method: 'GET', body: undefined, query: `Limit=1&Image=${'A'.repeat(70 * 1024)}` });
  assert.equal(r.status, 200);
  assert.equal(r.json.Response.Error.Code, 'RequestSizeLimitExceeded');
  const after = await raw({});
  assert.equal(after.json.Response.Error, undefined, 'still serving');
});

test('a form-encoded POST is decoded like GET', async () => {
  const r = await raw({ body: 'Limit=3&Offset=0', contentType: 'application/x-www-form-urlencoded' });
  assert.equal(r.json.Response.Error, undefined, r.text);
});
