import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NonceCache } from '../../src/alibaba/nonces.ts';
import { canonicalResource, contentMd5, signature, stringToSign } from '../../src/alibaba/signature.ts';

describe('acs HMAC-SHA1 signature', () => {
  // The spec's vector (§3), computed by kitx (pop-core's signer) and independently in Python.
  const body = '{"personId":"p1","groupIds":["g1","g2"]}';
  const parts = {
    method: 'POST',
    accept: 'application/json',
    contentMd5: 'oJAP2GxP2uWGnopMYoaESQ==',
    contentType: 'application/json',
    date: 'Tue, 14 Nov 2023 22:13:20 GMT',
    acsHeaders: {
      'x-acs-version': '2018-05-09',
      'x-acs-signature-nonce': '0123456789abcdef',
      'x-acs-signature-version': '1.0',
      'x-acs-signature-method': 'HMAC-SHA1',
    },
    path: '/green/sface/person/groups/add',
    query: [['clientInfo', '{"ip":"127.0.0.1"}']] as const,
  };

  test("the spec's test vector", () => {
    assert.equal(contentMd5(body), parts.contentMd5);
    assert.equal(
      stringToSign(parts),
      'POST\napplication/json\noJAP2GxP2uWGnopMYoaESQ==\napplication/json\nTue, 14 Nov 2023 22:13:20 GMT\n' +
        'x-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:0123456789abcdef\nx-acs-signature-version:1.0\nx-acs-version:2018-05-09\n' +
        '/green/sface/person/groups/add?clientInfo={"ip":"127.0.0.1"}',
    );
    assert.equal(signature('aliSecret', stringToSign(parts)), '428xqRByeLW9gDwFfV43Xg2vXpk=');
  });

  test('x-acs-* values are trimmed and their tabs and line breaks folded, as pop-core signs them', () => {
    const folded = stringToSign({ ...parts, acsHeaders: { ...parts.acsHeaders, 'x-acs-signature-nonce': ' 0123456789\tabcdef ' } });
    assert.match(folded, /\nx-acs-signature-nonce:0123456789 abcdef\n/);
  });

  test('the resource sorts query keys, keeps values unencoded and joins a repeated key', () => {
    assert.equal(canonicalResource('/p', []), '/p');
    assert.equal(
      canonicalResource('/p', [['RegionId', 'cn-shanghai'], ['ClientInfo', '{"a":1}'], ['k', 'a b'], ['k', 'c&d']]),
      '/p?ClientInfo={"a":1}&RegionId=cn-shanghai&k=a b,c&d',
    );
  });
});

describe('signature nonce cache', () => {
  const windowMs = 15 * 60_000;
  const t0 = Date.parse('2026-01-01T00:00:00Z');

  test('a nonce is refused the second time, per access key', () => {
    const c = new NonceCache(windowMs, 10, t0);
    assert.equal(c.use('ak', 'n1', t0, t0), 'fresh');
    assert.equal(c.use('ak', 'n1', t0, t0 + 1000), 'replayed');
    assert.equal(c.use('other', 'n1', t0, t0 + 1000), 'fresh');
  });

  test('a nonce is remembered while its Date is in the window and forgotten after', () => {
    const c = new NonceCache(windowMs, 10, t0);
    const date = t0 - 60_000;
    c.use('ak', 'n', date, t0);
    // the last moment a replay would pass the Date check
    assert.equal(c.use('ak', 'n', date, date + windowMs), 'replayed');
    c.use('ak', 'keep', t0, date + windowMs);
    assert.equal(c.size, 2);
    // one second later a replay is stale anyway, and the entry is gone
    assert.equal(c.use('ak', 'x', t0, date + windowMs + 1000), 'fresh');
    assert.equal(c.size, 2, 'the expired nonce was pruned, the other two are live');
  });

  test('a full cache refuses new nonces rather than forget live ones, and frees slots as they expire', () => {
    const c = new NonceCache(windowMs, 2, t0);
    assert.equal(c.use('ak', 'a', t0, t0), 'fresh');
    assert.equal(c.use('ak', 'b', t0, t0), 'fresh');
    assert.equal(c.use('ak', 'c', t0, t0), 'full');
    assert.equal(c.use('ak', 'a', t0, t0), 'replayed');
    assert.equal(c.use('ak', 'c', t0 + windowMs + 1000, t0 + windowMs + 1000), 'fresh');
  });
});
