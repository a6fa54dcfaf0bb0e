import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  canonicalRequest,
  parseAuthorization,
  scopeDate,
  signature,
  stringToSign,
} from '../../../src/tencent/signature.ts';

// Test vectors from the spec (§5.3), computed with the official Node SDK's Sign.sign3.
const key = 'SECRETEXAMPLE';
const ts = 1700000000;
const host = 'iai.tencentcloudapi.com';

function sign(method: string, query: string, contentType: string, body: string) {
  const canonical = canonicalRequest({
    method,
    query,
    headers: { 'content-type': contentType, host },
    signedHeaders: ['content-type', 'host'],
    payload: body,
  });
  const date = scopeDate(ts);
  return { canonical, sig: signature(key, date, 'iai', stringToSign(ts, `${date}/iai/tc3_request`, canonical)) };
}

test('scope date is the UTC date of the timestamp', () => {
  assert.equal(scopeDate(ts), '2023-11-14');
});

test('POST JSON vector', () => {
  const body = '{"GroupName":"g1","GroupId":"g1"}';
  assert.equal(
    createHash('sha256').update(body).digest('hex'),
    '0789e7478412f75e80c424eca596dc53c83d922e2f3a81c3eb918653923781c2',
  );
  const { canonical, sig } = sign('POST', '', 'application/json', body);
  assert.equal(
    createHash('sha256').update(canonical).digest('hex'),
    '51f29b339043bd23371d3ce866b82fdf3f21c2e8fb79dd5176e2d3fde32b70d6',
  );
  assert.equal(sig, '72f4975b6764e96d1a968855096790329020cc501b226b2dfd1fa8692abd08aa');
});

test('GET query vector', () => {
  const { sig } = sign('GET', 'Offset=0&Limit=10', 'application/x-www-form-urlencoded', '');
  assert.equal(sig, 'fcb51370b82a0ddd024f6abcc74cb57ab497be915ef02494d7f421b418497e60');
});

test('a changed body or key changes the signature', () => {
  const a = sign('POST', '', 'application/json', '{"GroupName":"g1","GroupId":"g1"}').sig;
  const b = sign('POST', '', 'application/json', '{"GroupName":"g1","GroupId":"g2"}').sig;
  assert.notEqual(a, b);
});

test('Authorization header parsing', () => {
  const sig = '72f4975b6764e96d1a968855096790329020cc501b226b2dfd1fa8692abd08aa';
  const parsed = parseAuthorization(
    `TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/127/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`,
  );
  assert.deepEqual(parsed, {
    secretId: 'AKIDEXAMPLE',
    date: '2023-11-14',
    service: '127',
    signedHeaders: ['content-type', 'host'],
    signature: sig,
  });
  for (const bad of [
    '',
    'Bearer abc',
    'TC3-HMAC-SHA256 Credential=AKID/2023-11-14/iai/tc3_request, SignedHeaders=content-type;host',
    `TC3-HMAC-SHA256 Credential=AKID/2023-11-14/iai/tc3_request, SignedHeaders=content-type;host, Signature=${sig.slice(1)}`,
    `HMAC-SHA256 Credential=AKID/2023-11-14/iai/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`,
    `TC3-HMAC-SHA256 Credential=AKID/2023-1-14/iai/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`,
  ]) {
    assert.equal(parseAuthorization(bad), undefined, bad);
  }
});
