import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { v1Signature, v1StringToSign } from '../../../src/tencent/signature-v1.ts';

// The worked example of Tencent Cloud's "signature v1" documentation (a CVM call).
const params: [string, string][] = [
  ['Nonce', '11886'],
  ['Action', 'DescribeInstances'],
  ['Region', 'ap-guangzhou'],
  ['Limit', '20'],
  ['Offset', '0'],
  ['SecretId', 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE'],
  ['InstanceIds.0', 'ins-09dx96dg'],
  ['Timestamp', '1465185768'],
  ['Version', '2017-03-12'],
  ['Signature', 'left out of what is signed'],
];
const key = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';

// The official Node SDK's own v1 signer, to check HmacSHA256 against (the documentation shows HmacSHA1 only).
const require = createRequire(import.meta.url);
const Sign = (require('tencentcloud-sdk-nodejs/tencentcloud/common/sign.js') as {
  default: { sign(secretKey: string, signStr: string, signMethod: string): string };
}).default;

test('the string to sign sorts the parameters by name, values raw, without Signature', () => {
  assert.equal(
    v1StringToSign('get', 'cvm.tencentcloudapi.com', '/', params),
    'GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0' +
      '&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12',
  );
});

test('HmacSHA1 gives the documented signature, HmacSHA256 the official SDK\'s', () => {
  const toSign = v1StringToSign('GET', 'cvm.tencentcloudapi.com', '/', params);
  assert.equal(v1Signature(key, 'HmacSHA1', toSign), 'EliP9YW3pW28FpsEdkXt/+WcGeI=');
  assert.equal(v1Signature(key, 'HmacSHA256', toSign), Sign.sign(key, toSign, 'HmacSHA256'));
  assert.notEqual(v1Signature(key, 'HmacSHA256', toSign), v1Signature(key, 'HmacSHA1', toSign));
});

test('names sort by code unit, so upper case comes before lower case and "A.1" before "A0"', () => {
  const toSign = v1StringToSign('POST', 'h', '/', [['b', '1'], ['A0', '2'], ['A.1', '3'], ['a', '4']]);
  assert.equal(toSign, 'POSTh/?A.1=3&A0=2&a=4&b=1');
});
