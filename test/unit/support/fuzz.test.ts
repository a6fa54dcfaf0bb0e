import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildCases, judge, loadDocs, parseAnswers, wouldConnect, type Answer, type Docs } from '../../../bench/fuzz.ts';

// The fuzzer's own logic (bench/fuzz.ts, `npm run fuzz`): how it reads answers off the wire,
// judges them and finds the documented codes. No server is started here.

const wire = (s: string) => Buffer.from(s, 'latin1');
const docs: Docs = {
  tencent: new Set(['AuthFailure.SignatureFailure', 'InternalError']),
  greenBusiness: new Set([200, 400]),
  greenGateway: new Set(['SignatureDoesNotMatch']),
  sources: [],
};
const answer = (status: number, type: string | undefined, body: unknown): Answer => ({
  status,
  reason: '',
  headers: type ? { 'content-type': type } : {},
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  interim: [],
});

test('parseAnswers: pipelined, chunked and interim answers; a partial one waits, or is cut short at end of stream', () => {
  const two = wire('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n1\r\nb\r\n0\r\n\r\n');
  const p = parseAnswers(two, { eof: false });
  assert.deepEqual(p.answers.map((a) => [a.status, a.body.toString(), a.interim]), [[200, '{}', [100]], [200, 'ab', []]]);
  assert.equal(p.used, two.length);

  const partial = wire('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{"a"');
  assert.deepEqual(parseAnswers(partial, { eof: false }), { answers: [], used: 0 });
  assert.equal(parseAnswers(partial, { eof: true }).answers[0]!.truncated, true);
  assert.equal(parseAnswers(wire('garbage\r\n\r\n'), { eof: true }).answers[0]!.status, 0);
  assert.equal(parseAnswers(wire('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'), { eof: false, head: true }).answers[0]!.body.length, 0);
});

test('judge: the Tencent envelope at HTTP 200, exactly application/json, with documented codes', () => {
  const ok = judge('tencent', answer(200, 'application/json', { Response: { RequestId: 'r' } }), {}, docs);
  assert.deepEqual(ok, { code: 'OK', problems: [] });
  const err = (code: string) => answer(200, 'application/json', { Response: { Error: { Code: code, Message: 'm' }, RequestId: 'r' } });
  assert.deepEqual(judge('tencent', err('AuthFailure.SignatureFailure'), {}, docs).problems, []);
  assert.deepEqual(judge('tencent', err('Made.Up'), {}, docs).problems.map((p) => p.kind), ['undocumented']);
  assert.deepEqual(judge('tencent', err('InternalError'), {}, docs).problems.map((p) => p.kind), ['internal']);
  for (const bad of [
    answer(200, 'application/json; charset=utf-8', { Response: { RequestId: 'r' } }),
    answer(200, 'application/json', { Response: {} }),
    answer(404, 'application/json', { Response: { RequestId: 'r' } }),
    answer(408, undefined, ''),
  ]) {
    assert.deepEqual(judge('tencent', bad, {}, docs).problems.map((p) => p.kind), ['non-envelope']);
  }
  assert.deepEqual(judge('tencent', answer(408, undefined, ''), { slow: true }, docs).problems, [], '408 is documented for slow clients');
});

test('judge: Green business envelope at 200, gateway shape at 4xx, and nothing else', () => {
  const business = (code: number, data: unknown = { code }) => answer(200, 'application/json', { code, msg: 'm', requestId: 'R', data });
  assert.deepEqual(judge('alibaba', business(200), {}, docs), { code: '200', problems: [] });
  assert.deepEqual(judge('alibaba', business(999), {}, docs).problems.map((p) => p.kind), ['undocumented']);
  assert.deepEqual(judge('alibaba', business(200, [{ code: 777 }]), {}, docs).problems.map((p) => p.kind), ['undocumented']);
  assert.deepEqual(judge('alibaba', business(400, { code: 200 }), {}, docs).problems.map((p) => p.kind), ['non-envelope']);
  const gateway = (code: string) => answer(400, 'application/json', { RequestId: 'R', HostId: 'h', Code: code, Message: 'm', Recommend: 'r' });
  assert.deepEqual(judge('alibaba', gateway('SignatureDoesNotMatch'), {}, docs).problems, []);
  assert.deepEqual(judge('alibaba', gateway('Nope'), {}, docs).problems.map((p) => p.kind), ['undocumented']);
  const tencentShaped = answer(200, 'application/json', { Response: { Error: { Code: 'InvalidRequest', Message: 'm' }, RequestId: 'r' } });
  assert.deepEqual(judge('alibaba', tencentShaped, {}, docs).problems.map((p) => p.kind), ['non-envelope']);
  assert.deepEqual(judge('alibaba', answer(500, 'application/json', {}), {}, docs).problems.map((p) => p.kind), ['non-envelope']);
});

test('loadDocs reads the code lists from the README and the spec, and falls back when they are missing', () => {
  const root = mkdtempSync(join(tmpdir(), 'fuzz-docs-'));
  try {
    const fallback = loadDocs(join(root, 'nothing'));
    assert.deepEqual(fallback.sources, ['embedded fallback lists']);
    assert.ok(fallback.tencent.has('AuthFailure.SignatureFailure') && fallback.greenBusiness.has(590) && fallback.greenGateway.has('SignatureNonceUsed'));

    const repo = join(root, 'repo');
    mkdirSync(join(root, 'shared', 'spec'), { recursive: true });
    mkdirSync(repo);
    writeFileSync(
      join(repo, 'README.md'),
      '## Tencent\nuses `FailedOperation.Made` and `CreateGroup`\n## Alibaba Cloud Green sface\n- Codes: 200 OK; 418 teapot.\n- Gateway failures: `ContentMD5NotMatched`, `Throttling.User`.\n- other\n## Next\n',
    );
    writeFileSync(join(root, 'shared', 'spec', 'tencent-iai.md'), '### 5.5 Common\n`RequestLimitExceeded` (+ `.UinLimitExceeded`)\n## 6. x\n## 7. IAI\n`FailedOperation.X7`\n## 8. y\n');
    writeFileSync(join(root, 'shared', 'spec', 'tencent-iai-action-errors.json'), JSON.stringify({ v20200303: { A: ['FailedOperation.FromJson'] } }));
    const d = loadDocs(repo);
    for (const c of ['FailedOperation.Made', 'RequestLimitExceeded.UinLimitExceeded', 'FailedOperation.X7', 'FailedOperation.FromJson']) assert.ok(d.tencent.has(c), c);
    assert.ok(!d.tencent.has('CreateGroup'));
    assert.deepEqual([...d.greenBusiness].sort(), [200, 418]);
    assert.deepEqual([...d.greenGateway].sort(), ['ContentMD5NotMatched', 'Throttling.User']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('only URLs the server refuses before connecting are sent', () => {
  for (const url of ['http://127.0.0.1/', 'http://[::1]/', 'http://10.0.0.1/', 'http://[::ffff:7f00:1]/', 'file:///etc/passwd', 'gopher://x/', 'not a url']) {
    assert.equal(wouldConnect(url), undefined, url);
  }
  assert.equal(wouldConnect('http://example.com/x.jpg'), 'example.com');
  assert.equal(wouldConnect('http://8.8.8.8/x.jpg'), '8.8.8.8');
});

test('every case has a unique key and builds its bytes', () => {
  const tiny = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
  const { cases } = buildCases({ 'png 64x64 grey': tiny, 'jpeg 1x1': tiny, x: tiny });
  assert.equal(new Set(cases.map((c) => c.key)).size, cases.length);
  for (const c of cases.filter((k) => (k.weight ?? 1) >= 0.1)) {
    for (const p of [c.plan()].flat()) assert.ok(p.steps.length > 0 || c.slow, c.key);
  }
});
