import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalResource, contentMd5, signature, stringToSign } from '../../../src/alibaba/signature.ts';

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
