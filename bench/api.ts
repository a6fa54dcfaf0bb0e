/**
 * Requests/s of one signed Tencent action against a real `faceport serve` child process,
 * driven by autocannon. A TC3 signature stays valid for 5 minutes, so one signed request is
 * replayed for the whole run; the server still verifies every one.
 *
 *   npm run bench:api -- [--action GetGroupList|CompareFace|DetectFace] [--seconds 10] [--connections 16]
 *
 * GetGroupList lists 10 of 100 groups (protocol, store and JSON cost only). CompareFace
 * compares two one-face LFW photos scaled to 640×640, and DetectFace finds the face of one:
 * both run the engine (decode, detect, landmarks, align, embed) in the worker pool.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { lfw } from '../test/support/faces.ts';
import { serveChild, stop } from '../test/support/process.ts';
import { iaiClient } from '../test/support/tencent-sdk.ts';
import { canonicalRequest, scopeDate, signature, stringToSign } from '../src/tencent/signature.ts';

const { values } = parseArgs({
  options: {
    action: { type: 'string', default: 'GetGroupList' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
  },
});

/** An LFW photo scaled to 640×640, the size the engine's targets are stated for. */
const photo640 = async (identity: string, n: number) =>
  (await sharp(Buffer.from(lfw(identity, n), 'base64')).resize(640, 640).jpeg({ quality: 90 }).toBuffer()).toString('base64');

const workloads: Record<string, { params: object; expect: string; photosPerCall: number }> = {
  GetGroupList: { params: { Offset: 0, Limit: 10 }, expect: '"GroupNum"', photosPerCall: 0 },
  CompareFace: { params: { ImageA: await photo640('Tom_Cruise', 1), ImageB: await photo640('Tom_Cruise', 2) }, expect: '"Score"', photosPerCall: 2 },
  DetectFace: { params: { Image: await photo640('Tom_Cruise', 1) }, expect: '"FaceInfos"', photosPerCall: 1 },
};
const workload = workloads[values.action!];
if (!workload) throw new Error(`--action must be one of ${Object.keys(workloads).join(', ')}`);

const dataDir = mkdtempSync(join(tmpdir(), 'faceport-bench-'));
const { process: server, port, key } = await serveChild(dataDir);
try {
  const client = iaiClient({ port, ...key }, '2020-03-03');
  for (let i = 0; i < 100; i++) await client.CreateGroup({ GroupId: `g${i}`, GroupName: `Group ${i}`, GroupExDescriptions: ['a', 'b'] });

  const body = JSON.stringify(workload.params);
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
      'x-tc-action': values.action!,
      'x-tc-version': '2020-03-03',
      'x-tc-timestamp': String(timestamp),
      authorization: `TC3-HMAC-SHA256 Credential=${key.secretId}/${date}/iai/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`,
    },
    verifyBody: (b) => String(b).includes(workload.expect),
  });
  const perSecond = result.requests.average;
  console.log(
    `${values.action}, ${values.connections} connections, ${values.seconds} s:\n` +
      `  requests/s  mean ${perSecond.toFixed(1)}  (min ${result.requests.min}, max ${result.requests.max})` +
      (workload.photosPerCall ? `  = ${(perSecond * workload.photosPerCall).toFixed(1)} photos/s` : '') +
      `\n  latency ms  p50 ${result.latency.p50}  p99 ${result.latency.p99}  max ${result.latency.max}\n` +
      `  errors ${result.errors}  non-2xx ${result.non2xx}  wrong bodies ${result.mismatches ?? 0}  total ${result.requests.total}`,
  );
} finally {
  await stop(server);
  rmSync(dataDir, { recursive: true, force: true });
}
