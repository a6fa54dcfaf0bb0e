/**
 * Requests/s of signed Tencent `GetGroupList` calls against a real `faceport serve` child
 * process, driven by autocannon. A TC3 signature stays valid for 5 minutes, so one signed
 * request is replayed for the whole run; the server still verifies every one.
 *
 *   npm run bench:api -- [--groups 100] [--limit 10] [--seconds 10] [--connections 16]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { serveChild, stop } from '../test/support/process.ts';
import { iaiClient } from '../test/support/tencent-sdk.ts';
import { canonicalRequest, scopeDate, signature, stringToSign } from '../src/tencent/signature.ts';

const { values } = parseArgs({
  options: {
    groups: { type: 'string', default: '100' },
    limit: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
  },
});

const dataDir = mkdtempSync(join(tmpdir(), 'faceport-bench-'));
const { process: server, port, key } = await serveChild(dataDir);
try {
  const client = iaiClient({ port, ...key }, '2020-03-03');
  for (let i = 0; i < Number(values.groups); i++) {
    await client.CreateGroup({ GroupId: `g${i}`, GroupName: `Group ${i}`, GroupExDescriptions: ['a', 'b'] });
  }

  const body = JSON.stringify({ Offset: 0, Limit: Number(values.limit) });
  const timestamp = Math.floor(Date.now() / 1000);
  const date = scopeDate(timestamp);
  const canonical = canonicalRequest({
    method: 'POST',
    query: '',
    headers: { 'content-type': 'application/json', host: '127.0.0.1' },
    signedHeaders: ['content-type', 'host'],
    payload: body,
  });
  const sig = signature(key.secretKey, date, 'iai', stringToSign(timestamp, `${date}/iai/tc3_request`, canonical));
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    method: 'POST',
    connections: Number(values.connections),
    duration: Number(values.seconds),
    body,
    headers: {
      'content-type': 'application/json',
      'x-tc-action': 'GetGroupList',
      'x-tc-version': '2020-03-03',
      'x-tc-timestamp': String(timestamp),
      authorization: `TC3-HMAC-SHA256 Credential=${key.secretId}/${date}/iai/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`,
    },
    verifyBody: (b) => String(b).includes('"GroupNum"'),
  });
  console.log(
    `GetGroupList (${values.groups} groups, Limit ${values.limit}), ${values.connections} connections, ${values.seconds} s:\n` +
      `  requests/s  mean ${result.requests.average.toFixed(0)}  (min ${result.requests.min}, max ${result.requests.max})\n` +
      `  latency ms  p50 ${result.latency.p50}  p99 ${result.latency.p99}  max ${result.latency.max}\n` +
      `  errors ${result.errors}  non-2xx ${result.non2xx}  body mismatches ${result.mismatches ?? 0}  total ${result.requests.total}`,
  );
} finally {
  await stop(server);
  rmSync(dataDir, { recursive: true, force: true });
}
