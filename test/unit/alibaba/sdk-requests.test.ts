import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { KeyRing } from '../../../src/auth/keys.ts';
import { ReplayGuard } from '../../../src/auth/replay-guard.ts';
import { authenticate } from '../../../src/alibaba/authenticate.ts';
import { GatewayError } from '../../../src/alibaba/errors.ts';
import { ApiKeyStore } from '../../../src/store/api-keys.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { UsedSignatureStore } from '../../../src/store/used-signatures.ts';

// Requests exactly as each official SDK core signs them (read from their sources: Java
// aliyun-java-sdk-core 4.7.10, Go alibaba-cloud-sdk-go 1.63.22, Python aliyun-python-sdk-core
// 2.16.0, PHP alibabacloud/client 1.5.32, the Tea clients), with signatures computed outside
// faceport, verified at the moment they were made.
const dir = mkdtempSync(join(tmpdir(), 'faceport-acs-'));
const db = openDatabase(dir);
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
const keys = new KeyRing(new ApiKeyStore(db));
keys.ensureRoot({ secretId: 'AK', secretKey: 'aliSecret' });
const replays = new ReplayGuard(new UsedSignatureStore(db));
// Several vectors share a nonce: each test starts with none used.
beforeEach(() => db.exec('DELETE FROM used_signatures'));

const date = 'Tue, 14 Nov 2023 22:13:20 GMT';
const now = Date.parse(date);
const body = Buffer.from('{"personId":"p1","groupIds":["g1","g2"]}');
const common = { date, 'x-acs-signature-method': 'HMAC-SHA1', 'x-acs-signature-version': '1.0', 'x-acs-version': '2018-05-09' };

function verify(path: string, query: string, headers: IncomingHttpHeaders, sent: Buffer = Buffer.alloc(0)): string {
  return authenticate({ method: 'POST', path, query, headers, body: sent }, keys, replays, now);
}

test('Go: a body, Content-MD5 and octet-stream, no nonce', () => {
  const headers = {
    ...common,
    accept: 'application/json',
    'content-md5': 'oJAP2GxP2uWGnopMYoaESQ==',
    'content-type': 'application/octet-stream',
    'x-acs-action': 'AddPerson',
    'x-acs-credentials-provider': 'static_ak',
    'x-sdk-client': 'golang/1.0.0',
    'x-sdk-invoke-type': 'normal',
    'x-sdk-core-version': '1.63.22',
    'accept-encoding': 'identity',
    authorization: 'acs AK:RrvhlHYLyyTvQkU1I9b9hUvD3x8=',
  };
  assert.equal(verify('/green/sface/person/add', '', headers, body), 'AK');
  assert.equal(verify('/green/sface/person/add', '', headers, body), 'AK', 'no nonce, so the Date window alone bounds a replay');
});

test('Python: GetGroups with no body, no Content-MD5, no Content-Type, RegionId in the query', () => {
  const headers = {
    ...common,
    accept: 'application/json',
    'x-acs-action': 'GetGroups',
    'x-acs-region-id': 'cn-shanghai',
    'content-length': '0',
    authorization: 'acs AK:R81Bgv0NRC0CVVxbSihbLVTg4Pg=',
  };
  assert.equal(verify('/green/sface/groups', 'RegionId=cn-shanghai', headers), 'AK');
});

test('PHP: a JSON body without Content-MD5, a nonce with a space, ClientInfo and Version in the query', () => {
  const headers = {
    ...common,
    accept: 'application/json',
    'content-type': 'application/json; charset=utf-8',
    'x-acs-region-id': 'cn-shanghai',
    'x-acs-signature-nonce': 'd41d8cd98f00b204e9800998ecf8427e0.12345600 1699999999',
    authorization: 'acs AK:UwQ5rANpP7s4JfdbX7xDOzbYWVM=',
  };
  const query = 'ClientInfo=%7B%22ip%22%3A%22127.0.0.1%22%7D&Version=2018-05-09';
  assert.equal(verify('/green/sface/person/add', query, headers, body), 'AK');
  assert.throws(() => verify('/green/sface/person/add', query, headers, body), (e: GatewayError) => e.code === 'SignatureNonceUsed');
});

test('Java: an empty ClientInfo signed as a bare key, sent as `ClientInfo=` (Java) or `ClientInfo` (PHP)', () => {
  const headers = {
    ...common,
    accept: 'application/json',
    'content-md5': 'oJAP2GxP2uWGnopMYoaESQ==',
    'content-type': 'application/json',
    'x-acs-action': 'AddPerson',
    'x-acs-signature-nonce': '0123456789abcdef',
    authorization: 'acs AK:pZ2vXv7QScGzHzvd0DGYxyGgvYY=',
  };
  assert.equal(verify('/green/sface/person/add', 'ClientInfo=', headers, body), 'AK');
  // The same signature over the bare form passes the signature check and meets its used nonce.
  assert.throws(() => verify('/green/sface/person/add', 'ClientInfo', headers, body), (e: GatewayError) => e.code === 'SignatureNonceUsed');
});

test('Java: GetGroups with no body, the MD5 of nothing and a form Content-Type', () => {
  const java = {
    ...common,
    accept: 'application/json',
    'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==',
    'content-type': 'application/x-www-form-urlencoded',
    'x-acs-action': 'GetGroups',
    'x-acs-signature-nonce': '0123456789abcdef',
    authorization: 'acs AK:es+jtBKXDJKaV93LCFIJTQqBVz4=',
  };
  assert.equal(verify('/green/sface/groups', '', java), 'AK');
});

test('a wrong Content-MD5 is refused even where it is optional', () => {
  const headers = { ...common, 'content-md5': 'oJAP2GxP2uWGnopMYoaESQ==', authorization: 'acs AK:c2lnbmF0dXJl' };
  assert.throws(() => verify('/green/sface/person/add', '', headers, Buffer.from('{}')), (e: GatewayError) => e.code === 'ContentMD5NotMatched');
});

test('the newer Tea clients\' default ACS3-HMAC-SHA256 is refused with how to switch to the served signature', () => {
  const headers = { ...common, authorization: 'ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=00' };
  assert.throws(() => verify('/green/sface/groups', '', headers), (e: GatewayError) => e.code === 'IncompleteSignature' && /signatureAlgorithm: 'v2'/.test(e.message));
});
